// The version and history tables on a live connection. Statements are
// prepared once per connection and reused step after step; they run in
// whatever transaction the caller holds.
#pragma once

#include <string>
#include <vector>

#include "db/database.h"
#include "db/sqlite/sqlite_connection.h"
#include "db/sqlite/sqlite_dialect.h"

namespace migrate::db::sqlite {

// A history row as written (the id is the database's).
struct HistoryRecord {
  std::string revision;
  std::string direction;  // "upgrade", "downgrade", "stamp", "unstamp", "accept"
  std::string checksum;   // empty = NULL
  std::string started_at;
  double duration_ms = 0;
  std::string applied_by;
  std::string status;  // "ok", "failed"
};

class VersionStore {
 public:
  VersionStore(Connection& conn, const SqliteDialect& dialect, TableNames tables);

  const TableNames& tables() const { return tables_; }

  // Whether the version table exists. A plain read: creates nothing.
  bool version_table_exists();
  bool history_table_exists();
  // CREATE TABLE IF NOT EXISTS for both, in the caller's transaction.
  void create_tables();

  std::vector<std::string> heads();
  // Throws unless the heads equal `expected` as sets; `context` says what
  // was about to happen ("step ab12 (upgrade)").
  void check_heads(const std::vector<std::string>& expected, const std::string& context);
  // Applies one op; an UPDATE or DELETE must touch exactly one row.
  void apply(const graph::VersionOp& op, const std::string& context);
  // check_heads(expected) and then apply(op) for each of `ops`, as one
  // guarded statement when that proves the same (a step along a chain:
  // one expected head and an UPDATE or DELETE of it first, or no head and
  // an INSERT first). A guarded op that touches no row is explained by
  // check_heads' message, or else apply's.
  void apply_checked(const std::vector<graph::VersionOp>& ops,
                     const std::vector<std::string>& expected, const std::string& context);
  void record(const HistoryRecord& row);
  std::vector<HistoryEntry> history();

 private:
  bool table_exists(const std::string& name);

  Connection& conn_;
  const SqliteDialect& dialect_;
  TableNames tables_;
  // Rendered once: the per-step statements are looked up by their text.
  std::string op_sql_[3];
  std::string guarded_op_sql_[3];
  std::string history_insert_sql_;
  std::string select_heads_sql_;
};

// "[a, b]" / "[] (empty)", for messages.
std::string format_heads(const std::vector<std::string>& heads);

}  // namespace migrate::db::sqlite
