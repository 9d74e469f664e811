// A plan checked against the table it changes: what each phase has to
// add, keep in step, fill and drop, independent of the dialect. Every
// refusal names PLAN.yaml:LINE (the operation's or its key's line): a table
// without a primary key or unique NOT NULL key, an unknown table or column,
// a name that exists, an operation on a key column, a column touched twice,
// a change that would break one application version's writes (a NOT NULL
// column the new version cannot fill without `down`, add_column NOT NULL
// without a default), an expression that is not one SQL expression.
#pragma once

#include <string>
#include <vector>

#include "expand/plan.h"
#include "schema/model.h"

namespace migrate::expand {

// A column the window keeps twice: the old application's (`from`) and the
// new one's (`to`), kept equal through `up` (new from the old row) and
// `down` (old from the new row). rename_column: up = from, down = to.
struct Pair {
  const PlanOp* op = nullptr;
  schema::Column from, to;   // `to`: nullable and without a default until the contract
  std::string up, down;      // down "" = none (the old column is left NULL by new writes)
  bool not_null = false;     // `to` becomes NOT NULL at the contract (as `from` is)
  std::string default_expr;  // `from`'s default (applied by the trigger in the window); ""
};

// set_not_null: NULLs written by either version become `fill`. Also an
// add_column NOT NULL with a volatile default (fill = the default).
struct Fill {
  const PlanOp* op = nullptr;
  std::string column, fill;
};

// add_column: a constant default is stored once (no rewrite); a volatile one
// becomes the column's default for new rows and is backfilled for old ones.
struct Added {
  const PlanOp* op = nullptr;
  schema::Column column;  // type, not_null, default_expr as planned
  bool volatile_default = false;
};

// drop_column: `down` fills the column for the new version's inserts.
struct Dropped {
  const PlanOp* op = nullptr;
  schema::Column column;
  std::string down;
};

struct NewConstraint {  // add_check, add_foreign_key: NOT VALID, validated at the contract
  const PlanOp* op = nullptr;
  schema::Constraint constraint;
};

struct NewIndex {  // add_unique (constraint: true), create_index
  const PlanOp* op = nullptr;
  schema::Index index;
  bool constraint = false;
};

// A helper `CHECK (column IS NOT NULL) NOT VALID` that stands for NOT NULL
// in the window and is validated, turned into SET NOT NULL and dropped at the
// contract (SET NOT NULL then needs no scan).
struct NotNullHelper {
  std::string column, name;
};

struct Change {
  const Plan* plan = nullptr;
  schema::Table table;               // as it is before the expand
  std::vector<std::string> key;      // primary key or unique NOT NULL key
  std::vector<std::string> columns;  // every column in the window (old, new, added)
  std::vector<Pair> pairs;
  std::vector<Fill> fills;
  std::vector<Added> added;
  std::vector<Dropped> dropped;
  std::vector<NewConstraint> constraints;
  std::vector<NewIndex> indexes;
  std::vector<NotNullHelper> not_null;
  std::string sync_function;  // the trigger function's name (in the table's schema)
  std::string sync_trigger;
  std::vector<std::string> warnings;
  // Indexes and constraints over the old column of a rename_column that the
  // contract drops on PostgreSQL (it drops the old column); SQLite's
  // contract renames the old column into place and keeps them.
  std::vector<std::string> rename_warnings;
  // Why the contract cannot be undone ("change_type amount (PLAN.yaml:4) has
  // no `down`"); empty = every operation can be re-expanded.
  std::vector<std::string> irreversible;

  bool needs_trigger() const { return !pairs.empty() || !fills.empty() || !dropped.empty(); }
};

// `default_schema`: the schema of a plan's unqualified table ("public";
// SQLite "main").
Change analyse(const Plan& plan, const schema::Schema& schema, const std::string& default_schema);

}  // namespace migrate::expand
