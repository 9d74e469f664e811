// `stamp`: the version-table changes that make the table say `targets`
// without running anything (Alembic's ScriptDirectory._stamp_revs applied
// through StampStep and HeadMaintainer).
#include <algorithm>
#include <set>

#include "graph/closure.h"
#include "graph/graph_data.h"
#include "graph/resolver.h"
#include "graph/revision_graph.h"
#include "graph/version_rows.h"
#include "util/strings.h"

namespace migrate::graph {

using detail::Edges;
using detail::Idx;
using detail::IdxList;
using detail::Pos;

namespace {

// One StampStep: move the heads `from` to `to` (empty = base).
struct StampMove {
  std::vector<std::string> from;
  std::string to;
  bool upgrade = true;
  bool branch_move = false;  // a branch appears or disappears as a whole
};

void apply(const StampMove& m, std::set<std::string>& heads, detail::VersionRows& rows) {
  if (!m.upgrade && m.branch_move) {
    rows.remove(m.from[0]);
    return;
  }
  bool from_missing = std::any_of(m.from.begin(), m.from.end(),
                                  [&](const std::string& f) { return !heads.count(f); });
  if (m.upgrade && (m.branch_move || from_missing) && !heads.count(m.to)) {
    rows.insert(m.to);
    return;
  }
  if (m.from.empty())
    throw GraphError("cannot stamp " + m.to + ": it is already in the version table");
  for (std::size_t k = 0; k + 1 < m.from.size(); ++k) rows.remove(m.from[k]);
  rows.update(m.from.back(), m.to);
}

void add_unique(IdxList& into, const IdxList& more) {
  for (Idx i : more)
    if (std::find(into.begin(), into.end(), i) == into.end()) into.push_back(i);
}

}  // namespace

std::vector<VersionOp> RevisionGraph::stamp_ops(const std::vector<std::string>& current_heads,
                                                const std::vector<std::string>& targets,
                                                bool purge) const {
  detail::Resolver r(data());
  const detail::GraphData& g = data();
  std::vector<VersionOp> ops;
  std::set<std::string> heads(current_heads.begin(), current_heads.end());
  detail::VersionRows rows(heads, ops);
  std::vector<std::string> start = current_heads;
  if (purge) {
    // Emptied first, whatever it held (even revisions no longer known).
    for (const auto& h : std::set<std::string>(current_heads.begin(), current_heads.end()))
      rows.remove(h);
    start.clear();
  }
  IdxList head_revs = r.known(start);

  std::vector<std::string> wanted = targets.empty() ? std::vector<std::string>{"base"} : targets;
  IdxList on_line;  // the stored heads each target concerns (Alembic's filtered_heads)
  std::vector<Pos> dests;
  for (const auto& t : wanted) {
    if (t.empty()) {
      throw GraphError(
          "empty revision target: name a revision, a branch label, head, heads or base");
    }
    if (t == "current" || r.relative(t)) {
      // Counted from what the table holds (Alembic cannot resolve these here).
      IdxList ids;
      for (const auto& id : resolve(t, current_heads)) ids.push_back(g.by_id.at(id));
      if (ids.empty()) {
        add_unique(on_line, head_revs);
        continue;
      }
      detail::Marks line(g.size(), 0);
      for (Idx i : ids) {
        const detail::Marks& l = r.lineage(i, Edges::kWithDeps);
        for (std::size_t k = 0; k < line.size(); ++k) line[k] |= l[k];
        dests.push_back(Pos::of(i));
      }
      add_unique(on_line, detail::filter(head_revs, line));
      continue;
    }
    add_unique(on_line, r.filter_for_lineage(head_revs, t, Edges::kWithDeps));
    for (const Pos& p : r.revisions(t)) dests.push_back(p);
  }
  if (dests.empty()) dests.push_back(Pos{});
  // Alembic writes `stamp a b` with a below b as it is, and then refuses the
  // table it wrote ("overlaps"): refused here, before anything is written.
  IdxList dest_revs;
  for (const Pos& p : dests)
    if (p.is_rev()) dest_revs.push_back(p.rev);
  detail::check_no_overlap(g, dest_revs, "stamp targets",
                           "; the version table holds only the top revision of each branch, "
                           "so leave out the ancestor. Nothing was changed",
                           Edges::kDownOnly);

  std::vector<std::string> on_line_ids;
  for (Idx h : on_line) on_line_ids.push_back(g.id(h));
  for (const Pos& dest : dests) {
    if (!dest.is_rev()) {
      for (const auto& h : on_line_ids) apply(StampMove{{h}, "", false, true}, heads, rows);
      continue;
    }
    if (std::find(on_line.begin(), on_line.end(), dest.rev) != on_line.end()) continue;
    const std::string& to = g.id(dest.rev);
    detail::Marks above = descendants(g, {dest.rev}, Edges::kWithDeps);
    detail::Marks below = ancestors(g, {dest.rev}, Edges::kWithDeps);
    auto any_in = [&](const detail::Marks& m) {
      return std::any_of(on_line.begin(), on_line.end(), [&](Idx h) { return m[h] != 0; });
    };
    if (any_in(above))
      apply(StampMove{on_line_ids, to, false, false}, heads, rows);
    else if (any_in(below))
      apply(StampMove{on_line_ids, to, true, false}, heads, rows);
    else
      apply(StampMove{{}, to, true, true}, heads, rows);
  }
  // The rows the table would hold: an overlapping table the stamp does not
  // mend stays refused (without --purge it may be one written earlier).
  std::vector<std::string> after(heads.begin(), heads.end());
  if (auto o = detail::find_overlap(g, r.known(after), Edges::kDownOnly))
    throw GraphError("this stamp would leave the version table holding " + util::join(after, ", ") +
                     ", and " + g.id(o->first) + " is an ancestor of " + g.id(o->second) +
                     ": a version table holds only the top revision of each branch. Reset it "
                     "with `migrate stamp --purge REVISION...`, naming the revision(s) the "
                     "database is really at. Nothing was changed");
  return ops;
}

}  // namespace migrate::graph
