// A write transaction on one connection: BEGIN IMMEDIATE on construction,
// ROLLBACK on every path that leaves the scope without commit().
//
// IMMEDIATE takes the write lock up front, so a second writer waits in the
// busy handler at BEGIN instead of failing with SQLITE_BUSY halfway through a
// step when its read lock cannot be upgraded.
#pragma once

#include "db/sqlite/sqlite_connection.h"

namespace migrate::db::sqlite {

class Transaction {
 public:
  explicit Transaction(Connection& conn);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  Connection& conn_;
  bool done_ = false;
};

}  // namespace migrate::db::sqlite
