#include "db/sqlite/sqlite_work.h"

#include <fmt/format.h>

namespace migrate::db::sqlite {

SqliteWork::SqliteWork(Connection& conn, bool transaction) : conn_(conn) {
  if (!transaction) return;
  exec("BEGIN IMMEDIATE");
  open_ = true;
}

SqliteWork::~SqliteWork() {
  if (open_ && conn_.in_transaction())
    sqlite3_exec(conn_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

WorkResult SqliteWork::exec(const std::string& sql) {
  WorkResult out;
  const char* tail = sql.c_str();
  const char* end = tail + sql.size();
  // Every statement of `sql`; the rows are those of the last one returning any.
  while (tail < end) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(conn_.get(), tail, static_cast<int>(end - tail), &raw, &tail);
    if (rc != SQLITE_OK) fail(rc, sql);
    if (!raw) break;  // only whitespace or comments left
    Stmt stmt(raw);
    const int columns = sqlite3_column_count(raw);
    bool first_row = true;
    for (;;) {
      rc = sqlite3_step(raw);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(rc, sql);
      if (first_row) out.rows.clear(), first_row = false;
      std::vector<std::optional<std::string>> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        const unsigned char* t = sqlite3_column_text(raw, c);
        if (!t)
          values.emplace_back();
        else
          values.emplace_back(std::string(reinterpret_cast<const char*>(t),
                                          static_cast<std::size_t>(sqlite3_column_bytes(raw, c))));
      }
      out.rows.push_back(std::move(values));
    }
    if (!sqlite3_stmt_readonly(raw)) out.affected = sqlite3_changes(conn_.get());
  }
  return out;
}

void SqliteWork::commit() {
  if (!open_) return;  // autocommit
  exec("COMMIT");
  open_ = false;
}

void SqliteWork::fail(int rc, const std::string& sql) {
  const std::string message = conn_.errmsg();
  if (open_ && conn_.in_transaction())
    sqlite3_exec(conn_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  open_ = false;
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    throw WorkConflict(WorkConflict::kBusy, fmt::format("{}: {}", conn_.describe(), message));
  throw Error(fmt::format("{}: {}\n  in: {}", conn_.describe(), message, sql));
}

}  // namespace migrate::db::sqlite
