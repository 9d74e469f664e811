// How one table changes, for SQLite: which columns are kept, renamed,
// dropped or added, and whether ALTER TABLE can do it in place (RENAME
// COLUMN, DROP COLUMN, ADD COLUMN within SQLite's limits) or the table must be
// rebuilt (https://www.sqlite.org/lang_altertable.html#otheralter).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "schema/model.h"
#include "schema/ops.h"

namespace migrate::schema::sqlite {

struct ColumnMatch {
  const Column* from = nullptr;
  const Column* to = nullptr;
  bool renamed() const;
};

struct TablePlan {
  const Table* from = nullptr;
  const Table* to = nullptr;
  bool renamed = false;                // from a `-- migrate:renamed-from` hint
  std::vector<ColumnMatch> kept;       // in `to`'s column order
  std::vector<const Column*> dropped;  // from `from`
  std::vector<const Column*> added;    // from `to`, in its column order
  // Why the table must be rebuilt; empty = in place.
  std::vector<ops::RebuildReason> rebuild_reasons;

  bool rebuild() const { return !rebuild_reasons.empty(); }
  bool has_column_renames() const;
  // Anything at all changes in the table's own definition.
  bool altered() const;
};

// Names that a table rename or column rename changes, as SQLite's ALTER TABLE
// RENAME rewrites them in dependent text (foreign keys of other tables,
// indexes): folded old table name -> new name, and per folded (new) table
// name, folded old column name -> new name.
struct Renames {
  std::map<std::string, std::string> tables;
  std::map<std::string, std::map<std::string, std::string>> columns;
};

// Matches the columns and decides in place vs rebuild. `renames` must already
// hold every table's renames (foreign keys of this table may point at a
// renamed table or column).
TablePlan plan_table(const Table& from, const Table& to, bool renamed, const Renames& renames);

// Adds this pair's column renames to `renames` (before plan_table runs).
void collect_column_renames(const Table& from, const Table& to, Renames& renames);

// A constraint's comparable text after the renames an in-place change makes.
std::string project_constraint(const Constraint& c, const std::string& table_new_name,
                               const Renames& renames);

// The text of an index/trigger/view definition, for comparison, without its
// own name.
std::string comparable_definition(const std::string& sql);

}  // namespace migrate::schema::sqlite
