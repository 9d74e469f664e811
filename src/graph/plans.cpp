// Targets and plans: RevisionGraph::resolve, upgrade_plan, downgrade_plan and
// walk, after Alembic's iterate_revisions with _collect_upgrade_revisions and
// _collect_downgrade_revisions.
#include <algorithm>
#include <optional>

#include "graph/closure.h"
#include "graph/graph_data.h"
#include "graph/resolver.h"
#include "graph/revision_graph.h"
#include "graph/topo_order.h"

namespace migrate::graph {

using detail::Edges;
using detail::Idx;
using detail::IdxList;
using detail::Marks;
using detail::Pos;
using detail::Resolver;

namespace {

// One end of a range as Alembic passes it: a target string, or the ids read
// from the version table.
struct End {
  std::optional<std::string> text;
  std::vector<std::string> ids;
  static End of(const std::string& s) { return End{s, {}}; }
  static End of(const std::vector<std::string>& v) { return End{std::nullopt, v}; }
  std::vector<std::string> as_list() const { return text ? std::vector<std::string>{*text} : ids; }
  std::string show() const {
    if (text) return *text;
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "" : ",") + id;
    return out.empty() ? "base" : out;
  }
};

std::vector<Pos> positions(const Resolver& r, const End& end) {
  std::vector<Pos> out;
  for (const auto& s : end.as_list())
    for (const Pos& p : r.revisions(s)) out.push_back(p);
  return out;
}

struct Collected {
  Marks todo;
  IdxList targets;
};

// Alembic's _collect_upgrade_revisions: what lies between `lower` (applied)
// and `upper` (wanted). `implicit_base` lets revisions outside lower's line
// in (an upgrade); without it they are refused or cut away (a history range).
Collected collect_upgrade(const Resolver& r, const End& upper, End lower, bool inclusive,
                          bool implicit_base, bool no_overwalk) {
  const detail::GraphData& g = r.data();
  std::vector<Pos> wanted = upper.text
                                ? r.upgrade_targets(lower.as_list(), *upper.text, no_overwalk)
                                : positions(r, upper);
  IdxList targets;
  for (const Pos& p : wanted) {
    if (!p.is_rev())
      throw GraphError("'" + upper.show() + "' leads below the first revision; nothing to " +
                       (implicit_base ? "upgrade to" : "list"));
    targets.push_back(p.rev);
  }
  if (lower.text && lower.text->find('@') != std::string::npos) {
    // `LABEL@...:` lists only the heads on that branch.
    std::string branch = lower.text->substr(0, lower.text->find('@'));
    Pos b = r.revision(branch);
    if (b.is_rev() && r.id_of(b.rev) == branch) {
      const auto& labels = g.labels_of(b.rev);
      if (labels.size() != 1)
        throw GraphError("revision " + branch + " is used as a branch name but carries " +
                         std::to_string(labels.size()) + " branch labels; use a label");
      branch = labels[0];
    }
    IdxList kept;
    for (Idx t : targets) {
      const auto& labels = g.labels_of(t);
      if (std::binary_search(labels.begin(), labels.end(), branch)) kept.push_back(t);
    }
    targets = kept;
  }
  detail::check_no_overlap(g, targets, "requested revisions");
  Marks required = ancestors(g, targets, Edges::kWithDeps);

  std::vector<Pos> current = positions(r, lower);
  if (!implicit_base)
    for (const Pos& p : current)
      if (p.kind == Pos::kBase || (p.is_rev() && !required[p.rev]))
        throw GraphError("requested range " + lower.show() + ":" + upper.show() +
                         " does not refer to ancestor/descendant revisions along the same branch");
  if (!current.empty() && current[0].kind == Pos::kNothing && lower.text) {
    // A relative lower end that walked off the heads: count it from `upper`.
    Pos p = r.downgrade_target(upper.as_list(), *lower.text, no_overwalk).second;
    if (p.kind == Pos::kNothing)
      throw GraphError("'" + *lower.text + "' does not name a revision below '" + upper.show() +
                       "'");
    current = p.is_rev() ? std::vector<Pos>{p} : std::vector<Pos>{};
    lower = p.is_rev() ? End::of(std::vector<std::string>{r.id_of(p.rev)}) : End::of("base");
  }
  IdxList cur;
  for (const Pos& p : current)
    if (p.is_rev()) cur.push_back(p.rev);
  detail::check_no_overlap(g, cur, "current revisions");

  Marks applied = ancestors(g, cur, Edges::kWithDeps);
  Collected out{Marks(g.size(), 0), targets};
  for (Idx i = 0; i < g.size(); ++i) out.todo[i] = required[i] && !applied[i];
  if (inclusive)
    for (const Pos& p : positions(r, lower))
      if (p.is_rev()) out.todo[p.rev] = 1;
  if (!cur.empty() && !implicit_base) {
    Marks above = descendants(g, cur, Edges::kDownOnly);
    for (Idx i = 0; i < g.size(); ++i) out.todo[i] = out.todo[i] && above[i];
  }
  return out;
}

std::vector<Step> to_steps(const Resolver& r, const IdxList& order, bool upgrade) {
  std::vector<Step> steps;
  steps.reserve(order.size());
  for (Idx i : order) steps.push_back(Step{r.id_of(i), upgrade});
  return steps;
}

}  // namespace

std::vector<std::string> RevisionGraph::resolve(
    const std::string& target, const std::vector<std::string>& current_heads) const {
  Resolver r(data());
  if (target.empty()) throw GraphError("empty revision target");
  if (target == "current") {
    r.known(current_heads);
    return current_heads;
  }
  std::vector<Pos> found;
  if (auto rel = r.relative(target)) {
    // Counted from the current heads when no revision is named: `+N` as an
    // upgrade counts it, `-N` as a downgrade does.
    if (rel->steps > 0)
      found = r.upgrade_targets(current_heads, target, true);
    else
      found = {r.downgrade_target(current_heads, target, true).second};
    if (found.size() == 1 && !found[0].is_rev()) {
      if (rel->steps > 0 || found[0].kind == Pos::kNothing)
        throw GraphError("'" + target + "' walks past the end of the history");
      return {};  // walked down to base
    }
  } else {
    found = r.revisions(target);
  }
  std::vector<std::string> out;
  for (const Pos& p : found) {
    if (!p.is_rev()) throw GraphError("'" + target + "' walks past the end of the history");
    out.push_back(r.id_of(p.rev));
  }
  return out;
}

std::vector<Step> RevisionGraph::upgrade_plan(const std::vector<std::string>& current_heads,
                                              const std::string& target) const {
  Resolver r(data());
  r.known(current_heads);
  if (target == "current") return {};
  Collected c = collect_upgrade(r, End::of(target), End::of(current_heads), false, true, true);
  IdxList order = detail::alembic_order(data(), c.todo, c.targets);
  std::reverse(order.begin(), order.end());
  return to_steps(r, order, true);
}

std::vector<Step> RevisionGraph::downgrade_plan(const std::vector<std::string>& current_heads,
                                                const std::string& target) const {
  Resolver r(data());
  const detail::GraphData& g = data();
  IdxList heads = r.known(current_heads);
  // As upgrade refuses them (collect_upgrade): with one stored row an
  // ancestor of another, the plan would undo revisions twice or skip some.
  // (Along down_revision edges: a dependency's row beside its dependent
  // is what a downgrade through a merge leaves.)
  detail::check_no_overlap(g, heads, "current revisions", "", Edges::kDownOnly);
  if (target == "current") return {};
  auto [label, to] = r.downgrade_target(current_heads, target, true);

  // What to take away: the target's children (or every base) with all that
  // was built on them.
  IdxList roots;
  if (to.is_rev()) {
    roots = g.children[to.rev].list();
  } else {
    for (Idx i = 0; i < g.size(); ++i)
      if (g.down[i].empty()) roots.push_back(i);
  }
  if (label && roots.size() > 1) {
    roots = detail::filter(roots, ancestors(g, {r.branch(*label)}, Edges::kDownOnly));
    if (roots.empty())
      throw GraphError("'" + target + "' is not a valid downgrade target from the current heads");
  }
  Marks above = descendants(g, roots, Edges::kWithDeps);
  Marks applied = ancestors(g, heads, Edges::kWithDeps);
  Marks todo(g.size(), 0);
  bool any = false;
  for (Idx i = 0; i < g.size(); ++i) {
    todo[i] = above[i] && applied[i];
    any = any || todo[i];
  }
  if (to.is_rev() && !any && std::find(heads.begin(), heads.end(), to.rev) == heads.end())
    throw GraphError("destination " + target + " (" + r.id_of(to.rev) +
                     ") is not a valid downgrade target from the current heads (" +
                     (current_heads.empty() ? std::string("none") : End::of(current_heads).show()) +
                     "): it is not below them");
  return to_steps(r, detail::alembic_order(g, todo, heads), false);
}

std::vector<std::string> RevisionGraph::walk(const std::string& lower, const std::string& upper,
                                             const std::vector<std::string>& current_heads) const {
  Resolver r(data());
  std::string lo = lower.empty() ? "base" : lower;
  std::string up = upper.empty() ? "heads" : upper;
  if (lo == "current" || up == "current") r.known(current_heads);
  End lo_end = lo == "current" ? End::of(current_heads) : End::of(lo);
  End up_end = up == "current" ? End::of(current_heads) : End::of(up);
  Collected c = collect_upgrade(r, up_end, lo_end, true, false, false);
  IdxList order = detail::alembic_order(data(), c.todo, c.targets);
  std::vector<std::string> out;
  out.reserve(order.size());
  for (Idx i : order) out.push_back(r.id_of(i));
  return out;
}

}  // namespace migrate::graph
