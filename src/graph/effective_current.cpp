// RevisionGraph::effective_current: what `migrate current` shows, as
// Alembic's ScriptDirectory.get_all_current (revision.py _get_all_current
// and _filter_into_branch_heads, 1.8.1).
#include "graph/closure.h"
#include "graph/graph_data.h"
#include "graph/resolver.h"
#include "graph/revision_graph.h"
#include "util/strings.h"

namespace migrate::graph {

using detail::Idx;

std::vector<std::string> RevisionGraph::effective_current(
    const std::vector<std::string>& stored) const {
  const detail::GraphData& g = data();
  detail::IdxList from;
  from.reserve(stored.size());
  for (const auto& id : stored) {
    auto it = g.by_id.find(id);
    if (it == g.by_id.end()) throw GraphError("no such revision: '" + id + "'");
    from.push_back(it->second);
  }
  // Everything applied: the stored heads and all below them, dependencies
  // included.
  const detail::Marks applied = detail::ancestors(g, from, detail::Edges::kWithDeps);
  // Keep those with no applied descendant along down_revision edges. The
  // applied set is closed under down_revision ancestry, so a revision has an
  // applied descendant exactly when one of its children is applied.
  auto is_top = [&](Idx i) {
    for (Idx c : g.children[i])
      if (applied[c]) return false;
    return true;
  };
  // Alembic returns a set; we give a stable order: the stored heads still
  // on top, in the version table's order, then the others in node order.
  std::vector<char> listed(g.size(), 0);
  std::vector<std::string> out;
  for (Idx i : from) {
    if (!listed[i] && is_top(i)) {
      listed[i] = 1;
      out.push_back(g.id(i));
    }
  }
  for (Idx i = 0; i < g.size(); ++i) {
    if (applied[i] && !listed[i] && is_top(i)) out.push_back(g.id(i));
  }
  return out;
}

void RevisionGraph::check_version_rows(const std::vector<std::string>& stored) const {
  const detail::GraphData& g = data();
  // Along down_revision edges only: a dependency stored beside its
  // dependent is a state a downgrade leaves (its row comes back).
  auto o = detail::find_overlap(g, detail::Resolver(g).known(stored), detail::Edges::kDownOnly);
  if (!o) return;
  throw GraphError("the version table holds " + util::join(stored, ", ") + ", and " +
                   g.id(o->first) + " is an ancestor of " + g.id(o->second) +
                   ": a version table holds only the top revision of each branch, so this one "
                   "cannot say where the database is. Reset it with `migrate stamp --purge "
                   "REVISION...`, naming the revision(s) the database is really at");
}

}  // namespace migrate::graph
