// What every picture of the revision graph shares: the order revisions are
// drawn in, and the words that say what a revision is.
#include <algorithm>

#include "draw/revision_picture.h"

namespace migrate::draw {

std::vector<std::string> drawing_order(const graph::RevisionGraph& g) {
  const auto& nodes = g.nodes();
  const std::size_t n = nodes.size();
  // Children not yet drawn, per revision (down_revision edges only: a
  // dependency is drawn as a dashed edge or a note, not a lane).
  std::vector<std::size_t> waiting(n, 0);
  for (const auto& node : nodes)
    for (const auto& parent : node.down_revisions) ++waiting[g.position(parent)];
  // A stack, not a queue: after a revision, its first parent is drawn next
  // when nothing else waits for it, so a branch stays one run of lines.
  std::vector<std::size_t> ready;
  auto heads = g.heads();
  for (auto it = heads.rbegin(); it != heads.rend(); ++it) ready.push_back(g.position(*it));
  std::vector<std::string> order;
  order.reserve(n);
  while (!ready.empty()) {
    std::size_t i = ready.back();
    ready.pop_back();
    order.push_back(nodes[i].id);
    const auto& parents = nodes[i].down_revisions;
    for (auto it = parents.rbegin(); it != parents.rend(); ++it) {
      std::size_t p = g.position(*it);
      if (--waiting[p] == 0) ready.push_back(p);
    }
  }
  return order;
}

std::vector<std::string> decorations(const RevisionFacts& f, const std::string& id) {
  const auto& g = *f.graph;
  std::vector<std::string> out;
  if (g.is_head(id)) {
    // As `history` says it: a head that another revision depends on is not
    // one that `upgrade heads` stores (Alembic's "effective head").
    bool depended_on = false;
    for (const auto& node : g.nodes()) {
      if (node.depends_on.empty()) continue;
      auto deps = g.resolved_dependencies(node.id);
      if (std::find(deps.begin(), deps.end(), id) != deps.end()) {
        depended_on = true;
        break;
      }
    }
    out.push_back(depended_on ? "effective head" : "head");
  }
  if (f.current.count(id)) out.push_back("current");
  for (const auto& label : g.get(id).branch_labels) out.push_back("branch " + label);
  if (g.is_merge_point(id)) out.push_back("mergepoint");
  if (g.is_branch_point(id)) out.push_back("branchpoint");
  for (const auto& dep : g.resolved_dependencies(id)) out.push_back("depends on " + dep);
  return out;
}

}  // namespace migrate::draw
