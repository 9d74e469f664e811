#include "db/sqlite/sqlite_connection.h"

#include <fmt/format.h>

#include "util/error.h"

namespace migrate::db::sqlite {

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(raw_);
    raw_ = o.raw_;
    o.raw_ = nullptr;
  }
  return *this;
}

StmtUse::~StmtUse() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

StmtUse& StmtUse::bind(int index, const std::string& text) {
  conn_.check(
      sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT),
      "bind");
  return *this;
}

StmtUse& StmtUse::bind(int index, double value) {
  conn_.check(sqlite3_bind_double(stmt_, index, value), "bind");
  return *this;
}

StmtUse& StmtUse::bind_null(int index) {
  conn_.check(sqlite3_bind_null(stmt_, index), "bind");
  return *this;
}

bool StmtUse::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  conn_.fail(sqlite3_sql(stmt_));
}

void StmtUse::run() {
  while (step()) {
  }
}

std::string StmtUse::text(int col) const {
  const unsigned char* t = sqlite3_column_text(stmt_, col);
  if (!t) return {};
  return std::string(reinterpret_cast<const char*>(t),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::int64_t StmtUse::int64(int col) const { return sqlite3_column_int64(stmt_, col); }

double StmtUse::real(int col) const { return sqlite3_column_double(stmt_, col); }

bool StmtUse::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

namespace {

// Process-wide settings, before SQLite initialises itself (sqlite3_config
// refuses them afterwards, harmlessly). Memory statistics off: with them on,
// every sqlite3_malloc and sqlite3_free takes a global mutex to keep counts
// nobody here reads (sqlite3_memory_used, the soft heap limit). On an
// upgrade of 1,000 revisions that was 6 % of all instructions, and what
// made migrate slower than the sqlite3 shell running the same SQL.
void configure_sqlite_once() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
}

}  // namespace

Connection::Connection(const std::string& path, int flags, std::string describe)
    : describe_(std::move(describe)) {
  configure_sqlite_once();
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    // sqlite3_open_v2 hands back a handle even on failure, holding the message.
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(fmt::format("{}: cannot open database: {}", describe_, msg));
  }
  // Extended codes make errors like SQLITE_CONSTRAINT_FOREIGNKEY distinguishable.
  sqlite3_extended_result_codes(db_, 1);
}

Connection::~Connection() {
  // Statements first: a connection with live statements cannot close.
  cache_.clear();
  sqlite3_close_v2(db_);
}

StmtUse Connection::cached(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) it = cache_.emplace(sql, prepare(sql)).first;
  return StmtUse(*this, it->second.get());
}

Stmt Connection::prepare(const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  // The length includes the terminating NUL, which spares SQLite a copy.
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size() + 1), &raw, nullptr);
  Stmt stmt(raw);
  check(rc, sql);
  if (!stmt) throw Error(fmt::format("{}: empty statement: {}", describe_, sql));
  return stmt;
}

void Connection::exec(const std::string& sql) {
  Stmt stmt = prepare(sql);
  StmtUse use(*this, stmt.get());
  use.run();
}

void Connection::check(int rc, const std::string& what) const {
  if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE) fail(what);
}

void Connection::fail(const std::string& what) const {
  std::string hint;
  if ((sqlite3_errcode(db_) & 0xff) == SQLITE_BUSY)
    hint = " (another connection kept the database locked for longer than the busy timeout)";
  throw Error(fmt::format("{}: {}{}\n  in: {}", describe_, sqlite3_errmsg(db_), hint, what));
}

}  // namespace migrate::db::sqlite
