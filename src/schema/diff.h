// The diff between two inspected schemas of the same dialect, as the SQL that
// turns `from` into `to`, in an order the server accepts. Each dialect has
// its own differ (src/schema/sqlite/, src/schema/postgres/) because what can be
// altered in place differs so much (SQLite rebuilds tables; PostgreSQL alters
// them); shared matching and ordering helpers live beside this header. A
// differ produces typed operations (schema/ops.h); its dialect's renderer
// (schema/render.h) writes their statements and summary.
//
// The differ is picked by the registry (backend/backend.h: diff_schemas),
// which also appends the dialect-neutral probable-rename warnings
// (schema/rename_warnings.h) to every Diff, so a dialect differ need not
// produce them; render_script puts a non-destructive statement's note above
// it as "-- NOTE".
#pragma once

#include <string>
#include <vector>

#include "schema/model.h"
#include "schema/ops.h"

namespace migrate::schema {

struct DiffStatement {
  std::string sql;  // one complete statement, without the trailing ';'
  // Drops data or an object that holds data (DROP TABLE, DROP COLUMN, a
  // narrowing type change...): rendered with a "-- destructive:" comment.
  bool destructive = false;
  std::string note;  // why, for the comment above the statement ("" = none)
  // "RULE REASON": written right above it as `-- migrate:lint-ignore RULE
  // REASON` (autogenerate, for a finding it knows to be harmless here).
  std::string lint_ignore = {};
};

struct Diff {
  // What the differ decided, in the order it runs; `statements` is their SQL.
  std::vector<ops::Operation> operations;
  std::vector<DiffStatement> statements;
  // For the user's eyes, printed to stderr: e.g. a probable rename ("table t
  // drops column a and adds column b of the same type: if this is a rename,
  // add `-- migrate:renamed-from a` to b in the schema file").
  std::vector<std::string> warnings;
  // Human summary of each difference found ("add column accounts.version"),
  // for `check`.
  std::vector<std::string> changes;
  bool empty() const { return statements.empty(); }
};

// The statements as a script: each followed by ";\n", destructive ones
// preceded by "-- destructive: NOTE", then by its lint-ignore line.
std::string render_script(const Diff& diff);
std::string render_script(const std::vector<DiffStatement>& statements);

}  // namespace migrate::schema
