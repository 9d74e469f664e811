// SQL rendering for SQLite, shared by offline scripts and the live backend so
// both write the same statements. Rendered statements carry no trailing
// semicolon; offline output appends one.
//
// begin_sql() is "BEGIN IMMEDIATE" online and offline: an offline script may
// well be run (by the sqlite3 CLI) against a database in use, and a deferred
// BEGIN would fail with SQLITE_BUSY when its read lock cannot be upgraded,
// where IMMEDIATE waits for the write lock up front.
#pragma once

#include <string>
#include <vector>

#include "db/database.h"

namespace migrate::db::sqlite {

class SqliteDialect : public Dialect {
 public:
  std::string name() const override { return "sqlite"; }
  std::string quote_ident(const std::string& ident) const override;
  std::string quote_literal(const std::string& text) const override;
  // SQLite has no schemas for our purpose: TableNames::schema is ignored.
  std::string qualified(const TableNames& t, const std::string& table) const override;
  std::vector<std::string> create_tables_sql(const TableNames& t) const override;
  std::string version_op_sql(const TableNames& t, const graph::VersionOp& op) const override;
  // The version op, then a statement that fails unless changes() is 1
  // (sqlite_offline_guard.cpp); an INSERT alone.
  std::vector<std::string> offline_version_op_sql(const TableNames& t, const graph::VersionOp& op,
                                                  const std::string& label) const override;
  std::string begin_sql() const override { return "BEGIN IMMEDIATE"; }
  // The foreign key check an online step runs before it commits
  // (sqlite_offline_guard.cpp).
  std::vector<std::string> offline_step_checks_sql(const std::string& file,
                                                   const std::string& label) const override;
  // started_at is the time the script runs; duration_ms is NULL (unknown);
  // applied_by is "offline".
  std::string history_insert_sql(const TableNames& t, const std::string& revision,
                                 const std::string& direction,
                                 const std::string& checksum) const override;
  std::vector<Statement> split(const std::string& sql, int first_line,
                               const std::string& file) const override;
  // Refuses a statement that starts with \v: SQLite reads it as an
  // unrecognized token there (the online step fails), but as space after
  // the line break an offline script puts before each statement, where the
  // statement would vanish without an error.
  void check_step(const std::vector<Statement>& statements, bool transactional,
                  const std::string& file) const override;
  // The statement between two updates of a temp table: the first notes
  // total_changes(), the second computes the statement's count (changes()
  // when total_changes moved, else 0) and, out of bounds, fails with the
  // guard's message (sqlite_offline_guard.cpp).
  std::vector<std::string> offline_guarded_sql(const Statement& st, const RowGuards& guards,
                                               const std::string& file,
                                               const std::string& label) const override;

  // The live backend's forms of the same statements, with parameters for
  // prepared statements that are reused step after step.
  //   version op: ?1 = the row's current value (update, delete),
  //               ?2 = its new value (insert, update)
  //   history:    ?1 revision, ?2 direction, ?3 checksum, ?4 started_at,
  //               ?5 duration_ms, ?6 applied_by, ?7 status
  std::string version_op_template(const TableNames& t, graph::VersionOp::Kind kind) const;
  // The same op that also proves the table's whole content before the step,
  // so a chain step needs no SELECT of the heads first (same parameters):
  //   update, delete: touches its row only if the table holds exactly one
  //                   row (so, touching one, the table was exactly {?1});
  //   insert:         inserts only if the table was empty.
  std::string guarded_version_op_template(const TableNames& t, graph::VersionOp::Kind kind) const;
  std::string history_insert_template(const TableNames& t) const;
  std::string select_heads_sql(const TableNames& t) const;
  std::string select_history_sql(const TableNames& t) const;
};

}  // namespace migrate::db::sqlite
