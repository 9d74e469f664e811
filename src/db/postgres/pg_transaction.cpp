#include "db/postgres/pg_transaction.h"

namespace migrate::db::postgres {

TransactionBatch::~TransactionBatch() {
  if (open_ && conn_.is_open()) conn_.rollback_quietly();
}

std::size_t TransactionBatch::add(std::string sql) {
  statements_.push_back(std::move(sql));
  return statements_.size() - 1;
}

std::optional<BatchFailure> TransactionBatch::send(
    std::vector<pqxx::result>* results, const std::function<void(std::size_t)>& on_result) {
  open_ = true;
  std::optional<BatchFailure> failure = conn_.exec_batch(statements_, results, on_result);
  // The server skipped the rest of the message after the failure, COMMIT
  // included: the failing transaction is open (aborted) until ROLLBACK.
  if (failure) conn_.rollback_quietly();
  open_ = !failure && unfinished_;
  return failure;
}

std::optional<BatchFailure> TransactionBatch::finish(bool commit) {
  if (!open_) return std::nullopt;
  if (!commit) {
    conn_.rollback_quietly();
    open_ = false;
    return std::nullopt;
  }
  try {
    conn_.exec("COMMIT");
  } catch (const pqxx::sql_error& e) {
    // A COMMIT that fails ends the transaction too (rolled back).
    open_ = false;
    return BatchFailure{statements_.size(), format_server_error(e.what()), e.sqlstate()};
  }
  open_ = false;
  return std::nullopt;
}

}  // namespace migrate::db::postgres
