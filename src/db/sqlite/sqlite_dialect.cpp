#include "db/sqlite/sqlite_dialect.h"

#include <fmt/format.h>

#include "db/sqlite/sqlite_splitter.h"
#include "util/error.h"
#include "util/strings.h"

namespace migrate::db::sqlite {

namespace {

// One shape per version op, filled with literals (offline) or parameters
// (online).
std::string render_version_op(const std::string& table, graph::VersionOp::Kind kind,
                              const std::string& from, const std::string& to) {
  switch (kind) {
    case graph::VersionOp::kInsert:
      return fmt::format("INSERT INTO {} (version_num) VALUES ({})", table, to);
    case graph::VersionOp::kUpdate:
      return fmt::format("UPDATE {} SET version_num = {} WHERE version_num = {}", table, to, from);
    case graph::VersionOp::kDelete:
      return fmt::format("DELETE FROM {} WHERE version_num = {}", table, from);
  }
  return {};
}

std::string render_history_insert(const std::string& table, const std::string& values) {
  return fmt::format(
      "INSERT INTO {} (revision, direction, checksum, started_at, duration_ms, applied_by, "
      "status) VALUES ({})",
      table, values);
}

}  // namespace

std::string SqliteDialect::quote_ident(const std::string& ident) const {
  return util::quote_doubled(ident, '"');
}

std::string SqliteDialect::quote_literal(const std::string& text) const {
  return util::quote_doubled(text, '\'');
}

std::string SqliteDialect::qualified(const TableNames&, const std::string& table) const {
  // Always `main.`: unqualified, a TEMP table of the same name (which SQLite
  // searches first) would take the version updates. version_table_schema is
  // PostgreSQL's; migrate attaches no other database file.
  return "main." + quote_ident(table);
}

std::vector<std::string> SqliteDialect::create_tables_sql(const TableNames& t) const {
  // The version table as Alembic shapes it (named primary-key constraint).
  // AUTOINCREMENT keeps history ids from ever being reused, even after the
  // newest rows are deleted by hand.
  return {
      fmt::format("CREATE TABLE IF NOT EXISTS {} (\n"
                  "  version_num VARCHAR(64) NOT NULL,\n"
                  "  CONSTRAINT {} PRIMARY KEY (version_num)\n"
                  ")",
                  qualified(t, t.version_table), quote_ident(t.version_table + "_pkc")),
      fmt::format("CREATE TABLE IF NOT EXISTS {} (\n"
                  "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
                  "  revision VARCHAR(64) NOT NULL,\n"
                  "  direction VARCHAR(16) NOT NULL,\n"
                  "  checksum VARCHAR(64),\n"
                  "  started_at VARCHAR(32) NOT NULL,\n"
                  "  duration_ms REAL,\n"
                  "  applied_by VARCHAR(255),\n"
                  "  status VARCHAR(16) NOT NULL\n"
                  ")",
                  qualified(t, t.history_table)),
  };
}

std::string SqliteDialect::version_op_sql(const TableNames& t, const graph::VersionOp& op) const {
  return render_version_op(qualified(t, t.version_table), op.kind, quote_literal(op.from),
                           quote_literal(op.to));
}

std::string SqliteDialect::version_op_template(const TableNames& t,
                                               graph::VersionOp::Kind kind) const {
  return render_version_op(qualified(t, t.version_table), kind, "?1", "?2");
}

std::string SqliteDialect::history_insert_sql(const TableNames& t, const std::string& revision,
                                              const std::string& direction,
                                              const std::string& checksum) const {
  std::string values =
      fmt::format("{}, {}, {}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), NULL, 'offline', 'ok'",
                  quote_literal(revision), quote_literal(direction),
                  checksum.empty() ? "NULL" : quote_literal(checksum));
  return render_history_insert(qualified(t, t.history_table), values);
}

std::string SqliteDialect::history_insert_template(const TableNames& t) const {
  return render_history_insert(qualified(t, t.history_table), "?1, ?2, ?3, ?4, ?5, ?6, ?7");
}

std::string SqliteDialect::guarded_version_op_template(const TableNames& t,
                                                       graph::VersionOp::Kind kind) const {
  const std::string table = qualified(t, t.version_table);
  switch (kind) {
    case graph::VersionOp::kInsert:
      return fmt::format(
          "INSERT INTO {0} (version_num) SELECT ?2 WHERE NOT EXISTS (SELECT 1 FROM {0})", table);
    case graph::VersionOp::kUpdate:
      return fmt::format(
          "UPDATE {0} SET version_num = ?2 WHERE version_num = ?1 AND (SELECT count(*) FROM {0}) "
          "= 1",
          table);
    case graph::VersionOp::kDelete:
      return fmt::format(
          "DELETE FROM {0} WHERE version_num = ?1 AND (SELECT count(*) FROM {0}) = 1", table);
  }
  return {};
}

std::string SqliteDialect::select_heads_sql(const TableNames& t) const {
  // Storage (rowid) order, as Alembic reads alembic_version on SQLite: with
  // several heads stored, `downgrade -N` counts from the first row read.
  return fmt::format("SELECT version_num FROM {} ORDER BY rowid", qualified(t, t.version_table));
}

std::string SqliteDialect::select_history_sql(const TableNames& t) const {
  return fmt::format(
      "SELECT id, revision, direction, checksum, started_at, duration_ms, applied_by, status "
      "FROM {} ORDER BY id",
      qualified(t, t.history_table));
}

std::vector<Statement> SqliteDialect::split(const std::string& sql, int first_line,
                                            const std::string& file) const {
  return split_sql(sql, first_line, file);
}

void SqliteDialect::check_step(const std::vector<Statement>& statements, bool /*transactional*/,
                               const std::string& file) const {
  for (const auto& st : statements) {
    if (!st.sql.empty() && st.sql[0] == '\v')
      throw Error(fmt::format(
          "{}:{}: a vertical tab (\\v) starts a statement: SQLite cannot run it (unrecognized "
          "token); remove it or write a space",
          file, st.line));
  }
}

}  // namespace migrate::db::sqlite
