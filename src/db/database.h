// The database seen by the runner: one interface, one backend per dialect
// (db/sqlite, db/postgres). Backend differences live here, never as
// `if (dialect == ...)` in the runner.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "db/dry_run.h"
#include "db/row_guards.h"
#include "graph/revision_graph.h"
#include "util/error.h"

namespace migrate::db {

struct TableNames {
  std::string version_table = "migrate_version";
  std::string history_table = "migrate_history";
  std::string schema;  // PostgreSQL only; empty = default
};

// One SQL statement cut out of a revision section.
struct Statement {
  std::string sql;  // without the trailing semicolon's surrounding whitespace
  int line = 0;     // 1-based line in the revision file where it starts
};

// What one step is, for the backend: its SQL, where it came from, and the
// version-table changes that must commit with it.
struct StepSpec {
  std::string revision;
  bool upgrade = true;
  std::string sql;     // the section's text, verbatim
  std::string file;    // revision file path, for error messages
  int first_line = 1;  // file line of sql's first line
  bool transactional = true;
  std::vector<graph::VersionOp> version_ops;
  std::string checksum;  // SHA-256 of the revision file
  // The revision's `lock_timeout:` / `statement_timeout:` header values;
  // unset = the session's (SessionSettings).
  std::optional<std::string> lock_timeout;
  std::optional<std::string> statement_timeout;
  // Row guards (db/row_guards.h), checked before the step commits; only on
  // a transactional step (the runner refuses others).
  RowGuards guards;
};

// A step, and the version table's rows it expects to find before it runs.
struct PlannedStep {
  StepSpec spec;
  std::vector<std::string> expected_heads_before;
};

// Called once a step of a run_steps() call has committed, in plan order:
// its index and how long it took.
using StepDone = std::function<void(std::size_t index, double duration_ms)>;

// Runtime settings for a connection, from migrate.yaml and the command line.
// PostgreSQL applies them; SQLite ignores the timeouts and retries (its run
// lock and busy timeout cover its only kind of lock wait) and has no server
// to wait for.
struct SessionSettings {
  // PostgreSQL time values (config/duration.h), applied per step.
  std::string lock_timeout = "5s";
  std::string statement_timeout = "0";
  // How often a transactional step that hit lock_timeout is retried.
  int lock_retries = 3;
  // How long to keep trying the first connection; 0 = try once.
  std::chrono::milliseconds connect_wait{0};
  // PostgreSQL behind a connection pooler (migrate.yaml `pooler:`):
  // "transaction" (PgBouncer's transaction mode: a lease row for the run
  // lock, SET LOCAL only), "session" (every connection keeps its server
  // session: the advisory lock), or "auto" (transaction when the server's
  // session is not the one the connection announced, else session).
  std::string pooler = "auto";
  // The run lock's lease in transaction mode (pg_lease_lock.h).
  std::chrono::milliseconds run_lock_lease{30000};
  // PostgreSQL: the schemas every transaction of the run searches, set after
  // the session is restored (empty = the server's search_path). Schema per
  // tenant: a target's `schema:` (config/databases.h).
  std::vector<std::string> search_path;
};

// A row of the history table.
struct HistoryEntry {
  long long id = 0;
  std::string revision;
  // "upgrade", "downgrade", "stamp", "unstamp" (a stamp removed the
  // revision from the version table), "settle" (a failed step settled by a
  // stamp that changed nothing), "accept", "adopt" (import --adopt)
  std::string direction;
  std::string checksum;
  std::string started_at;             // ISO 8601 UTC
  std::optional<double> duration_ms;  // NULL: not measured (offline scripts)
  std::string applied_by;             // user@host
  std::string status;                 // "ok", "failed"
};

// The history rows a stamp records for one version-table change: direction
// "stamp" for the revision it adds, "unstamp" for the one it removes (an
// update does both, the removal first), so that the history says which.
struct StampRow {
  std::string revision;
  std::string direction;
};
std::vector<StampRow> stamp_rows(const graph::VersionOp& op);

// A revision file's current checksum, accepted by `migrate validate
// --accept` as the one later checks compare the file with.
struct AcceptedChecksum {
  std::string revision;
  std::string checksum;
};

// Connection-free SQL rendering for a dialect: used by offline `--sql` and
// by the backends themselves, so online and offline write the same SQL.
class Dialect {
 public:
  virtual ~Dialect() = default;
  virtual std::string name() const = 0;
  virtual std::string quote_ident(const std::string& ident) const = 0;
  virtual std::string quote_literal(const std::string& text) const = 0;
  virtual std::string qualified(const TableNames& t, const std::string& table) const = 0;
  // CREATE TABLE IF NOT EXISTS for both tables.
  virtual std::vector<std::string> create_tables_sql(const TableNames& t) const = 0;
  virtual std::string version_op_sql(const TableNames& t, const graph::VersionOp& op) const = 0;
  // Offline `--sql`: the statements that make the version-table change `op`
  // of `label` ("step ID (upgrade)", "stamp") and fail, under `psql -v
  // ON_ERROR_STOP=1` / `sqlite3 -bail`, unless an UPDATE or DELETE touched
  // exactly one row (a database that is not at the script's FROM). By
  // default version_op_sql(), which must then check it itself.
  virtual std::vector<std::string> offline_version_op_sql(const TableNames& t,
                                                          const graph::VersionOp& op,
                                                          const std::string& /*label*/) const {
    return {version_op_sql(t, op)};
  }
  virtual std::string begin_sql() const = 0;  // "BEGIN" / "BEGIN IMMEDIATE"
  // The history row an offline script records for a step (applied_by marks
  // it as offline), so scripts run by hand leave the same audit trail.
  virtual std::string history_insert_sql(const TableNames& t, const std::string& revision,
                                         const std::string& direction,
                                         const std::string& checksum) const = 0;
  // Splits a section into statements with the dialect's own parser.
  // `first_line` is the file line of the text's first line. Throws
  // migrate::Error "FILE:LINE: ..." for an unterminated statement.
  virtual std::vector<Statement> split(const std::string& sql, int first_line,
                                       const std::string& file) const = 0;
  // Refuses, before anything runs or is printed, a step the database cannot
  // run as written (PostgreSQL: CREATE INDEX CONCURRENTLY in a transactional
  // step). Throws migrate::Error naming the file, line and statement.
  virtual void check_step(const std::vector<Statement>& /*statements*/, bool /*transactional*/,
                          const std::string& /*file*/) const {}
  // The statements that set a step's timeouts: the step's own values, else
  // the session's. `local`: for the start of the step's transaction
  // (PostgreSQL: SET LOCAL); otherwise session-wide (SET), undone by
  // reset_step_settings_sql() after the step. None for SQLite.
  virtual std::vector<std::string> step_settings_sql(const StepSpec& /*step*/,
                                                     bool /*local*/) const {
    return {};
  }
  virtual std::vector<std::string> reset_step_settings_sql() const { return {}; }
  // What gives the session its configured settings back (PostgreSQL: RESET
  // ALL, which restores the values the session started with, the URL's
  // `options` included), so that what a step set with SET or set_config()
  // (a pg_dump's empty search_path) leaks neither into the next step nor
  // into migrate's own statements. Online it starts every step; offline it
  // comes before each step's version-table and history statements. Advisory
  // locks and prepared statements are not settings: they stay. None for SQLite.
  virtual std::vector<std::string> restore_session_sql() const { return {}; }
  // Offline `--sql`: what the script runs first, before it creates the
  // version and history tables (PostgreSQL without version_table_schema:
  // the check that the session's current schema is the one the script names
  // them in). None by default.
  virtual std::vector<std::string> offline_preamble_sql(const TableNames& /*t*/) const {
    return {};
  }
  // Offline `--sql`: what a transactional step's script runs after its
  // statements and before its version change, to fail (under `sqlite3
  // -bail` / `psql -v ON_ERROR_STOP=1`) where the online step would roll
  // back after its statements ran (SQLite: the foreign key check). None by
  // default.
  virtual std::vector<std::string> offline_step_checks_sql(const std::string& /*file*/,
                                                           const std::string& /*label*/) const {
    return {};
  }
  // Offline `--sql`: the statements that run `st` under its step's row
  // guards in a script, failing with the guard's message when one is
  // violated, so that `psql -v ON_ERROR_STOP=1` / `sqlite3 -bail` stop there
  // and the step's transaction never commits; {st.sql} when no guard
  // applies. Throws migrate::Error for a guard the dialect cannot enforce
  // offline (the default: any).
  virtual std::vector<std::string> offline_guarded_sql(const Statement& st, const RowGuards& guards,
                                                       const std::string& file,
                                                       const std::string& label) const;
};

// Work that is not a revision's step (the backfill engine, backfill/): one
// transaction of the caller's statements, with their results, rolled back
// unless commit() returned. Statements run one at a time, so a statement
// may use what an earlier one returned.
struct WorkOptions {
  // PostgreSQL time values set with SET LOCAL; empty = the session's. SQLite
  // ignores them (its busy timeout bounds a lock wait).
  std::string lock_timeout;
  std::string statement_timeout;
  // PostgreSQL: SET LOCAL migrate.backfill = 'on', so that triggers can tell
  // the backfill engine's writes (current_setting('migrate.backfill', true)).
  bool backfill_flag = false;
  // False: no transaction, each statement commits on its own (for what
  // PostgreSQL refuses in one, e.g. CREATE INDEX CONCURRENTLY); commit()
  // then does nothing, and the settings above are not applied.
  bool transaction = true;
};

// One statement's outcome: its rows as text (nullopt = NULL) and, for a
// write, the rows it changed.
struct WorkResult {
  std::vector<std::vector<std::optional<std::string>>> rows;
  long long affected = 0;
};

class Work {
 public:
  virtual ~Work() = default;  // ROLLBACK unless commit() returned
  // Throws WorkConflict (rolled back: worth another try) or migrate::Error.
  virtual WorkResult exec(const std::string& sql) = 0;
  virtual void commit() = 0;
};

// A Work transaction that lost a lock wait (PostgreSQL lock_timeout 55P03,
// SQLite busy), was chosen to break a deadlock (40P01) or hit
// statement_timeout (57014). It has been rolled back; trying again later
// may succeed.
class WorkConflict : public Error {
 public:
  enum Kind { kLockTimeout, kDeadlock, kStatementTimeout, kBusy };
  WorkConflict(Kind kind, const std::string& message) : Error(message), kind(kind) {}
  Kind kind;
};

// Held for the whole run so that a second runner waits. Released on destruction.
class RunLock {
 public:
  virtual ~RunLock() = default;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual const Dialect& dialect() const = 0;
  // A redacted description for messages, e.g. "sqlite:///app.db".
  virtual std::string describe() const = 0;
  // What does not exist when the database was opened without creating it
  // (a SQLite file, for a read-only command), e.g. "no such database file
  // /app/ap.db"; empty when the database exists. Such a database reads as
  // empty, so a read-only command says this rather than let a mistyped path
  // pass for a database with nothing applied.
  virtual std::string missing() const { return ""; }

  // Waits up to `wait` for the run lock; throws migrate::Error on timeout.
  virtual std::unique_ptr<RunLock> lock(std::chrono::milliseconds wait) = 0;
  // The lock a dry run takes: the same, except that it creates nothing (a
  // dry run leaves the database as it found it). Where the lock needs a
  // table that does not exist yet (PostgreSQL behind a transaction pooler:
  // the lease table), no run has ever held it, and none is taken.
  virtual std::unique_ptr<RunLock> lock_for_dry_run(std::chrono::milliseconds wait) {
    return lock(wait);
  }

  // Creates the database itself when it does not exist yet and may be
  // created (an SQLite file opened for writing is created by its first
  // write, so a run with nothing to do leaves no file). True when it did not
  // exist: the caller then takes its run lock again (none was taken on a
  // database that did not exist) and reads the version table again.
  virtual bool create_if_absent() { return false; }
  // Creates the version and history tables if they are missing (run_step()
  // creates them itself, in its step's transaction).
  virtual void ensure_tables() = 0;
  // The version table's rows; empty when the table does not exist.
  virtual std::vector<std::string> current_heads() = 0;

  // Runs one step and its version ops in one transaction, recording it in the
  // history table. Before committing, the heads must be exactly
  // `expected_heads_before` (else another runner got there first: error), and
  // every version update/delete must touch one row. On failure everything
  // rolls back and migrate::Error names the file, the failing statement's
  // line and the database's message.
  virtual void run_step(const StepSpec& step,
                        const std::vector<std::string>& expected_heads_before) = 0;

  // Runs a plan's steps in order, each exactly as run_step() would (its own
  // transaction with its version ops; a non-transactional one in
  // autocommit), calling `done` as each commits. At the first failure the
  // steps before it stay committed and have been reported through `done`,
  // and the failure is thrown as run_step() throws it (when the connection
  // is lost instead, which steps committed may be unknown: the error says
  // so). The default runs
  // run_step() step by step; PostgreSQL sends several transactional steps
  // per round trip (pg_database.h).
  virtual void run_steps(const std::vector<PlannedStep>& steps, const StepDone& done);

  // Dry run: runs each transactional step of the plan in its own
  // transaction, statement by statement, and rolls it back, so nothing
  // persists (no version or history change is attempted; the tables are
  // not created) and each step's locks are its own. A step therefore does
  // not see the changes of the plan's earlier steps. Non-transactional
  // steps are skipped (their statements could not be rolled back). A step
  // stops at its first failing statement or violated row guard
  // (DryRunStep::error); the next step runs all the same.
  virtual DryRunReport dry_run(const std::vector<PlannedStep>& steps) = 0;

  // Applies version ops alone (stamp), in one transaction, recorded in history
  // as stamp_rows() says (directions "stamp" and "unstamp").
  virtual void stamp(const std::vector<graph::VersionOp>& ops,
                     const std::vector<std::string>& expected_heads_before) = 0;

  virtual std::vector<HistoryEntry> history() = 0;

  // Records, in one transaction, one history row per entry: direction
  // "accept", status "ok", the given checksum, now, by user@host. Changes
  // nothing else (the version table stays as it is).
  virtual void record_accepted(const std::vector<AcceptedChecksum>& accepted) = 0;
  // Records, in one transaction, one history row per revision: direction
  // "settle", status "ok", no checksum, now, by user@host: a `stamp` to
  // what the version table already holds settles the failed steps of these
  // revisions (runner/step_failures.h). Changes nothing else.
  virtual void record_settled(const std::vector<std::string>& revisions) = 0;

  // Opens a Work transaction (see Work): BEGIN (SQLite: BEGIN IMMEDIATE) and
  // the options' settings. Throws WorkConflict when it cannot start for a
  // lock (SQLite busy).
  virtual std::unique_ptr<Work> begin_work(const WorkOptions& options) = 0;
  // The version table's schema and names (TableNames), so that migrate's
  // other bookkeeping tables (backfill checkpoints) sit beside it.
  virtual const TableNames& tables() const = 0;
};

// Databases and dialects are had by URL from the registry (backend/backend.h).

}  // namespace migrate::db
