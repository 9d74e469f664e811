// Internal to src/graph: ancestor and descendant sets, computed iteratively
// (a 10,000-revision chain must not recurse 10,000 deep).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graph/graph_data.h"
#include "graph/revision_graph.h"

namespace migrate::graph::detail {

// Which edges a walk follows: down_revisions only, or dependencies as well
// (Alembic's include_dependencies).
enum class Edges { kDownOnly, kWithDeps };

// One flag per revision.
using Marks = std::vector<char>;

// `from` and all their ancestors (kWithDeps follows normalized dependencies,
// which reach the same revisions as all dependencies).
Marks ancestors(const GraphData& g, const IdxList& from, Edges edges);
// `from` and all their descendants.
Marks descendants(const GraphData& g, const IdxList& from, Edges edges);

// The revisions of `revs` that are marked, in the order of `revs`.
IdxList filter(const IdxList& revs, const Marks& marks);

// The first (ancestor, descendant) pair among `revs`, if one of them is an
// ancestor of another along `edges`.
std::optional<std::pair<Idx, Idx>> find_overlap(const GraphData& g, const IdxList& revs,
                                                Edges edges = Edges::kWithDeps);

// Alembic's check=True: throws when one of `revs` is an ancestor of another
// (e.g. `upgrade a b` where b follows a), naming both; `hint` is appended.
void check_no_overlap(const GraphData& g, const IdxList& revs, const char* what,
                      const std::string& hint = "", Edges edges = Edges::kWithDeps);

}  // namespace migrate::graph::detail
