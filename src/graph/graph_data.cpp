#include "graph/graph_data.h"

#include <algorithm>

namespace migrate::graph::detail {

Adjacency Adjacency::build(std::size_t n, const std::vector<std::pair<Idx, Idx>>& edges) {
  // A counting sort by source keeps each source's targets in edge order.
  Adjacency a;
  a.offsets_.assign(n + 1, 0);
  for (const auto& e : edges) ++a.offsets_[e.first + 1];
  for (std::size_t i = 0; i < n; ++i) a.offsets_[i + 1] += a.offsets_[i];
  a.targets_.resize(edges.size());
  std::vector<Idx> fill(a.offsets_.begin(), a.offsets_.end() - 1);
  for (const auto& e : edges) a.targets_[fill[e.first]++] = e.second;
  return a;
}

const std::vector<std::pair<std::string_view, Idx>>& GraphData::sorted_keys() const {
  std::call_once(keys_once_, [this] {
    keys_.reserve(by_id.size() + by_label.size());
    for (const auto& kv : by_id) keys_.emplace_back(kv.first, kv.second);
    for (const auto& kv : by_label) keys_.emplace_back(kv.first, kv.second);
    std::sort(keys_.begin(), keys_.end());
  });
  return keys_;
}

}  // namespace migrate::graph::detail
