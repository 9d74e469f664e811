// Internal to the PostgreSQL differ (pg_diff_tables.cpp): a child's own
// column (attislocal) that becomes inherited only, as its parent adds a
// column of that name. The parent's ADD COLUMN would merge into it, and
// the column would stay the child's own (no ALTER undoes that), so it is
// parked around the ADD COLUMN instead (ops::InheritColumn): renamed
// before, its values copied into the inherited column after, dropped last.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "schema/model.h"
#include "schema/ops.h"
#include "schema/postgres/pg_diff_plan.h"

namespace migrate::schema::postgres {

// A table kept on both sides.
struct TablePair {
  const Table* from;
  const Table* to;
};
using KeptTables = std::map<QualifiedName, TablePair>;  // by the `from` name

struct Parking {
  const Table* child;               // `from`
  const Table* child_to;            // `to`
  TablePair parent;                 // the parent whose ADD COLUMN makes the column
  const Column* own;                // the child's column, in `from`
  Column made;                      // the column as the ADD COLUMN makes it in the child and below
  std::string parked;               // the temporary name
  std::vector<const Table*> below;  // the tables of `from` inheriting from the child
};

// The tables of `from` that inherit from `root`, at any depth, through the
// links `stays(child, parent)` says are kept.
std::vector<const Table*> descendants(
    const Table& root, const Schema& from,
    const std::function<bool(const Table&, const QualifiedName&)>& stays);

// Whether `k` can be parked. If so, fills its `made` and `parked` and
// records in `plan` the tables the copy rewrites and the column they
// reshape; if not, says why in a warning (the column stays the child's
// own as well as inherited).
bool plan_parking(Parking& k, const Schema& from, const KeptTables& kept, Plan& plan);

// The step's operation. Before the drop, the child has its name in `from`
// (its RENAME, if any, comes with its own ALTERs, after its parents').
ops::InheritColumn inherit_column(const Parking& k, ops::InheritColumn::Step step,
                                  const Plan& plan);

// The rename (kPark), after letting go the sequences owned by the column
// or by the column below it (DROP COLUMN would drop them), which are owned
// again once the column is back (kSequenceOwnership).
void park_column(const Parking& k, const Schema& from, const Schema& to, Plan& plan);

}  // namespace migrate::schema::postgres
