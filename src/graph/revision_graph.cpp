// RevisionGraph: construction and the plain queries. Targets are resolved in
// resolver.cpp, plans made in plans.cpp, stamps in stamp.cpp.
#include "graph/revision_graph.h"

#include "graph/graph_data.h"

namespace migrate::graph {

using detail::GraphData;
using detail::Idx;

RevisionGraph::RevisionGraph(std::vector<RevisionNode> nodes)
    : data_(detail::build_graph(std::move(nodes))) {}

const GraphData& RevisionGraph::data() const {
  static const GraphData kEmpty;
  return data_ ? *data_ : kEmpty;
}

const std::vector<RevisionNode>& RevisionGraph::nodes() const { return data().nodes; }

namespace {

std::vector<std::string> ids_of(const GraphData& g, detail::Span list) {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (Idx i : list) out.push_back(g.id(i));
  return out;
}

Idx index_of(const GraphData& g, const std::string& id) {
  auto it = g.by_id.find(id);
  if (it == g.by_id.end()) throw GraphError("no such revision: '" + id + "'");
  return it->second;
}

}  // namespace

bool RevisionGraph::contains(const std::string& id) const { return data().by_id.count(id) > 0; }

std::size_t RevisionGraph::position(const std::string& id) const {
  auto it = data().by_id.find(id);
  return it == data().by_id.end() ? npos : it->second;
}

const RevisionNode& RevisionGraph::get(const std::string& id) const {
  return data().nodes[index_of(data(), id)];
}

std::vector<std::string> RevisionGraph::heads() const { return ids_of(data(), data().heads); }

std::vector<std::string> RevisionGraph::bases() const { return ids_of(data(), data().bases); }

std::vector<std::string> RevisionGraph::children(const std::string& id) const {
  return ids_of(data(), data().children[index_of(data(), id)]);
}

bool RevisionGraph::is_head(const std::string& id) const {
  return data().children[index_of(data(), id)].empty();
}

bool RevisionGraph::is_base(const std::string& id) const {
  return data().down[index_of(data(), id)].empty();
}

bool RevisionGraph::is_branch_point(const std::string& id) const {
  return data().children[index_of(data(), id)].size() > 1;
}

bool RevisionGraph::is_merge_point(const std::string& id) const {
  return data().down[index_of(data(), id)].size() > 1;
}

std::vector<std::string> RevisionGraph::resolved_dependencies(const std::string& id) const {
  return ids_of(data(), data().deps[index_of(data(), id)]);
}

std::vector<std::string> RevisionGraph::branch_labels_covering(const std::string& id) const {
  return data().labels_of(index_of(data(), id));
}

}  // namespace migrate::graph
