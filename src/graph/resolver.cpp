#include "graph/resolver.h"

#include <algorithm>
#include <cctype>

#include "graph/names.h"
#include "util/strings.h"

namespace migrate::graph::detail {
namespace {

// Python's int() on the part after '@', as Alembic uses it to spot `label@-2`.
std::optional<long long> as_int(const std::string& s) {
  std::size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i == s.size() || s.size() - i > 9) return std::nullopt;
  for (std::size_t k = i; k < s.size(); ++k)
    if (!std::isdigit(static_cast<unsigned char>(s[k]))) return std::nullopt;
  return std::stoll(s);
}

std::string plural(long long n) { return n == 1 || n == -1 ? "" : "s"; }

[[noreturn]] void relative_failed(const std::string& relative, long long steps) {
  long long n = steps < 0 ? -steps : steps;
  throw GraphError("relative revision " + relative + " did not produce " + std::to_string(n) +
                   " migration" + plural(n) + " (not that many revisions in that direction)");
}

}  // namespace

std::optional<RelativeTarget> Resolver::relative(const std::string& target) const {
  if (g_.by_label.count(target) || g_.by_id.count(target)) return std::nullopt;
  return parse_relative(target);
}

const Marks& Resolver::lineage(Idx rev, Edges edges) const {
  auto key = std::make_pair(rev, static_cast<int>(edges));
  auto it = lineage_cache_.find(key);
  if (it != lineage_cache_.end()) return it->second;
  Marks marks = ancestors(g_, {rev}, edges);
  Marks below = descendants(g_, {rev}, edges);
  for (std::size_t i = 0; i < marks.size(); ++i) marks[i] |= below[i];
  return lineage_cache_.emplace(key, std::move(marks)).first->second;
}

Resolver::Number Resolver::number(const std::string& target) const {
  // An empty target (`stamp ''`, an unset shell variable) would match every
  // id as a prefix of nothing: refuse it rather than guess.
  if (target.find_first_not_of(" \t") == std::string::npos) {
    throw GraphError("empty revision target: name a revision, a branch label, head, heads or base");
  }
  Number out;
  std::string id = target;
  if (auto at = target.find('@'); at != std::string::npos) {
    out.label = target.substr(0, at);
    id = target.substr(at + 1);
  }
  if (id == "heads") {
    IdxList heads =
        out.label ? filter_for_lineage(g_.heads, *out.label, Edges::kDownOnly) : g_.real_heads;
    for (Idx h : heads) out.ids.push_back(id_of(h));
  } else if (id == "head") {
    if (auto h = current_head(out.label)) out.ids.push_back(id_of(*h));
  } else if (id != "base") {
    out.ids.push_back(id);
  }
  return out;
}

std::optional<Idx> Resolver::current_head(const std::optional<std::string>& label) const {
  IdxList heads = label ? filter_for_lineage(g_.heads, *label, Edges::kDownOnly) : g_.heads;
  if (heads.size() > 1) {
    if (label)
      throw GraphError("multiple heads are present on branch '" + *label + "' (" +
                       join_ids(nodes_, heads) + "); use '" + *label +
                       "@heads' for all of them, or name one head ('REV@head' or its id)");
    throw GraphError("multiple heads are present (" + join_ids(nodes_, heads) +
                     "); use 'heads' for all of them, or 'LABEL@head' (or 'REV@head') for the "
                     "head of one branch");
  }
  if (heads.empty()) return std::nullopt;
  return heads[0];
}

Idx Resolver::branch(const std::string& label) const {
  if (auto it = g_.by_label.find(label); it != g_.by_label.end()) return it->second;
  if (auto it = g_.by_id.find(label); it != g_.by_id.end()) return it->second;
  if (label.size() >= kMinPrefix) {
    IdxList matches = prefix_matches(g_, label);
    if (matches.size() == 1) return matches[0];
    if (matches.size() > 1)
      throw GraphError("branch '" + label + "' is ambiguous; it matches " +
                       describe_list(nodes_, matches));
  }
  throw GraphError("no such branch: '" + label + "' (not a branch label nor a revision)");
}

Idx Resolver::ident(const std::string& id, const std::optional<std::string>& check_branch) const {
  std::optional<Idx> branch_rev;
  if (check_branch) branch_rev = branch(*check_branch);
  Idx rev;
  if (auto it = g_.by_id.find(id); it != g_.by_id.end()) {
    rev = it->second;
  } else if (auto lt = g_.by_label.find(id); lt != g_.by_label.end()) {
    rev = lt->second;
  } else {
    if (id.size() < kMinPrefix)
      throw GraphError("no such revision or branch '" + id +
                       "' (a partial revision id needs at least 4 characters)");
    IdxList matches = prefix_matches(g_, id);
    if (branch_rev) matches = filter(matches, lineage(*branch_rev, Edges::kDownOnly));
    if (matches.empty()) throw GraphError("no such revision or branch '" + id + "'");
    if (matches.size() > 1)
      throw GraphError("revision prefix '" + id + "' is ambiguous; it matches " +
                       describe_list(nodes_, matches));
    rev = matches[0];
  }
  if (branch_rev && !lineage(*branch_rev, Edges::kDownOnly)[rev])
    throw GraphError("revision " + id_of(rev) + " is not a member of branch '" + *check_branch +
                     "'");
  return rev;
}

std::vector<Pos> Resolver::revisions(const std::string& target) const {
  Number num = number(target);
  if (num.ids.size() == 1) {
    if (auto steps = as_int(num.ids[0]); steps && *steps < 0) {
      // `label@-2`: two below each head carrying the label.
      std::vector<Pos> out;
      for (Idx head : g_.real_heads) {
        const auto& labels = g_.labels_of(head);
        if (num.label && !std::binary_search(labels.begin(), labels.end(), *num.label)) continue;
        auto at = walk(Pos::of(head), *steps, std::nullopt, true);
        out.push_back(at ? *at : Pos{});
      }
      return out;
    }
  }
  if (num.label && num.ids.empty()) branch(*num.label);  // a typo must not pass for "base"
  std::vector<Pos> out;
  for (const auto& id : num.ids) out.push_back(Pos::of(ident(id, num.label)));
  return out;
}

Pos Resolver::revision(const std::string& target) const {
  Number num = number(target);
  if (num.ids.size() > 1) {
    IdxList many;
    for (const auto& id : num.ids) many.push_back(g_.by_id.at(id));
    throw GraphError("'" + target + "' names several revisions (" + join_ids(nodes_, many) +
                     ") where one is needed; name one of them (or use 'LABEL@head')");
  }
  if (num.ids.empty()) {
    if (num.label) branch(*num.label);
    return Pos{};
  }
  return Pos::of(ident(num.ids[0], num.label));
}

IdxList Resolver::filter_for_lineage(const IdxList& revs, const std::string& check_against,
                                     Edges edges) const {
  Number num = number(check_against);
  if (revs.empty()) return {};
  IdxList shares;
  if (num.label) shares.push_back(ident(*num.label, std::nullopt));
  for (const auto& id : num.ids) shares.push_back(ident(id, std::nullopt));
  if (shares.empty()) return revs;
  Marks marks(g_.size(), 0);
  for (Idx s : shares) {
    const Marks& line = lineage(s, edges);
    for (std::size_t i = 0; i < marks.size(); ++i) marks[i] |= line[i];
  }
  return filter(revs, marks);
}

std::optional<Pos> Resolver::walk(Pos start, long long steps,
                                  const std::optional<std::string>& label, bool no_overwalk) const {
  const Marks* on_branch = nullptr;
  if (label && steps > 0) on_branch = &lineage(branch(*label), Edges::kDownOnly);
  Pos at = start;
  for (long long k = 0; k < (steps < 0 ? -steps : steps); ++k) {
    std::vector<Pos> next;
    if (steps > 0) {
      Span up = at.is_rev() ? g_.children[at.rev] : Span(g_.bases);
      for (Idx c : up)
        if (!on_branch || (*on_branch)[c]) next.push_back(Pos::of(c));
    } else if (at.kind != Pos::kBase) {
      Span down = at.is_rev() ? g_.down[at.rev] : Span(g_.heads);
      for (Idx p : down) next.push_back(Pos::of(p));
      if (next.empty()) next.push_back(Pos{Pos::kBase, 0});
    }
    if (next.empty()) {
      if (no_overwalk) return std::nullopt;
      return at;
    }
    if (next.size() > 1) {
      IdxList many;
      for (const Pos& p : next) many.push_back(p.rev);
      std::string from = at.is_rev() ? "from " + id_of(at.rev) : "from base";
      if (steps > 0)
        throw GraphError("ambiguous walk " + from + ": it branches into " + join_ids(nodes_, many) +
                         "; name the branch ('LABEL@+N') or a revision");
      throw GraphError("ambiguous walk " + from + ": it has several down revisions (" +
                       join_ids(nodes_, many) + "); name a revision instead of counting");
    }
    at = next[0];
  }
  return at;
}

std::vector<Pos> Resolver::upgrade_targets(const std::vector<std::string>& current,
                                           const std::string& target, bool no_overwalk) const {
  auto rel = relative(target);
  if (!rel) return revisions(target);
  if (rel->steps > 0) {
    if (rel->symbol)
      return {walk(revision(*rel->symbol), rel->steps, rel->label, no_overwalk).value_or(Pos{})};
    std::vector<Pos> start;
    if (!rel->label) {
      for (const auto& c : current) start.push_back(revision(c));
      if (start.empty()) start.push_back(Pos{});
    } else {
      IdxList cur;
      for (const auto& c : current)
        for (const Pos& p : revisions(c))
          if (p.is_rev()) cur.push_back(p.rev);
      IdxList on_branch = filter_for_lineage(cur, *rel->label, Edges::kDownOnly);
      if (on_branch.empty()) {
        // The branch has no current head: start from the highest applied
        // revision on it, or from base.
        Marks applied = ancestors(g_, cur, Edges::kWithDeps);
        IdxList all;
        for (Idx i = 0; i < g_.size(); ++i)
          if (applied[i]) all.push_back(i);
        IdxList active = filter_for_lineage(all, *rel->label, Edges::kDownOnly);
        Marks below(g_.size(), 0);
        for (Idx a : active)
          for (Idx d : g_.norm_down[a]) below[d] = 1;
        for (Idx a : active)
          if (!below[a]) on_branch.push_back(a);
      }
      for (Idx r : on_branch) start.push_back(Pos::of(r));
      if (start.empty()) start.push_back(Pos{});
    }
    if (start.size() > 1)
      throw GraphError("ambiguous upgrade " + rel->relative +
                       " from several current heads; name the branch ('LABEL@" + rel->relative +
                       "') or a revision");
    auto at = walk(start[0], rel->steps, rel->label, no_overwalk);
    if (!at) relative_failed(rel->relative, rel->steps);
    return {*at};
  }
  if (!rel->symbol) relative_failed(rel->relative, rel->steps);
  Pos from = rel->label ? revision(*rel->label + "@" + *rel->symbol) : revision(*rel->symbol);
  return {walk(from, rel->steps, std::nullopt, no_overwalk).value_or(Pos{})};
}

std::pair<std::optional<std::string>, Pos> Resolver::downgrade_target(
    const std::vector<std::string>& current, const std::string& target, bool no_overwalk) const {
  auto rel = relative(target);
  if (!rel) {
    auto at = target.rfind('@');
    if (at == std::string::npos) return {std::nullopt, revision(target)};
    std::optional<std::string> label;
    if (at > 0) label = target.substr(0, at);
    std::string symbol = target.substr(at + 1);
    // Alembic looks up only the part after '@', so `label@head` fails
    // whenever there are several heads. Resolving it on the branch gives the
    // same answer when there is one head, and the branch's head otherwise.
    if (label && (symbol == "head" || symbol == "heads")) return {label, revision(target)};
    return {label, revision(symbol)};
  }
  if (rel->steps >= 0) {
    if (!rel->symbol) relative_failed(rel->relative, rel->steps);
    auto at = walk(revision(*rel->symbol), rel->steps, rel->label, no_overwalk);
    if (!at) throw GraphError("'" + target + "' walks past the last revision");
    return {rel->label, *at};
  }
  std::optional<std::string> label = rel->label;
  std::string symbol;
  if (rel->symbol) {
    symbol = *rel->symbol;
  } else if (label) {
    IdxList cur = known(current);
    IdxList on_branch = filter_for_lineage(cur, *label, Edges::kDownOnly);
    if (on_branch.empty())
      on_branch = filter_for_lineage(all_current(cur), *label, Edges::kDownOnly);
    if (on_branch.size() != 1)
      throw GraphError(on_branch.empty()
                           ? "nothing is applied on branch '" + *label + "' to go down from"
                           : "several current revisions are on branch '" + *label + "' (" +
                                 join_ids(nodes_, on_branch) + "); name a revision instead");
    symbol = id_of(on_branch[0]);
  } else {
    if (current.empty()) relative_failed(rel->relative, rel->steps);
    // Alembic takes the first stored head and warns that this "will be
    // disallowed": which branch goes down would depend on the table's row
    // order. Refused, naming each branch's own form.
    if (current.size() > 1) {
      std::string forms;
      for (Idx i : known(current)) {
        const auto& labels = g_.labels_of(i);
        const std::string branch = labels.size() == 1 ? labels[0] : id_of(i);
        forms += (forms.empty() ? "`" : " or `") + branch + "@" + rel->relative + "`";
      }
      throw GraphError("'" + target + "' is ambiguous: the database has " +
                       std::to_string(current.size()) + " heads (" + util::join(current, ", ") +
                       "), one per branch; name the branch to go down: " + forms);
    }
    symbol = current[0];
    label = symbol;
  }
  Pos from = label ? revision(*label + "@" + symbol) : revision(symbol);
  auto at = walk(from, rel->steps, std::nullopt, no_overwalk);
  if (!at) {
    if (!rel->symbol) relative_failed(rel->relative, rel->steps);
    throw GraphError("'" + target + "' walks below base");
  }
  return {label, *at};
}

IdxList Resolver::known(const std::vector<std::string>& ids) const {
  IdxList out;
  for (const auto& id : ids) {
    auto it = g_.by_id.find(id);
    if (it == g_.by_id.end())
      throw GraphError("the version table holds revision '" + id +
                       "', which is not in the script directory (restore its file, or reset the "
                       "table with 'stamp --purge')");
    out.push_back(it->second);
  }
  return out;
}

IdxList Resolver::all_current(const IdxList& current) const {
  Marks top = ancestors(g_, current, Edges::kWithDeps);
  // Keep the revisions with no down_revision descendant in the set.
  IdxList out;
  for (Idx i = 0; i < g_.size(); ++i) {
    if (!top[i]) continue;
    bool covered = false;
    for (Idx c : g_.children[i])
      if (top[c]) covered = true;
    if (!covered) out.push_back(i);
  }
  return out;
}

}  // namespace migrate::graph::detail
