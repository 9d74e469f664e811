// The PostgreSQL backend of db::Database, on libpqxx.
//
// A transactional step costs ONE round trip: BEGIN, the expected-heads
// check, the step's statements, the checked version-table changes, the
// history row and COMMIT go to the server as one message (pqxx::pipeline),
// which reports which statement failed, so the error names its file line
// without re-running anything. Only a failure costs a second round trip
// (ROLLBACK). A step holding a statement PostgreSQL refuses in a transaction
// (CREATE INDEX CONCURRENTLY, VACUUM, ...) is refused before anything runs
// unless it is declared `transactional: false`; such a step runs statement
// by statement in autocommit, then records its version change and history
// row in one transaction.
//
// Every step runs under lock_timeout and statement_timeout (the revision's
// header values, else migrate.yaml's): SET LOCAL at the start of a
// transactional step's message, SET ... RESET around a non-transactional
// one. A transactional step that hits lock_timeout (SQLSTATE 55P03) has
// rolled back whole, so it is sent again after a pause with backoff and
// jitter, up to lock_retries times, with a line on stderr per retry. A
// non-transactional step is never retried: its statements commit one by one.
//
// The run lock is a session advisory lock (pg_lock.h). The version and
// history tables live in TableNames::schema when one is set; that schema
// must already exist.
#pragma once

#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "db/database.h"
#include "db/postgres/pg_connection.h"
#include "db/postgres/pg_dialect.h"

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
  void ensure_tables() override;
  std::vector<std::string> current_heads() override;
  // History rows: 'ok' for every committed step; 'failed' for a
  // non-transactional step that failed part-way (its earlier statements
  // stay applied). A failed transactional step rolls back whole and leaves
  // no trace. duration_ms is measured by the server (transaction start to
  // just before COMMIT) for transactional steps, by the client otherwise.
  void run_step(const StepSpec& step,
                const std::vector<std::string>& expected_heads_before) override;
  void stamp(const std::vector<graph::VersionOp>& ops,
             const std::vector<std::string>& expected_heads_before) override;
  std::vector<HistoryEntry> history() override;
  void record_accepted(const std::vector<AcceptedChecksum>& accepted) override;

 private:
  void run_transactional(const StepSpec& step, const std::vector<Statement>& statements,
                         const std::vector<std::string>& expected, const std::string& label);
  // The message for a step whose statement `st` failed with `failure` after
  // `attempts` tries: the server's text, plus what it waited for on a lock
  // timeout or what limit it hit on a statement timeout.
  std::string statement_failure(const StepSpec& step, const Statement& st,
                                const BatchFailure& failure, const std::string& label,
                                int attempts);
  // "waited 5s for a lock on table \"t\" (lock_timeout)".
  std::string lock_wait_phrase(const StepSpec& step, const std::string& message,
                               const std::string& what) const;
  void run_autocommit(const StepSpec& step, const std::vector<Statement>& statements,
                      const std::vector<std::string>& expected, const std::string& label);
  // Runs `bookkeeping` (version checks, ops, history) as BEGIN ... COMMIT in
  // one message; throws with `label` on failure.
  void commit_bookkeeping(std::vector<std::string> bookkeeping, const std::string& label);
  // Best effort: a failure to record a failure must not hide the failure.
  void record_failure(const StepSpec& step, std::chrono::system_clock::time_point start,
                      double duration_ms) noexcept;
  HistoryEntry history_row(const std::string& revision, const std::string& direction,
                           const std::string& checksum, const char* status);
  bool table_exists(const std::string& table);
  const std::string& applied_by();

  OpenOptions options_;
  PostgresDialect dialect_;
  Connection conn_;
  std::mt19937 rng_;  // retry jitter
  bool tables_ready_ = false;
  std::string applied_by_;
};

}  // namespace migrate::db::postgres
