#include "graph/names.h"

#include <algorithm>

namespace migrate::graph::detail {

std::string describe(const RevisionNode& node) {
  return node.source.empty() ? node.id : node.id + " (" + node.source + ")";
}

std::string describe_list(const std::vector<RevisionNode>& nodes, const IdxList& which) {
  std::string out;
  for (Idx i : which) {
    if (!out.empty()) out += ", ";
    out += describe(nodes[i]);
  }
  return out;
}

std::string source_or(const RevisionNode& node, const std::string& fallback) {
  return node.source.empty() ? fallback : node.source;
}

std::string join_ids(const std::vector<RevisionNode>& nodes, const IdxList& which) {
  std::string out;
  for (Idx i : which) {
    if (!out.empty()) out += ", ";
    out += nodes[i].id;
  }
  return out;
}

IdxList prefix_matches(const GraphData& g, const std::string& prefix) {
  IdxList out;
  const auto& keys = g.sorted_keys();
  auto it = std::lower_bound(keys.begin(), keys.end(), std::string_view(prefix),
                             [](const auto& key, std::string_view p) { return key.first < p; });
  for (; it != keys.end() && it->first.substr(0, prefix.size()) == prefix; ++it)
    out.push_back(it->second);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace migrate::graph::detail
