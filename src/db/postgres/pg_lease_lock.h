// The run lock behind a connection pooler in transaction mode (PgBouncer's
// pool_mode = transaction): a row in a lock table, with an owner and a
// lease, taken, renewed and released in short transactions.
//
// A session-level advisory lock does not work there: the pooler hands the
// server session back to its pool at the end of every transaction, so the
// lock stays behind on a server session nobody owns (until the pooler closes
// it), the next runner may be given that very session and "take" the lock
// again, and the unlock runs on another session and does nothing.
//
// The row: one per version table (its qualified name is the key), in the
// table `migrate_run_lock` beside the version table. A run takes it when it
// is free or its lease has run out (a runner killed with the lock frees it
// after one lease), renews the lease from a thread with its own connection
// every third of the lease (so a long non-transactional step, such as
// CREATE INDEX CONCURRENTLY, keeps it), and deletes it at the end. Every
// transaction of the run (a step, its bookkeeping, a backfill batch) starts
// with fence_sql(): it renews the lease and holds the row until that
// transaction ends, or fails, with nothing of the step run, when the lock is
// no longer this run's. So no step runs unless its own transaction proved
// the lock is held, and while it runs nobody can take the lock over.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "db/database.h"
#include "db/postgres/pg_connection.h"

namespace migrate::db::postgres {

// The lock table's name (in the version table's schema).
constexpr const char* kRunLockTable = "migrate_run_lock";

struct LeaseLockSpec {
  std::string table;  // the lock table, schema-qualified and quoted
  std::string key;    // the version table, schema-qualified and quoted: the row's key
  std::chrono::milliseconds lease{30000};
  ConnectTarget target;  // for the renewing thread's own connection
};

class LeaseRunLock : public RunLock {
 public:
  // Creates the lock table when missing, then waits up to `wait` for the
  // row; says once on stderr that it is waiting and for whom; throws
  // migrate::Error when it gives up. `on_release` runs when the lock is
  // given up (the database stops fencing its transactions).
  LeaseRunLock(Connection& conn, LeaseLockSpec spec, std::chrono::milliseconds wait,
               std::function<void()> on_release);
  ~LeaseRunLock() override;
  LeaseRunLock(const LeaseRunLock&) = delete;
  LeaseRunLock& operator=(const LeaseRunLock&) = delete;

  // For the start of each of the run's transactions: a DO block that renews
  // the lease and locks the row, or raises "migrate: this run no longer
  // holds the run lock ..." when the row is not this run's.
  std::string fence_sql() const;

 private:
  bool try_take();
  // "alice@box pid 42, since ..., its lease ends in 12.0 s"; empty when unknown.
  std::string holder();
  void renew_loop();
  void stop_renewing() noexcept;

  Connection& conn_;
  LeaseLockSpec spec_;
  std::string owner_;   // random: this run
  std::string holder_;  // user@host pid N: for the others' messages
  std::function<void()> on_release_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::unique_ptr<Connection> renew_conn_;
  std::thread renewer_;
};

// The lock table's DDL (CREATE TABLE IF NOT EXISTS).
std::string create_run_lock_table_sql(const std::string& table);

}  // namespace migrate::db::postgres
