// migrate's own transactions on PostgreSQL, sent whole: BEGIN, the
// statements, COMMIT in ONE message (one round trip), several transactions
// per message when a run batches its steps (statements without BEGIN run as
// the server's one implicit transaction). Like pqxx::work, a transaction
// never outlives its guard unfinished: after a failed message, and on every
// way out that is not a completed send() (an exception), the transaction
// left open is rolled back. A message may end inside a transaction (a BEGIN
// without its COMMIT: a guarded step, whose statements' results are checked
// before it commits); finish() then ends it.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "db/postgres/pg_connection.h"

namespace migrate::db::postgres {

class TransactionBatch {
 public:
  explicit TransactionBatch(Connection& conn) : conn_(conn) {}
  // ROLLBACK (errors ignored) when send() was started and did not finish.
  ~TransactionBatch();
  TransactionBatch(const TransactionBatch&) = delete;
  TransactionBatch& operator=(const TransactionBatch&) = delete;

  // Each returns the statement's index in the message, as BatchFailure and
  // send()'s results count them.
  std::size_t begin() {
    unfinished_ = true;
    return add("BEGIN");
  }
  std::size_t add(std::string sql);
  std::size_t commit() {
    unfinished_ = false;
    return add("COMMIT");
  }

  std::size_t size() const { return statements_.size(); }

  // Sends the message (Connection::exec_batch). The server runs the
  // transactions one after the other and stops at the first failing
  // statement: the transactions before it stay committed, the failing one
  // is rolled back before send() returns it, so the connection is ready for
  // the next statement. `results` as for exec_batch. Throws migrate::Error
  // when the connection breaks.
  // A message ending after a begin() without commit() leaves that
  // transaction open on success, for finish().
  std::optional<BatchFailure> send(std::vector<pqxx::result>* results = nullptr,
                                   const std::function<void(std::size_t)>& on_result = nullptr);

  // Ends the transaction a successful send() left open: COMMIT (`commit`)
  // or ROLLBACK. A failed COMMIT is returned with index size() (the COMMIT
  // the message did not hold); the transaction is over either way.
  std::optional<BatchFailure> finish(bool commit);

 private:
  Connection& conn_;
  std::vector<std::string> statements_;
  bool open_ = false;        // sent, and may have left a transaction open
  bool unfinished_ = false;  // the last begin() has no commit() after it
};

}  // namespace migrate::db::postgres
