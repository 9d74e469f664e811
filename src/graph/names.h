// Internal to src/graph: how revisions are named in error messages, and
// id-prefix lookup.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "graph/graph_data.h"
#include "graph/revision_graph.h"

namespace migrate::graph::detail {

// The contract: a partial id must have at least this many characters.
constexpr std::size_t kMinPrefix = 4;

// "id (source)", or just "id" when the node has no source.
std::string describe(const RevisionNode& node);
// "a (x.sql), b (y.sql)".
std::string describe_list(const std::vector<RevisionNode>& nodes, const IdxList& which);
// The node's source, or `fallback` when it has none.
std::string source_or(const RevisionNode& node, const std::string& fallback);
// "a, b, c".
std::string join_ids(const std::vector<RevisionNode>& nodes, const IdxList& which);

// Revisions with an id or branch label starting with `prefix`, each once, in
// node order.
IdxList prefix_matches(const GraphData& g, const std::string& prefix);

}  // namespace migrate::graph::detail
