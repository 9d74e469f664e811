// The PostgreSQL backend of db::Database, on libpqxx.
//
// A transactional step is one transaction: BEGIN, the expected-heads
// check, the step's statements, the checked version-table changes, the
// history row and COMMIT. Consecutive transactional steps go to the server
// together, up to 50 in ONE message (no more are added once the SQL passes
// 256 KiB), through pqxx::pipeline: the server runs the transactions one
// after the other and stops at the first error, skipping the rest of the
// message, and the pipeline reports which statement failed, so the error
// names its file line without re-running anything; the steps before it
// stay committed and are reported done. So a run of small steps costs a
// round trip per 50 steps, not per step, and only a failure costs one more
// (ROLLBACK). Progress lines come when a message returns. (In a step's SQL,
// now() is the time its message arrived, as for any transaction of a
// multi-statement message; clock_timestamp() is the wall clock.)
//
// A step holding a statement PostgreSQL refuses in a transaction (CREATE
// INDEX CONCURRENTLY, VACUUM, ...) is refused before anything runs unless it
// is declared `transactional: false`; such a step runs statement by
// statement in autocommit, then records its version change and history row
// in one transaction.
//
// Every step runs under lock_timeout and statement_timeout (the revision's
// header values, else migrate.yaml's): SET LOCAL at the start of a
// transactional step's message, SET ... RESET around a non-transactional
// one. A transactional step that hits lock_timeout (SQLSTATE 55P03) or is
// chosen to break a deadlock (40P01) has rolled back whole, so it is sent
// again after a pause with backoff and jitter, up to lock_retries times,
// with a line on stderr per retry. A non-transactional step is never
// retried: its statements commit one by one.
//
// Every transaction migrate opens goes through one guard (TransactionBatch,
// pg_transaction.h): rolled back on any way out without its COMMIT.
//
// The run lock is a session advisory lock (pg_lock.h). Behind a pooler in
// transaction mode (PgBouncer), where consecutive transactions may run in
// different server sessions, it is a lease row instead (pg_lease_lock.h),
// whose fence starts every transaction of the run; migrate's settings are
// then only SET LOCAL inside transactions (nothing it sets can leak to the
// pooler's other clients), and a non-transactional step runs under the
// server's own lock_timeout and statement_timeout, which no SET can reach.
// Such a pooler is recognized at connect: the server process id it
// announces is not the server's pg_backend_pid(). The version and history
// tables live in TableNames::schema when one is set; that schema must
// already exist.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "db/database.h"
#include "db/postgres/pg_connection.h"
#include "db/postgres/pg_dialect.h"
#include "db/postgres/pg_transaction.h"

namespace migrate::db::postgres {

struct OpenOptions {
  ConnectTarget target;
  TableNames tables;
  // Per-step timeouts, lock retries, how long to wait for the server.
  SessionSettings session;
};

class PostgresDatabase : public Database {
 public:
  // Connects at once; throws migrate::Error naming host, port and database.
  explicit PostgresDatabase(OpenOptions options);
  ~PostgresDatabase() override;

  const Dialect& dialect() const override { return dialect_; }
  std::string describe() const override { return options_.target.describe; }
  std::unique_ptr<RunLock> lock(std::chrono::milliseconds wait) override;
  std::unique_ptr<RunLock> lock_for_dry_run(std::chrono::milliseconds wait) override;
  void ensure_tables() override;
  std::vector<std::string> current_heads() override;
  // History rows: 'ok' for every committed step; 'failed' for a
  // non-transactional step that failed part-way (its earlier statements
  // stay applied). A failed transactional step rolls back whole and leaves
  // no trace. duration_ms is measured by the server (transaction start to
  // just before COMMIT) for transactional steps, by the client otherwise.
  void run_step(const StepSpec& step,
                const std::vector<std::string>& expected_heads_before) override;
  void run_steps(const std::vector<PlannedStep>& steps, const StepDone& done) override;
  void stamp(const std::vector<graph::VersionOp>& ops,
             const std::vector<std::string>& expected_heads_before) override;
  std::vector<HistoryEntry> history() override;
  // Per statement: command tuples (a TRUNCATE's rows counted first), the
  // session's new locks from pg_locks and the relations whose relfilenode
  // changed (pg_dry_run.cpp).
  DryRunReport dry_run(const std::vector<PlannedStep>& steps) override;
  void record_accepted(const std::vector<AcceptedChecksum>& accepted) override;
  void record_settled(const std::vector<std::string>& revisions) override;
  // On the run's connection (pg_work.h).
  std::unique_ptr<Work> begin_work(const WorkOptions& options) override;
  const TableNames& tables() const override { return options_.tables; }

 private:
  // The dialect's RESET ALL and what migrate itself set at connect again:
  // every step (and Work) starts from the session's configured settings.
  std::vector<std::string> restore_session_sql() const;
  // Where one transactional step's statements sit in a batch.
  struct StepLayout {
    std::size_t step = 0;  // index in the plan
    // Batch indexes of the heads check, the first of the step's statements,
    // the first version op, the history row and COMMIT.
    std::size_t check = 0, first_statement = 0, first_bookkeeping = 0, history = 0, commit = 0;
    // The lease lock's fence (pooler mode), else none.
    std::size_t fence = static_cast<std::size_t>(-1);
    // A guarded step (row guards): the batch index of each statement (a
    // TRUNCATE's row count comes just before it), and no COMMIT in the
    // message: `commit` is the index the COMMIT sent after the check gets.
    bool guarded = false;
    std::vector<std::size_t> statement_at;
    // The statement a batch index in [first_statement, first_bookkeeping) belongs to.
    std::size_t statement_of(std::size_t i) const;
  };
  // What a run's earlier messages left for the next one.
  struct BatchState {
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    // Counts a failure of `step`; returns its failures so far.
    int failed(std::size_t step) {
      if (step != failed_step) failed_step = step, failures = 0;
      return ++failures;
    }
    std::size_t failed_step = kNone;
    int failures = 0;
    // A step to send alone, in a message of its own (after a batch the
    // server could not parse).
    std::size_t alone = kNone;
  };

  static std::string step_label(const StepSpec& step);
  // One step of dry_run(), in its own transaction, rolled back.
  void dry_run_step(const StepSpec& step, const std::vector<Statement>& statements,
                    DryRunStep& out);
  // Appends a transactional step's whole transaction to `batch`.
  StepLayout append_step(TransactionBatch& batch, const PlannedStep& planned,
                         const std::vector<Statement>& statements, std::size_t index);
  // For a guarded step whose message ran: checks every statement's row
  // count against its guards; the violation (a BatchFailure with SQLSTATE
  // kRowGuardViolated and the full message) or nothing.
  static std::optional<BatchFailure> check_row_guards(const StepSpec& step,
                                                      const std::vector<Statement>& statements,
                                                      const StepLayout& at,
                                                      const std::vector<pqxx::result>& results);
  // Sends the transactional steps from `pos` on (up to the next
  // non-transactional one, and the caps) as one message, reports those that
  // committed, and returns the index of the next step to run: past the
  // batch, or the step to try again after a lock timeout. Throws on any
  // other failure.
  std::size_t run_batch(const std::vector<PlannedStep>& steps,
                        const std::vector<std::vector<Statement>>& statements, std::size_t pos,
                        BatchState& state, const StepDone& done);
  // The message for a step whose statement `st` failed with `failure` after
  // `attempts` tries: the server's text, plus what it waited for on a lock
  // timeout or what limit it hit on a statement timeout.
  std::string statement_failure(const StepSpec& step, const Statement& st,
                                const BatchFailure& failure, const std::string& label,
                                int attempts);
  // "waited 5s for a lock on table \"t\" (lock_timeout)".
  std::string lock_wait_phrase(const StepSpec& step, const std::string& message,
                               const std::string& what) const;
  // "deadlocked with another session over table \"t\" (...)".
  static std::string deadlock_phrase(const std::string& what);
  void run_autocommit(const StepSpec& step, const std::vector<Statement>& statements,
                      const std::vector<std::string>& expected, const std::string& label);
  // Best effort: a failure to record a failure must not hide the failure.
  void record_failure(const StepSpec& step, std::chrono::system_clock::time_point start,
                      double duration_ms) noexcept;
  HistoryEntry history_row(const std::string& revision, const std::string& direction,
                           const std::string& checksum, const char* status);
  bool table_exists(const std::string& table);
  // Whether both tables exist; throws when version_table_schema does not.
  bool tables_exist();
  // Best effort: drops both tables, which this run created and nothing
  // has written to.
  void drop_new_tables() noexcept;
  // Pooler mode, while the lease lock is held: its fence, right after a
  // transaction's BEGIN; its index, or none.
  std::optional<std::size_t> add_fence(TransactionBatch& batch) const;
  const std::string& applied_by();

  OpenOptions options_;
  PostgresDialect dialect_;
  Connection conn_;
  std::mt19937 rng_;  // retry jitter
  bool tables_ready_ = false;
  // client_connection_check_interval was set at connect (PostgreSQL 14+).
  bool check_interval_ = false;
  std::string applied_by_;
  // Behind a pooler in transaction mode (see above).
  bool pooled_ = false;
  // LeaseRunLock::fence_sql() while the run holds that lock.
  std::string fence_sql_;
  // The note that a non-transactional step runs without migrate's timeouts
  // was given.
  bool said_no_timeouts_ = false;
};

}  // namespace migrate::db::postgres
