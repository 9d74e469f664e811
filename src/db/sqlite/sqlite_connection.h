// Owning wrappers for the SQLite C API: a connection, a prepared statement,
// and a small cache of prepared statements that live as long as the
// connection. Every SQLite error becomes a migrate::Error carrying the
// connection's own message (sqlite3_errmsg).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

namespace migrate::db::sqlite {

// A prepared statement, finalized on destruction.
class Stmt {
 public:
  Stmt() = default;
  explicit Stmt(sqlite3_stmt* raw) : raw_(raw) {}
  ~Stmt() { sqlite3_finalize(raw_); }
  Stmt(Stmt&& o) noexcept : raw_(o.raw_) { o.raw_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  sqlite3_stmt* get() const { return raw_; }
  explicit operator bool() const { return raw_ != nullptr; }

 private:
  sqlite3_stmt* raw_ = nullptr;
};

class Connection;

// One use of a cached statement: binds, steps, reads columns, and on scope
// exit resets the statement and clears its bindings. The reset matters: a
// statement left mid-way holds a read lock on the database.
class StmtUse {
 public:
  StmtUse(Connection& conn, sqlite3_stmt* stmt) : conn_(conn), stmt_(stmt) {}
  ~StmtUse();
  StmtUse(const StmtUse&) = delete;
  StmtUse& operator=(const StmtUse&) = delete;

  StmtUse& bind(int index, const std::string& text);
  StmtUse& bind(int index, double value);
  StmtUse& bind_null(int index);
  // True while a row is available; false when done. Throws on error.
  bool step();
  // Steps to the end, ignoring any rows.
  void run();

  std::string text(int col) const;
  std::int64_t int64(int col) const;
  double real(int col) const;
  bool is_null(int col) const;

 private:
  Connection& conn_;
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  // Opens `path` (a file path or ":memory:") with the sqlite3_open_v2 flags.
  // `describe` names the database in error messages (never a password).
  Connection(const std::string& path, int flags, std::string describe);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* get() const { return db_; }
  const std::string& describe() const { return describe_; }
  std::string errmsg() const { return sqlite3_errmsg(db_); }
  bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

  // A statement prepared once and kept for the connection's lifetime (the
  // per-step version and history statements). SQLite re-prepares it by
  // itself after schema changes.
  StmtUse cached(const std::string& sql);
  // Prepares a one-off statement.
  Stmt prepare(const std::string& sql);
  // Runs one statement without caching it, ignoring rows.
  void exec(const std::string& sql);

  // Throws migrate::Error "<describe>: <errmsg>\n  in: <what>" when rc is an
  // error; `what` is usually the statement.
  void check(int rc, const std::string& what) const;
  [[noreturn]] void fail(const std::string& what) const;

 private:
  sqlite3* db_ = nullptr;
  std::string describe_;
  std::unordered_map<std::string, Stmt> cache_;
};

}  // namespace migrate::db::sqlite
