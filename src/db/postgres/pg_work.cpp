#include "db/postgres/pg_work.h"

#include <fmt/format.h>

namespace migrate::db::postgres {

int work_conflict_kind(const std::string& sqlstate, const std::string& message) {
  if (sqlstate == "55P03" || message.find("lock timeout") != std::string::npos)
    return WorkConflict::kLockTimeout;
  if (sqlstate == "40P01" || message.find("deadlock detected") != std::string::npos)
    return WorkConflict::kDeadlock;
  if (sqlstate == "57014" && message.find("statement timeout") != std::string::npos)
    return WorkConflict::kStatementTimeout;
  if (sqlstate.empty() && message.find("statement timeout") != std::string::npos)
    return WorkConflict::kStatementTimeout;
  return -1;
}

PgWork::PgWork(Connection& conn, const PostgresDialect& dialect, const WorkOptions& options,
               const std::vector<std::string>& restore)
    : conn_(conn) {
  if (!options.transaction) return;
  std::string sql = "BEGIN";
  for (const auto& s : restore) sql += "; " + s;
  if (!options.lock_timeout.empty())
    sql += "; SET LOCAL lock_timeout = " + dialect.quote_literal(options.lock_timeout);
  if (!options.statement_timeout.empty())
    sql += "; SET LOCAL statement_timeout = " + dialect.quote_literal(options.statement_timeout);
  if (options.backfill_flag) sql += "; SET LOCAL migrate.backfill = 'on'";
  open_ = true;
  exec(sql);
}

PgWork::~PgWork() {
  if (open_ && conn_.is_open()) conn_.rollback_quietly();
}

WorkResult PgWork::exec(const std::string& sql) {
  pqxx::result r;
  try {
    r = conn_.exec(sql);
  } catch (const pqxx::sql_error& e) {
    fail(e, sql);
  }
  WorkResult out;
  out.affected = r.affected_rows();
  out.rows.reserve(r.size());
  for (const auto& row : r) {
    std::vector<std::optional<std::string>> values;
    values.reserve(row.size());
    for (const auto& field : row) {
      if (field.is_null())
        values.emplace_back();
      else
        values.emplace_back(field.c_str());
    }
    out.rows.push_back(std::move(values));
  }
  return out;
}

void PgWork::commit() {
  if (!open_) return;  // autocommit
  exec("COMMIT");
  open_ = false;
}

void PgWork::fail(const pqxx::sql_error& e, const std::string& sql) {
  if (conn_.is_open()) conn_.rollback_quietly();
  open_ = false;
  const std::string text = format_server_error(e.what());
  const int kind = work_conflict_kind(e.sqlstate(), e.what());
  if (kind >= 0)
    throw WorkConflict(static_cast<WorkConflict::Kind>(kind),
                       fmt::format("{}: {}", conn_.describe(), text));
  throw Error(fmt::format("{}: {}\n  in: {}", conn_.describe(), text, sql));
}

}  // namespace migrate::db::postgres
