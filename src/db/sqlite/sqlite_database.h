// The SQLite backend of db::Database: one connection, one transaction per
// step (BEGIN IMMEDIATE), foreign keys off around each step and checked
// before COMMIT, a busy handler so concurrent runs wait instead of failing
// (and say so after a second, sqlite_busy.h),
// and a whole-run flock beside the database file.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"
#include "db/sqlite/sqlite_busy.h"
#include "db/sqlite/sqlite_connection.h"
#include "db/sqlite/sqlite_dialect.h"
#include "db/sqlite/sqlite_version_store.h"

namespace migrate::db::sqlite {

struct OpenOptions {
  std::string path;      // file path or ":memory:"
  std::string describe;  // redacted URL, for messages
  TableNames tables;
  // A missing file reads as empty (no heads, no history) until the first
  // write. True: that write creates it (create_if_absent); false: every
  // write is an error.
  bool create_if_missing = true;
  // How long a statement waits for another connection's lock.
  std::chrono::milliseconds busy_timeout{30000};
};

class SqliteDatabase : public Database {
 public:
  explicit SqliteDatabase(OpenOptions options);
  ~SqliteDatabase() override;

  const Dialect& dialect() const override { return dialect_; }
  std::string describe() const override { return options_.describe; }
  std::unique_ptr<RunLock> lock(std::chrono::milliseconds wait) override;
  // A missing file opened with create_if_missing is created here, by the
  // first write, not when opened.
  bool create_if_absent() override;
  void ensure_tables() override;
  std::vector<std::string> current_heads() override;
  // A history row for every step that changed the database: 'ok' when it
  // committed; 'failed' for a non-transactional step that failed part-way
  // (its earlier statements stay applied). A failed transactional step rolls
  // back whole, its history row included, and leaves no trace. `duration_ms`
  // covers the step up to its COMMIT. A non-transactional step runs in
  // autocommit with the connection's own foreign_keys setting (no rebuild
  // guard, no check); its version change and history row then commit together.
  void run_step(const StepSpec& step,
                const std::vector<std::string>& expected_heads_before) override;
  // The history rows of stamp_rows(): "stamp" for each revision added,
  // "unstamp" for each removed.
  void stamp(const std::vector<graph::VersionOp>& ops,
             const std::vector<std::string>& expected_heads_before) override;
  std::vector<HistoryEntry> history() override;
  // Rows changed per statement. A file that does not exist yet is dry-run
  // as an empty database in memory (and is not created).
  DryRunReport dry_run(const std::vector<PlannedStep>& steps) override;
  void record_accepted(const std::vector<AcceptedChecksum>& accepted) override;
  void record_settled(const std::vector<std::string>& revisions) override;
  // On the run's connection (sqlite_work.h).
  std::unique_ptr<Work> begin_work(const WorkOptions& options) override;
  const TableNames& tables() const override { return options_.tables; }
  std::string missing() const override;

 private:
  bool absent() const { return !conn_; }
  void open();
  [[noreturn]] void refuse_write() const;
  void run_transactional(const StepSpec& step, const std::vector<std::string>& expected,
                         const std::string& label);
  void run_autocommit(const StepSpec& step, const std::vector<std::string>& expected,
                      const std::string& label);
  HistoryRecord history_record(const StepSpec& step, std::chrono::system_clock::time_point start,
                               std::chrono::steady_clock::time_point t0, const char* status);
  // After a failed foreign key check: rethrows `message` with a note if the
  // committed database already had violations; returns otherwise.
  void explain_old_violations(const std::string& message);
  // Best effort: a failure to record a failure must not hide the failure.
  void record_failure(const HistoryRecord& row) noexcept;
  const std::string& applied_by();

  OpenOptions options_;
  SqliteDialect dialect_;
  // The connection's busy handler: declared before conn_, so it outlives it.
  std::unique_ptr<BusyWait> busy_;
  std::unique_ptr<Connection> conn_;  // null when the file is absent
  // Refers to conn_, so it is declared after it and destroyed before it.
  std::unique_ptr<VersionStore> store_;
  bool tables_ready_ = false;
  // Whether the database may hold foreign keys, so that a step must end with
  // PRAGMA foreign_key_check (a walk over every table's definition, dear on
  // a database of many tables). Unknown until the first step reads the
  // schema; from then on it only turns true: when a step's SQL may declare
  // one, or after a non-transactional step (which could ATTACH anything).
  std::optional<bool> may_have_foreign_keys_;
  std::string applied_by_;
};

}  // namespace migrate::db::sqlite
