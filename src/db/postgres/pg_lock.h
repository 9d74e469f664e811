// The run lock on PostgreSQL: a session-level advisory lock, keyed by the
// schema-qualified version table, held by the migrating connection for the
// whole run. Taken with pg_try_advisory_lock in a polling loop with backoff
// (never a blocking pg_advisory_lock: a waiter queued on the lock could
// deadlock with a CREATE INDEX CONCURRENTLY, which waits for every open
// transaction of other sessions).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "db/database.h"
#include "db/postgres/pg_connection.h"
#include "db/postgres/pg_lock_wait.h"

namespace migrate::db::postgres {

class AdvisoryRunLock : public RunLock {
 public:
  // Waits up to `wait`; says once on stderr that it is waiting and for whom;
  // throws migrate::Error when it gives up. `what` names the version table.
  AdvisoryRunLock(Connection& conn, std::int64_t key, std::chrono::milliseconds wait,
                  const std::string& what);
  ~AdvisoryRunLock() override;
  AdvisoryRunLock(const AdvisoryRunLock&) = delete;
  AdvisoryRunLock& operator=(const AdvisoryRunLock&) = delete;

 private:
  // "pid 1234 (migrate, 10.0.0.7, since ...)"; empty when unknown.
  std::string holder();

  Connection& conn_;
  std::int64_t key_;
};

// "server pid 4242 (psql, idle in transaction, AccessExclusiveLock on
// \"accounts\")" for each other session holding a granted lock on one of
// `relations` now, joined by "; ". Empty when none or on any error (this is
// a best-effort hint, never a reason to fail differently).
std::string lock_holders(Connection& conn, const std::vector<NamedRelation>& relations);

}  // namespace migrate::db::postgres
