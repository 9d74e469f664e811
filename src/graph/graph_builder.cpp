// Indexing and validation of a revision graph. Every check is linear in the
// size of the graph and allocates per relation, not per revision, so loading
// 10,000 revisions takes about a millisecond; traversals are iterative, so
// long chains cannot overflow the stack.
#include <algorithm>
#include <string>
#include <string_view>

#include "graph/graph_data.h"
#include "graph/names.h"
#include "graph/revision_graph.h"

namespace migrate::graph::detail {
namespace {

using Edges = std::vector<std::pair<Idx, Idx>>;

bool is_reserved_word(std::string_view s) {
  // string_view compares lengths first: no strcmp for the usual 12-digit id.
  return s == "head" || s == "heads" || s == "base" || s == "current";
}

// Characters that the target grammar gives a meaning to. A label may hold
// '-' (feature-x): a target equal to a label is never read as a count.
bool has_target_syntax(const std::string& s, bool label) {
  // A plain loop: find_first_of runs one memchr per character of the set.
  for (char c : s) {
    switch (c) {
      case '@':
      case '+':
      case ':':
      case ' ':
      case '\t':
        return true;
      case '-':
        if (!label) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

void check_ids(GraphData& g) {
  g.by_id.reserve(g.nodes.size());
  for (Idx i = 0; i < g.size(); ++i) {
    const RevisionNode& n = g.nodes[i];
    if (n.id.empty()) throw GraphError("a revision in " + source_or(n, "the graph") + " has no id");
    if (has_target_syntax(n.id, false) || is_reserved_word(n.id))
      throw GraphError("revision id '" + n.id + "' in " + source_or(n, "the graph") +
                       " is not usable: ids may not be head, heads, base or current, nor contain "
                       "'@', '+', '-', ':' or spaces");
    auto [it, fresh] = g.by_id.emplace(n.id, i);
    if (!fresh)
      throw GraphError("revision " + n.id + " is defined twice: in " +
                       source_or(g.nodes[it->second], "?") + " and in " + source_or(n, "?"));
  }
}

void check_labels(GraphData& g) {
  for (Idx i = 0; i < g.size(); ++i) {
    for (const std::string& label : g.nodes[i].branch_labels) {
      if (label.empty() || has_target_syntax(label, true) || is_reserved_word(label))
        throw GraphError("branch label '" + label + "' of " + describe(g.nodes[i]) +
                         " is not usable: labels may not be head, heads, base or current, nor "
                         "contain '@', '+', ':' or spaces");
      auto id = g.by_id.find(label);
      if (id != g.by_id.end())
        throw GraphError("branch label '" + label + "' of " + describe(g.nodes[i]) +
                         " is also the id of revision " + describe(g.nodes[id->second]));
      auto [it, fresh] = g.by_label.emplace(label, i);
      if (!fresh && it->second != i)
        throw GraphError("branch label '" + label + "' is declared by both " +
                         describe(g.nodes[it->second]) + " and " + describe(g.nodes[i]));
    }
  }
}

void link_down_revisions(GraphData& g) {
  Edges down, up;
  down.reserve(g.size());
  for (Idx i = 0; i < g.size(); ++i) {
    const RevisionNode& n = g.nodes[i];
    std::size_t first = down.size();
    for (const std::string& parent : n.down_revisions) {
      if (parent == n.id)
        throw GraphError("self-loop: revision " + describe(n) +
                         " names itself as its down_revision");
      auto it = g.by_id.find(parent);
      if (it == g.by_id.end())
        throw GraphError("revision " + describe(n) + " has down_revision " + parent +
                         ", which does not exist");
      for (std::size_t k = first; k < down.size(); ++k)
        if (down[k].second == it->second)
          throw GraphError("revision " + describe(n) + " lists down_revision " + parent + " twice");
      down.emplace_back(i, it->second);
    }
  }
  up.reserve(down.size());
  for (const auto& [child, parent] : down) up.emplace_back(parent, child);
  g.down = Adjacency::build(g.size(), down);
  g.children = Adjacency::build(g.size(), up);  // children in node order, as Alembic's map
}

// A dependency may be an id, a branch label or a unique id prefix.
Idx resolve_dependency(const GraphData& g, Idx owner, const std::string& dep) {
  if (auto it = g.by_id.find(dep); it != g.by_id.end()) return it->second;
  if (auto it = g.by_label.find(dep); it != g.by_label.end()) return it->second;
  if (dep.size() >= kMinPrefix) {
    IdxList matches = prefix_matches(g, dep);
    if (matches.size() == 1) return matches[0];
    if (matches.size() > 1)
      throw GraphError("revision " + describe(g.nodes[owner]) + " depends on '" + dep +
                       "', which is ambiguous; it matches " + describe_list(g.nodes, matches));
  }
  throw GraphError("revision " + describe(g.nodes[owner]) + " depends on '" + dep +
                   "', which is no revision id, unique id prefix or branch label");
}

Edges link_dependencies(GraphData& g) {
  Edges deps;
  for (Idx i = 0; i < g.size(); ++i) {
    std::size_t first = deps.size();
    for (const std::string& dep : g.nodes[i].depends_on) {
      Idx d = resolve_dependency(g, i, dep);
      if (d == i)
        throw GraphError("dependency self-loop: revision " + describe(g.nodes[i]) +
                         " depends on itself ('" + dep + "')");
      bool seen = false;
      for (std::size_t k = first; k < deps.size(); ++k) seen = seen || deps[k].second == d;
      if (!seen) deps.emplace_back(i, d);
    }
  }
  g.deps = Adjacency::build(g.size(), deps);
  g.has_deps = !deps.empty();

  Edges all;
  all.reserve(g.size() + deps.size());
  for (Idx i = 0; i < g.size(); ++i) {
    for (Idx p : g.down[i]) all.emplace_back(p, i);
    for (Idx d : g.deps[i])
      if (std::find(g.down[i].begin(), g.down[i].end(), d) == g.down[i].end())
        all.emplace_back(d, i);
  }
  g.all_children = Adjacency::build(g.size(), all);
  return deps;
}

// Kahn's algorithm over parent -> child edges. When the order holds fewer
// than n revisions, the rest sit on or behind a cycle.
IdxList kahn_order(std::size_t n, const Adjacency& kids) {
  std::vector<std::uint32_t> pending(n, 0);
  for (Idx i = 0; i < n; ++i)
    for (Idx c : kids[i]) ++pending[c];
  IdxList order;
  order.reserve(n);
  for (Idx i = 0; i < n; ++i)
    if (pending[i] == 0) order.push_back(i);
  for (std::size_t k = 0; k < order.size(); ++k)
    for (Idx c : kids[order[k]])
      if (--pending[c] == 0) order.push_back(c);
  return order;
}

// Every revision left over by Kahn has an unprocessed parent; following such
// parents must come back to one already seen, which closes a cycle.
[[noreturn]] void report_cycle(const GraphData& g, const IdxList& order, const Adjacency& kids,
                               const std::string& kind, const std::string& edge) {
  const std::size_t n = g.size();
  std::vector<char> done(n, 0);
  for (Idx i : order) done[i] = 1;
  std::vector<Idx> parent(n, 0);
  for (Idx p = 0; p < n; ++p)
    for (Idx c : kids[p])
      if (!done[p]) parent[c] = p;
  Idx v = 0;
  while (done[v]) ++v;
  std::vector<int> pos(n, -1);
  IdxList path;
  while (pos[v] < 0) {
    pos[v] = static_cast<int>(path.size());
    path.push_back(v);
    v = parent[v];
  }
  IdxList cycle(path.begin() + pos[v], path.end());
  std::string msg = kind + " detected: ";
  for (Idx c : cycle) msg += g.id(c) + " -> ";
  msg += g.id(cycle.front()) + " (each names the next as its " + edge + "; " +
         describe_list(g.nodes, cycle) + ")";
  throw GraphError(msg);
}

// Alembic's _normalize_depends_on: a dependency already declared by one of
// the revision's down_revision ancestors is dropped. Rather than walking every
// revision's ancestry (quadratic on a chain), walk forward once per depended-on
// revision from all its dependents: a dependent reached that way has another
// dependent below it. The walk stops past the last dependent in topological
// order, since nothing there can lead back to one.
void normalize_dependencies(GraphData& g, const Edges& deps) {
  const std::size_t n = g.size();
  std::vector<std::uint32_t> rank(n);
  for (std::uint32_t k = 0; k < n; ++k) rank[g.topo[k]] = k;
  // Dependency edges (as indices into `deps`) grouped by depended-on revision.
  std::unordered_map<Idx, std::vector<std::size_t>> by_target;
  for (std::size_t k = 0; k < deps.size(); ++k) by_target[deps[k].second].push_back(k);

  std::vector<char> dropped(deps.size(), 0);
  std::vector<std::uint32_t> seen(n, 0);
  std::uint32_t epoch = 0;
  for (const auto& [target, edges] : by_target) {
    if (edges.size() < 2) continue;
    ++epoch;
    std::uint32_t last = 0;
    for (std::size_t k : edges) last = std::max(last, rank[deps[k].first]);
    IdxList stack;
    for (std::size_t k : edges)
      for (Idx c : g.children[deps[k].first]) stack.push_back(c);
    while (!stack.empty()) {
      Idx v = stack.back();
      stack.pop_back();
      if (seen[v] == epoch || rank[v] > last) continue;
      seen[v] = epoch;
      for (Idx c : g.children[v]) stack.push_back(c);
    }
    for (std::size_t k : edges)
      if (seen[deps[k].first] == epoch) dropped[k] = 1;
  }

  Edges norm;
  norm.reserve(n + deps.size());
  std::size_t k = 0;
  for (Idx i = 0; i < n; ++i) {
    Span down = g.down[i];
    for (Idx p : down) norm.emplace_back(i, p);
    for (; k < deps.size() && deps[k].first == i; ++k)
      if (!dropped[k] && std::find(down.begin(), down.end(), deps[k].second) == down.end())
        norm.emplace_back(i, deps[k].second);
  }
  g.norm_down = Adjacency::build(n, norm);
}

}  // namespace

std::shared_ptr<const GraphData> build_graph(std::vector<RevisionNode> nodes) {
  auto data = std::make_shared<GraphData>();
  GraphData& g = *data;
  g.nodes = std::move(nodes);
  const std::size_t n = g.size();

  check_ids(g);
  check_labels(g);
  link_down_revisions(g);
  Edges deps = link_dependencies(g);

  g.topo = kahn_order(n, g.children);
  if (g.topo.size() != n) report_cycle(g, g.topo, g.children, "cycle", "down_revision");
  if (g.has_deps) {
    IdxList all = kahn_order(n, g.all_children);
    if (all.size() != n)
      report_cycle(g, all, g.all_children, "dependency cycle", "down_revision or dependency");
  }
  normalize_dependencies(g, deps);

  for (Idx i = 0; i < n; ++i) {
    if (g.children[i].empty()) g.heads.push_back(i);
    if (g.all_children[i].empty()) g.real_heads.push_back(i);
    if (g.down[i].empty()) g.bases.push_back(i);
  }
  compute_branch_labels(g);
  return data;
}

}  // namespace migrate::graph::detail
