#include "db/sqlite/sqlite_executor.h"

#include <fmt/format.h>

#include "sql/position.h"
#include "sql/sqlite/text.h"
#include "sql/sqlite/tokenizer.h"
#include "util/error.h"

namespace migrate::db::sqlite {

namespace {

using sql::count_newlines;
using sql::sqlite::first_line_of;
using sql::sqlite::skip_space;

// The word token at `pos`, upper-cased (empty when another token is
// there), and the offset after it.
std::string word_at(const std::string& sql, std::size_t& pos) {
  if (pos >= sql.size()) return {};
  sql::sqlite::RawToken t = sql::sqlite::token_at(sql, pos);
  if (t.kind != sql::sqlite::Kind::word) return {};
  std::string word = sql.substr(t.begin, t.end - t.begin);
  for (char& c : word)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  pos = t.end;
  return word;
}

// Whether the statement at `pos` ends or starts a transaction. Each step
// already runs in its own; a COMMIT inside it would commit half a step and
// leave the version table behind the schema. ROLLBACK TO a savepoint is fine.
bool controls_transaction(const std::string& sql, std::size_t pos) {
  std::string first = word_at(sql, pos);
  if (first == "BEGIN" || first == "COMMIT" || first == "END") return true;
  if (first != "ROLLBACK") return false;
  pos = skip_space(sql, pos);
  std::string next = word_at(sql, pos);
  if (next == "TRANSACTION") {
    pos = skip_space(sql, pos);
    next = word_at(sql, pos);
  }
  return next != "TO";
}

// The rows the statement just run inserted, updated or deleted, and whether
// it did any such thing. sqlite3_changes64 keeps the count of the last
// INSERT, UPDATE or DELETE until the next one, so a statement that changed
// nothing (total_changes unmoved: DDL, SELECT, a DML touching no row) is 0.
long long rows_changed(sqlite3* db, sqlite3_int64 total_before, bool& modifies) {
  modifies = sqlite3_total_changes64(db) != total_before;
  return modifies ? static_cast<long long>(sqlite3_changes64(db)) : 0;
}

}  // namespace

void run_section(Connection& conn, const Section& s) {
  const std::string& sql = s.sql;
  auto fail = [&](int line, std::size_t start, std::size_t end, const std::string& msg) {
    throw Error(fmt::format("{}:{}: {} failed: {}\n  in: {}", s.file, line, s.label, msg,
                            first_line_of(sql, start, end)));
  };
  if (std::size_t nul = sql.find('\0'); nul != std::string::npos)
    throw Error(fmt::format("{}:{}: {}: the SQL contains a NUL byte", s.file,
                            s.first_line + count_newlines(sql, 0, nul), s.label));

  const char* base = sql.c_str();
  const std::size_t n = sql.size();
  std::size_t pos = 0;
  int line = s.first_line;  // file line of offset `pos`
  while (true) {
    std::size_t start = skip_space(sql, pos);
    if (start >= n) break;
    line += count_newlines(sql, pos, start);

    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    // The length includes the terminating NUL, which spares SQLite a copy
    // of the rest of the section for every statement.
    int rc =
        sqlite3_prepare_v2(conn.get(), base + start, static_cast<int>(n - start + 1), &raw, &tail);
    Stmt stmt(raw);
    // After a prepare error the tail says nothing about the statement's end.
    if (rc != SQLITE_OK) fail(line, start, n, conn.errmsg());
    std::size_t end = tail ? static_cast<std::size_t>(tail - base) : n;
    if (stmt) {
      if (s.in_transaction && controls_transaction(sql, start))
        fail(line, start, end,
             "BEGIN, COMMIT and ROLLBACK cannot appear in a transactional step (it already runs "
             "in its own transaction); declare `transactional: false` in the header to manage "
             "transactions yourself");
      const bool count = s.guards || s.on_statement;
      const sqlite3_int64 total_before = count ? sqlite3_total_changes64(conn.get()) : 0;
      while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
      }
      if (rc != SQLITE_DONE) fail(line, start, end, conn.errmsg());
      if (count) {
        bool modifies = false;
        long long n = rows_changed(conn.get(), total_before, modifies);
        if (s.on_statement) s.on_statement(line, first_line_of(sql, start, end), n);
        if (s.guards)
          if (auto v = row_guard_violation(*s.guards, s.file, line, n, modifies, s.label,
                                           first_line_of(sql, start, end)))
            throw Error(*v + "\n  (the step was rolled back: nothing of it remains)");
      }
      if (s.in_transaction && !conn.in_transaction())
        fail(line, start, end, "the statement ended the step's transaction");
    }
    if (end <= start) break;  // defensive: SQLite always consumes something
    line += count_newlines(sql, start, end);
    pos = end;
  }
}

}  // namespace migrate::db::sqlite
