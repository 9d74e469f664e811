// What `diff --from/--to`, `check` and `revision --autogenerate` compare: a
// source names a schema and this turns it into one.
//   - a database URL: that database, inspected;
//   - a path ending in .sql: a desired-state schema file, applied to a fresh
//     dev database and inspected there (so both sides of a diff are the
//     server's own canonical form, never SQL text), with its
//     `-- migrate:renamed-from` hints attached;
//   - rev:TARGET: a fresh dev database upgraded to TARGET (rev:heads,
//     rev:head, rev:<id>, rev:base = empty) with the project's revisions.
// The tool's own version and history tables are never part of a schema.
//
// In backend/ (it was schema/source.h) because it composes the registry's
// dev databases and inspectors with the runner: schema/ is below both.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "db/database.h"
#include "schema/autogen_plan.h"
#include "schema/model.h"
#include "script/script_directory.h"

namespace migrate::backend {

struct SourceContext {
  std::string database_url;  // the configured database: the dev database's kind
  std::string dev_url;       // --dev-url / dev_url; empty = a temporary one
  std::string base_dir;      // the config file's folder (relative SQLite paths)
  db::TableNames tables;     // the tool's own tables, left out of every schema
  const script::ScriptDirectory* scripts = nullptr;  // for rev:TARGET
  // Told when a database source does not exist (db::Database::missing(): a
  // SQLite file, which reads as an empty schema), so that a mistyped path
  // does not pass for an empty database unsaid. Unset: not checked.
  std::function<void(const std::string&)> note;
  // PostgreSQL: inspect owners and privileges too (`--privileges`).
  bool privileges = false;
};

enum class SourceKind { kDatabase, kSchemaFile, kRevision };

// Which kind `source` is. Throws migrate::Error for anything else, naming
// the accepted forms.
SourceKind source_kind(const std::string& source);

schema::Schema load_source(const std::string& source, const SourceContext& ctx);

// `revision --autogenerate` writing several steps: runs them in order on a
// fresh dev database upgraded to rev:heads (so the SQL is known to apply)
// and returns, per step, the diff that undoes it (the schema after it to
// the schema before it), and the schema after the last one. Whether a
// constraint is validated is not compared (a downgrade need not undo a
// VALIDATE). Errors name the step and its failing statement.
struct Replay {
  std::vector<schema::Diff> downgrades;
  schema::Schema after;
};
Replay replay_steps(const std::vector<schema::AutogenStep>& steps, const SourceContext& ctx);

// For messages: the source with any password redacted.
std::string describe_source(const std::string& source);

}  // namespace migrate::backend
