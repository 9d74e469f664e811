#include "db/sqlite/sqlite_transaction.h"

#include "util/error.h"

namespace migrate::db::sqlite {

Transaction::Transaction(Connection& conn) : conn_(conn) {
  if (conn_.in_transaction())
    throw Error(conn_.describe() + ": internal error: a transaction is already open");
  conn_.cached("BEGIN IMMEDIATE").run();
}

Transaction::~Transaction() {
  // Some errors (SQLITE_FULL, SQLITE_IOERR, ...) roll back by themselves;
  // only roll back what is still open. A destructor must not throw, and a
  // failed ROLLBACK leaves nothing better to do than to let the connection's
  // close discard the transaction.
  if (done_) return;
  try {
    if (conn_.in_transaction()) conn_.cached("ROLLBACK").run();
  } catch (...) {
  }
  // A step that failed between `PRAGMA writable_schema = ON` and its RESET
  // (expand/contract's NOT NULL relax, expand/sqlite_planner.cpp) would
  // leave this connection able to write sqlite_schema for whatever runs
  // next on it (migrate's history row): the pragma is not undone by the
  // rollback. RESET also makes the connection read the schema again.
  try {
    conn_.cached("PRAGMA writable_schema = RESET").run();
  } catch (...) {
  }
}

void Transaction::commit() {
  // A failing COMMIT (e.g. SQLITE_BUSY past the timeout) leaves the
  // transaction open; the destructor then rolls it back.
  conn_.cached("COMMIT").run();
  done_ = true;
}

}  // namespace migrate::db::sqlite
