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
  if (done_ || !conn_.in_transaction()) return;
  try {
    conn_.cached("ROLLBACK").run();
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
