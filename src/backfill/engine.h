// The backfill engine: fills the `set` columns of a live table in short
// keyset batches (docs/zero-downtime.md, "The backfill").
//
//  - The key's upper bound is read when the backfill first starts and
//    stored: the run always ends, however fast the table grows (rows
//    inserted later are the expand phase's triggers' job).
//  - Each batch is its own transaction (db::Work) under a short
//    lock_timeout and statement_timeout, with migrate.backfill = 'on'
//    (PostgreSQL): find the batch's last key, UPDATE the keys in
//    (position, last], store `last` in the checkpoint, COMMIT. So a killed
//    run resumes after the last committed batch and redoes at most one.
//  - A batch that lost a lock wait, a deadlock or hit statement_timeout is
//    retried after a pause with backoff and jitter (a statement timeout
//    halves the batch first); after `max_attempts` the run fails, leaving
//    the checkpoint for the next `migrate upgrade`.
//  - The batch size follows the measured time per row (the slower of the
//    last batch's and a moving average) towards `batch_time` per batch,
//    growing at most twofold from one batch to the next.
//  - Time is measured from BEGIN's return (on SQLite: once the write lock
//    is held) to COMMIT's: how long the batch holds what others wait for.
//  - Throttle: a `pause` given by the revision follows every batch; the
//    dialect's default pause (SQLite's: see BatchSql::default_pause)
//    follows each stretch of about `batch_time` of batches, so the short
//    first batches do not pay one each. A pause is counted from the last
//    COMMIT, and the WAL checkpoint the engine runs there on SQLite counts
//    towards it. With `max_replica_lag`, waits while a standby's replay lag
//    (pg_stat_replication) is above it.
//  - It writes only the `set` columns, never the key.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "backfill/batch_sql.h"
#include "backfill/checkpoint.h"
#include "backfill/replica_watch.h"
#include "db/database.h"
#include "script/backfill_spec.h"

namespace migrate::backfill {

struct Options {
  long long batch_rows = 1000;  // the first batch
  // Unset = the dialect's default (BatchSql::default_batch_time: 150ms on
  // PostgreSQL, 100ms on SQLite).
  std::optional<std::chrono::milliseconds> batch_time;
  // Between batches; unset = the dialect's default (BatchSql::default_pause:
  // none on PostgreSQL, 30% of batch_time on SQLite).
  std::optional<std::chrono::milliseconds> pause;
  std::optional<std::chrono::milliseconds> max_replica_lag;
  int max_attempts = 20;  // tries per batch before the run fails
  // Per batch; empty = derived from batch_time (lock: batch_time, at least
  // 50ms; statement: 20 x batch_time, at least 2s).
  std::string lock_timeout, statement_timeout;
  long long max_batch_rows = 1000000;
};

// The spec's tuning over `base`.
Options options_for(const script::BackfillSpec& spec, Options base);

struct Progress {
  std::string revision, table;
  long long rows_walked = 0, rows_updated = 0, batches = 0;
  std::optional<long long> total_estimate;
  double elapsed_s = 0;  // this run
  double rate = 0;       // keys walked per second, this run
  std::optional<double> eta_s;
  bool done = false;
};

// One committed batch, for statistics (bench/): its transaction's time,
// size and rows changed, and where the time went: waiting for BEGIN (on
// SQLite, for the write lock), finding the batch's last key, the UPDATE (and
// copy), COMMIT, and the checkpoint after it (SQLite).
struct BatchStat {
  double ms = 0;
  long long rows_walked = 0, rows_updated = 0, size = 0;
  int attempts = 1;
  double begin_ms = 0, end_ms = 0, update_ms = 0, commit_ms = 0, checkpoint_ms = 0;
};

struct Events {
  std::function<void(const Progress&)> progress;  // after each batch, and when done
  std::function<void(const std::string&)> note;   // retries, throttling (one line)
  std::function<void(const BatchStat&)> batch;
};

class Engine {
 public:
  Engine(db::Database& db, const script::BackfillSpec& spec, std::string revision, Options options,
         Events events);

  // Creates the checkpoint table if missing. Call before planning a run
  // that may delete checkpoints.
  static void ensure_checkpoint_table(db::Database& db);
  // The statement that deletes `revision`'s checkpoint.
  static std::string delete_checkpoint_sql(db::Database& db, const std::string& revision);

  // On the first start, `first_statements` (the revision's upgrade section)
  // run in the transaction that stores the bound, or, when not
  // `transactional`, each on its own just before it (so they must be safe
  // to run again: a run killed in between runs them again); a resumed run
  // skips them.
  // Then batches until no key is left up to the bound. Returns the final
  // progress. Throws migrate::Error naming the table and the batch.
  Progress run(const std::vector<db::Statement>& first_statements, bool transactional = true);

 private:
  Checkpoint start(const std::vector<db::Statement>& first_statements, bool transactional);
  // One batch with its retries; false when no key was left. Fills stat_.
  bool batch(Checkpoint& cp);
  // After a batch: the checkpoint (SQLite) and the pause, when due.
  void between_batches();
  void report(const Checkpoint& cp, bool done);

  db::Database& db_;
  const script::BackfillSpec& spec_;
  std::string revision_;
  Options options_;
  Events events_;
  std::unique_ptr<BatchSql> sql_;
  std::optional<ReplicaWatch> replicas_;  // with max_replica_lag
  long long size_;
  std::chrono::steady_clock::time_point started_;
  long long walked_at_start_ = 0;
  double ms_per_row_ = 0;  // moving average of a batch's time per key walked
  BatchStat stat_;         // the last committed batch's
  std::chrono::steady_clock::time_point committed_;  // its COMMIT's return
  std::chrono::milliseconds batch_time_, pause_;
  bool pause_every_batch_ = true;  // else after about batch_time of batches
  double held_ms_ = 0;             // batches' time since the last pause
  double next_ms_ = 0;             // the next batch's expected time
  unsigned rng_state_ = 0x9e3779b9u;
};

}  // namespace migrate::backfill
