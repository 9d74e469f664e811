// SQL rendering for PostgreSQL, shared by offline scripts and the live
// backend so both write the same statements. Rendered statements carry no
// trailing semicolon; offline output appends one.
//
// Version-table UPDATEs and DELETEs are DO blocks that raise unless exactly
// one row changed, so the check runs inside the step's transaction both
// online (where the whole step is one message to the server) and in an
// offline script run by psql.
#pragma once

#include <string>
#include <vector>

#include "db/database.h"

namespace migrate::db::postgres {

class PostgresDialect : public Dialect {
 public:
  // `session` gives the timeouts a step without its own gets.
  explicit PostgresDialect(SessionSettings session = {}) : session_(std::move(session)) {}

  std::string name() const override { return "postgresql"; }
  // Always quoted, so names keep their case.
  std::string quote_ident(const std::string& ident) const override;
  std::string quote_literal(const std::string& text) const override;
  // "schema"."table"; without a schema, "public"."table". Every statement
  // migrate writes names the schema, so a step that changes search_path (a
  // pg_dump's set_config('search_path', '', false)) cannot send them
  // elsewhere. Online the backend always has a schema (the configured one,
  // else the session's current_schema() at connect); only offline scripts
  // default to "public", and check it (offline_preamble_sql).
  std::string qualified(const TableNames& t, const std::string& table) const override;
  // Without a configured schema: a DO block that fails unless the session's
  // current_schema() is "public", where the script keeps its tables, so a
  // script never keeps them elsewhere than an online run would.
  std::vector<std::string> offline_preamble_sql(const TableNames& t) const override;
  std::vector<std::string> create_tables_sql(const TableNames& t) const override;
  std::string version_op_sql(const TableNames& t, const graph::VersionOp& op) const override;
  std::string begin_sql() const override { return "BEGIN"; }
  // RESET ALL, then the configured search_path (session-wide: an offline
  // script runs in one session).
  std::vector<std::string> restore_session_sql() const override;
  // `SET [LOCAL] search_path = "a", "b"` for SessionSettings::search_path,
  // each name quoted; nothing when it is empty.
  std::vector<std::string> search_path_sql(bool local) const;
  // started_at is now() (the transaction's start), duration_ms NULL,
  // applied_by 'offline'.
  std::string history_insert_sql(const TableNames& t, const std::string& revision,
                                 const std::string& direction,
                                 const std::string& checksum) const override;
  std::vector<Statement> split(const std::string& sql, int first_line,
                               const std::string& file) const override;

  // Refuses, before anything runs, a transactional step holding a statement
  // PostgreSQL will not run in a transaction (pg_statement_check.h); throws
  // migrate::Error "FILE:LINE: ...". The live backend calls it for every
  // step, and offline output does too (Dialect::check_step).
  void check_step(const std::vector<Statement>& statements, bool transactional,
                  const std::string& file) const override;

  // SET [LOCAL] lock_timeout = '...', then statement_timeout: the step's
  // header values, else the session's. Values were checked when read
  // (config/duration.h) and are quoted anyway.
  std::vector<std::string> step_settings_sql(const StepSpec& step, bool local) const override;
  std::vector<std::string> reset_step_settings_sql() const override;
  // A DO block that EXECUTEs the statement (a TRUNCATE's rows counted
  // first), reads GET DIAGNOSTICS ROW_COUNT and raises unless the guard
  // holds (pg_offline_guard.cpp).
  std::vector<std::string> offline_guarded_sql(const Statement& st, const RowGuards& guards,
                                               const std::string& file,
                                               const std::string& label) const override;
  const SessionSettings& session() const { return session_; }

  // The live backend's statements.
  //
  // A DO block raising "migrate: the version table ... changed" unless the
  // version table holds exactly `expected` (as a set).
  std::string check_heads_sql(const TableNames& t, const std::vector<std::string>& expected) const;
  // A history row; the SQL expressions for started_at (timestamptz) and
  // duration_ms (double precision) are given as is.
  std::string history_row_sql(const TableNames& t, const HistoryEntry& row,
                              const std::string& started_at_expr,
                              const std::string& duration_expr) const;
  std::string select_heads_sql(const TableNames& t) const;
  std::string select_history_sql(const TableNames& t) const;
  // SELECT to_regclass(...) IS NOT NULL for `table`.
  std::string table_exists_sql(const TableNames& t, const std::string& table) const;
  // The advisory-lock key for a run on these tables, as an SQL bigint
  // expression (hashtextextended of the schema-qualified version table).
  std::string run_lock_key_sql(const TableNames& t) const;

 private:
  SessionSettings session_;
};

}  // namespace migrate::db::postgres
