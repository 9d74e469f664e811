// db::Work on SQLite: BEGIN IMMEDIATE on the database's connection (the write
// lock is taken at once, waiting up to the busy timeout), statements run one
// by one with their rows read as text. SQLITE_BUSY / SQLITE_LOCKED become
// db::WorkConflict. Every way out without commit() rolls back.
#pragma once

#include <string>

#include "db/database.h"
#include "db/sqlite/sqlite_connection.h"

namespace migrate::db::sqlite {

class SqliteWork : public Work {
 public:
  SqliteWork(Connection& conn, bool transaction);
  ~SqliteWork() override;
  WorkResult exec(const std::string& sql) override;
  void commit() override;

 private:
  [[noreturn]] void fail(int rc, const std::string& sql);

  Connection& conn_;
  bool open_ = false;
};

}  // namespace migrate::db::sqlite
