// Internal to src/graph: the order in which Alembic lists a set of revisions
// (RevisionMap._topological_sort), newest first. Upgrades run it reversed.
#pragma once

#include "graph/closure.h"
#include "graph/graph_data.h"

namespace migrate::graph::detail {

// Orders the revisions marked in `todo`, walking down from those of `heads`
// that are in `todo` (taken in node order). Each walk continues down its
// line until it reaches a revision that another pending walk still has to
// pass through; it then yields to that walk. The result is Alembic's order
// exactly, since each choice Alembic makes is made the same way here.
IdxList alembic_order(const GraphData& g, const Marks& todo, const IdxList& heads);

}  // namespace migrate::graph::detail
