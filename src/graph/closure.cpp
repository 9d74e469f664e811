#include "graph/closure.h"

namespace migrate::graph::detail {
namespace {

template <typename Next>
Marks closure(std::size_t n, const IdxList& from, Next next) {
  Marks seen(n, 0);
  IdxList stack;
  for (Idx i : from)
    if (!seen[i]) {
      seen[i] = 1;
      stack.push_back(i);
    }
  while (!stack.empty()) {
    Idx v = stack.back();
    stack.pop_back();
    for (Idx w : next(v))
      if (!seen[w]) {
        seen[w] = 1;
        stack.push_back(w);
      }
  }
  return seen;
}

}  // namespace

Marks ancestors(const GraphData& g, const IdxList& from, Edges edges) {
  const auto& up = edges == Edges::kWithDeps ? g.norm_down : g.down;
  return closure(g.size(), from, [&](Idx v) { return up[v]; });
}

Marks descendants(const GraphData& g, const IdxList& from, Edges edges) {
  const auto& down = edges == Edges::kWithDeps ? g.all_children : g.children;
  return closure(g.size(), from, [&](Idx v) { return down[v]; });
}

IdxList filter(const IdxList& revs, const Marks& marks) {
  IdxList out;
  for (Idx r : revs)
    if (marks[r]) out.push_back(r);
  return out;
}

std::optional<std::pair<Idx, Idx>> find_overlap(const GraphData& g, const IdxList& revs,
                                                Edges edges) {
  if (revs.size() < 2) return std::nullopt;
  // Everything strictly below some member: a member found there overlaps.
  const auto& up = edges == Edges::kWithDeps ? g.norm_down : g.down;
  IdxList parents;
  for (Idx r : revs)
    for (Idx p : up[r]) parents.push_back(p);
  Marks below = ancestors(g, parents, edges);
  for (Idx r : revs) {
    if (!below[r]) continue;
    for (Idx other : revs) {
      if (other == r) continue;
      if (ancestors(g, {other}, edges)[r]) return std::make_pair(r, other);
    }
  }
  return std::nullopt;
}

void check_no_overlap(const GraphData& g, const IdxList& revs, const char* what,
                      const std::string& hint, Edges edges) {
  if (auto o = find_overlap(g, revs, edges))
    throw GraphError(std::string(what) + " " + g.id(o->first) + " and " + g.id(o->second) +
                     " overlap: " + g.id(o->first) + " is an ancestor of " + g.id(o->second) +
                     hint);
}

}  // namespace migrate::graph::detail
