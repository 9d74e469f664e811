// Row guards in offline PostgreSQL scripts (PostgresDialect::
// offline_guarded_sql): the guarded statement runs inside a DO block, by
// EXECUTE, so that GET DIAGNOSTICS ... ROW_COUNT reads its count (the rows
// it inserted, updated or deleted; a TRUNCATE's rows are counted before it,
// as online); out of bounds, RAISE EXCEPTION with the guard's message. The
// error aborts the step's transaction, and `psql -v ON_ERROR_STOP=1` stops
// the script there (psql's own docs: without it psql goes on to the next
// command, and its COMMIT of an aborted transaction only rolls back).
#include <fmt/format.h>

#include "db/postgres/pg_dialect.h"
#include "db/postgres/pg_row_count.h"

namespace migrate::db::postgres {

namespace {

// A dollar-quote tag that does not occur in `text`.
std::string dollar_tag(const std::string& base, const std::string& text) {
  std::string tag = "$" + base + "$";
  for (int i = 1; text.find(tag) != std::string::npos; ++i)
    tag = "$" + base + std::to_string(i) + "$";
  return tag;
}

}  // namespace

std::vector<std::string> PostgresDialect::offline_guarded_sql(const Statement& st,
                                                              const RowGuards& guards,
                                                              const std::string& file,
                                                              const std::string& label) const {
  auto g = applied_guard(guards, file, st.line, label);
  if (!g) return {st.sql};
  std::optional<std::string> truncate = truncate_count_sql(st.sql);
  // The header's bound counts only statements that modify rows (as online).
  if (g->header && !truncate && !statement_modifies_rows(st.sql)) return {st.sql};
  const std::string stmt_tag = dollar_tag("migrate_statement", st.sql);
  const std::string block_tag = dollar_tag("migrate_guard", st.sql + stmt_tag);
  std::string holds = fmt::format("n >= {}", g->bound.lo);
  if (g->bound.hi) holds += fmt::format(" AND n <= {}", *g->bound.hi);
  std::string body = "DECLARE n bigint;\nBEGIN\n";
  if (truncate) body += "  " + *truncate + " INTO n;\n";
  body += fmt::format("  EXECUTE {}{}{};\n", stmt_tag, st.sql, stmt_tag);
  if (!truncate) body += "  GET DIAGNOSTICS n = ROW_COUNT;\n";
  body += fmt::format(
      "  IF NOT ({}) THEN\n    RAISE EXCEPTION '%', {} || n || CASE n WHEN 1 THEN ' row' ELSE ' "
      "rows' END;\n  END IF;\nEND\n",
      holds, quote_literal("migrate: " + g->message));
  return {fmt::format("DO {}\n{}{}", block_tag, body, block_tag)};
}

}  // namespace migrate::db::postgres
