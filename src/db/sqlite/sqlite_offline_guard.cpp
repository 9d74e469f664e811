// Row guards, the version-table checks and the foreign key check in offline
// SQLite scripts (SqliteDialect::offline_guarded_sql, offline_version_op_sql,
// offline_step_checks_sql).
//
// SQLite has no procedural blocks, and RAISE() only works in triggers and
// only with a fixed message. So each check is a statement that fails with a
// message built from the count: json_extract() with a path that is not
// one ("JSON path error near 'migrate: FILE:LINE: ... affected 57 rows'"),
// written by fail_with() alone. Run by `sqlite3 -bail`, the script stops
// there and the step's open transaction is rolled back when the shell exits.
//
// The count: sqlite3_changes() keeps the last INSERT/UPDATE/DELETE's count
// until the next one (a CREATE TABLE leaves it alone), so a guarded
// statement's own count is changes() only if total_changes() moved while it
// ran, else 0 (as online). The mark is kept in a temp table whose own update
// adds 1 to total_changes(). A version-table UPDATE or DELETE needs no mark:
// it always sets changes(), to 0 when it matched no row.
#include <fmt/format.h>

#include "db/sqlite/sqlite_dialect.h"

namespace migrate::db::sqlite {

namespace {

// The expression that fails the statement holding it, with `message` (an
// SQL text expression) as the error: the one way these scripts raise.
std::string fail_with(const std::string& message) {
  return fmt::format("json_extract('{{}}', {})", message);
}

}  // namespace

std::vector<std::string> SqliteDialect::offline_guarded_sql(const Statement& st,
                                                            const RowGuards& guards,
                                                            const std::string& file,
                                                            const std::string& label) const {
  auto g = applied_guard(guards, file, st.line, label);
  if (!g) return {st.sql};
  std::string holds = fmt::format("c.n >= {}", g->bound.lo);
  if (g->bound.hi) holds += fmt::format(" AND c.n <= {}", *g->bound.hi);
  return {
      "CREATE TEMP TABLE IF NOT EXISTS migrate_row_guard (total INTEGER)",
      "INSERT INTO temp.migrate_row_guard SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM "
      "temp.migrate_row_guard)",
      "UPDATE temp.migrate_row_guard SET total = total_changes()", st.sql,
      fmt::format("UPDATE temp.migrate_row_guard SET total = {} FROM (SELECT CASE WHEN "
                  "total_changes() - total - 1 > 0 THEN changes() ELSE 0 END AS n FROM "
                  "temp.migrate_row_guard) AS c WHERE NOT ({})",
                  fail_with(fmt::format("'migrate: ' || {} || c.n || CASE c.n WHEN 1 THEN ' row' "
                                        "ELSE ' rows' END",
                                        quote_literal(g->message))),
                  holds)};
}

std::vector<std::string> SqliteDialect::offline_version_op_sql(const TableNames& t,
                                                               const graph::VersionOp& op,
                                                               const std::string& label) const {
  const std::string sql = version_op_sql(t, op);
  // An INSERT adds its row or fails on the primary key: nothing to count.
  if (op.kind == graph::VersionOp::kInsert) return {sql};
  // Worded as PostgreSQL's check (PostgresDialect::version_op_sql), without
  // quotes around the ids, which SQLite's error doubles. No row touched: the
  // database is not at the revisions the script starts from.
  const std::string what = op.kind == graph::VersionOp::kUpdate
                               ? fmt::format("UPDATE of version_num {} to {}", op.from, op.to)
                               : fmt::format("DELETE of version_num {}", op.from);
  const std::string before = fmt::format("migrate: {}: {} in the version table {} touched ", label,
                                         what, qualified(t, t.version_table));
  return {sql, fmt::format("SELECT {} WHERE changes() <> 1",
                           fail_with(fmt::format("{} || changes() || {}", quote_literal(before),
                                                 quote_literal(" rows, expected exactly 1 (is the "
                                                               "database at the revisions the "
                                                               "script starts from?)"))))};
}

std::vector<std::string> SqliteDialect::offline_step_checks_sql(const std::string& file,
                                                                const std::string& label) const {
  // The same json_extract() failure, from the first violation that
  // pragma_foreign_key_check (the online check's PRAGMA) finds; HAVING keeps
  // a clean step silent.
  const std::string prefix = "migrate: " + file + ": " + label + " failed: ";
  return {fmt::format(
      "SELECT {} FROM pragma_foreign_key_check AS v HAVING count(*) > 0",
      fail_with(fmt::format(
          "{} || count(*) || ' foreign key violation' || CASE count(*) WHEN 1 THEN '' ELSE 's' "
          "END || ', e.g. ' || v.\"table\" || ' rowid ' || coalesce(v.\"rowid\", '?') || ' "
          "references a missing row in ' || v.parent || '; rolled back'",
          quote_literal(prefix))))};
}

}  // namespace migrate::db::sqlite
