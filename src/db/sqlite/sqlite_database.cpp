#include "db/sqlite/sqlite_database.h"

#include <fmt/format.h>

#include <filesystem>

#include "db/nontransactional_note.h"
#include "db/sqlite/sqlite_executor.h"
#include "db/sqlite/sqlite_foreign_keys.h"
#include "db/sqlite/sqlite_lock.h"
#include "db/sqlite/sqlite_transaction.h"
#include "db/sqlite/sqlite_work.h"
#include "util/clock.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace migrate::db::sqlite {

namespace {

bool is_memory(const std::string& path) { return path == ":memory:"; }

// SQLite creates the file but not its folders, and says only "unable to
// open database file" when one is missing.
void check_directory(const OpenOptions& o) {
  fs::path dir = fs::path(o.path).parent_path();
  if (dir.empty()) return;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw Error(fmt::format("{}: cannot open database: directory {} does not exist", o.describe,
                            dir.string()));
}

}  // namespace

SqliteDatabase::SqliteDatabase(OpenOptions options) : options_(std::move(options)) {
  const bool memory = is_memory(options_.path);
  if (!memory) {
    check_directory(options_);
    // A missing file is created only by the first write (create_if_absent):
    // a run with nothing to do leaves no file behind.
    std::error_code ec;
    if (!fs::exists(options_.path, ec)) return;  // absent
  }
  open();
}

void SqliteDatabase::open() {
  // NOMUTEX: one connection, used by one thread at a time; SQLite's own
  // per-call mutex would be pure overhead.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (options_.create_if_missing || is_memory(options_.path)) flags |= SQLITE_OPEN_CREATE;
  conn_ = std::make_unique<Connection>(options_.path, flags, options_.describe);
  // A second process waits for the write lock instead of failing at once,
  // and says so when the wait is long.
  busy_ = std::make_unique<BusyWait>(options_.busy_timeout, options_.path, options_.describe);
  busy_->install(conn_->get());
  store_ = std::make_unique<VersionStore>(*conn_, dialect_, options_.tables);
}

SqliteDatabase::~SqliteDatabase() = default;

bool SqliteDatabase::create_if_absent() {
  if (!absent()) return false;
  if (!options_.create_if_missing) refuse_write();
  open();
  return true;
}

std::unique_ptr<Work> SqliteDatabase::begin_work(const WorkOptions& options) {
  create_if_absent();
  return std::make_unique<SqliteWork>(*conn_, options.transaction);
}

std::string SqliteDatabase::missing() const {
  return absent() && !options_.create_if_missing ? "no such database file " + options_.path : "";
}

void SqliteDatabase::refuse_write() const {
  throw Error(
      fmt::format("{}: no such database file {} (it is created only by commands that write)",
                  options_.describe, options_.path));
}

std::unique_ptr<RunLock> SqliteDatabase::lock(std::chrono::milliseconds wait) {
  // Nobody else can see a :memory: database, and an absent file cannot be
  // written, so neither needs the lock (nor a lock file left behind).
  if (absent() || is_memory(options_.path)) return std::make_unique<NoRunLock>();
  // Through symlinks, so every path to one database finds one lock file.
  std::error_code ec;
  fs::path real = fs::weakly_canonical(options_.path, ec);
  std::string db_path = ec ? options_.path : real.string();
  return std::make_unique<FileRunLock>(lock_path_for(db_path), wait, options_.describe);
}

void SqliteDatabase::ensure_tables() {
  create_if_absent();
  if (tables_ready_) return;
  // A plain read first: when both tables exist, which is every run but the
  // first, no write lock is taken.
  if (!store_->version_table_exists() || !store_->history_table_exists()) {
    Transaction tx(*conn_);
    store_->create_tables();
    tx.commit();
  }
  tables_ready_ = true;
}

std::vector<std::string> SqliteDatabase::current_heads() {
  if (absent() || !store_->version_table_exists()) return {};
  return store_->heads();
}

std::vector<HistoryEntry> SqliteDatabase::history() {
  if (absent() || !store_->history_table_exists()) return {};
  return store_->history();
}

const std::string& SqliteDatabase::applied_by() {
  if (applied_by_.empty()) applied_by_ = util::user_at_host();
  return applied_by_;
}

HistoryRecord SqliteDatabase::history_record(const StepSpec& step,
                                             std::chrono::system_clock::time_point start,
                                             std::chrono::steady_clock::time_point t0,
                                             const char* status) {
  HistoryRecord r;
  r.revision = step.revision;
  r.direction = step.upgrade ? "upgrade" : "downgrade";
  r.checksum = step.checksum;
  r.started_at = util::iso8601_utc_millis(start);
  r.duration_ms = util::millis_since(t0);
  r.applied_by = applied_by();
  r.status = status;
  return r;
}

void SqliteDatabase::record_failure(const HistoryRecord& row) noexcept {
  try {
    if (conn_->in_transaction()) conn_->exec("ROLLBACK");
    Transaction tx(*conn_);
    store_->record(row);
    tx.commit();
  } catch (...) {
  }
}

void SqliteDatabase::run_step(const StepSpec& step,
                              const std::vector<std::string>& expected_heads_before) {
  create_if_absent();
  // A transactional step creates the tables in its own transaction, so a
  // failed first step leaves no trace; a non-transactional one needs them
  // first, for its history row.
  if (!step.transactional) ensure_tables();
  // Built on every step, used only in messages: a plain append, not fmt.
  std::string label = "step " + step.revision + (step.upgrade ? " (upgrade)" : " (downgrade)");
  if (step.transactional)
    run_transactional(step, expected_heads_before, label);
  else
    run_autocommit(step, expected_heads_before, label);
}

void SqliteDatabase::run_transactional(const StepSpec& step,
                                       const std::vector<std::string>& expected,
                                       const std::string& label) {
  const auto start = std::chrono::system_clock::now();
  const auto t0 = std::chrono::steady_clock::now();
  bool fk_failed = false;
  try {
    // Order matters: the guard must switch foreign keys off before BEGIN
    // (the pragma is a no-op inside a transaction) and restore them after
    // the transaction's end, so it is constructed first and destroyed last.
    ForeignKeysOff fk_off(*conn_);
    Transaction tx(*conn_);
    if (!tables_ready_) store_->create_tables();
    run_section(*conn_, Section{step.sql, step.first_line, step.file, label, true,
                                step.guards.empty() ? nullptr : &step.guards});
    // The expected-heads check comes with the version update (one statement
    // for a step along a chain) rather than before the SQL: BEGIN IMMEDIATE
    // took the write lock, so no other connection can have changed the
    // table since, and nothing commits unless it held.
    store_->apply_checked(step.version_ops, expected, label);
    // With enforcement off, the step itself may have broken references
    // (e.g. a table rebuild that lost rows); nothing commits until they hold.
    // A database without any foreign key cannot have broken one.
    if (!may_have_foreign_keys_) may_have_foreign_keys_ = schema_may_have_foreign_keys(*conn_);
    if (sql_may_add_foreign_keys(step.sql)) may_have_foreign_keys_ = true;
    std::string v = *may_have_foreign_keys_ ? foreign_key_violations(*conn_) : std::string();
    if (!v.empty()) {
      fk_failed = true;
      throw Error(fmt::format("{}: {} failed: {}; rolled back", step.file, label, v));
    }
    store_->record(history_record(step, start, t0, "ok"));
    tx.commit();
    tables_ready_ = true;
  } catch (const Error& e) {
    // By now the transaction has rolled back and foreign keys are restored.
    if (fk_failed) explain_old_violations(e.what());
    throw;
  }
}

void SqliteDatabase::explain_old_violations(const std::string& message) {
  // SQLite does not enforce foreign keys unless asked, so a database may
  // carry dangling references from long ago; the check cannot tell them
  // from the step's. Saying so spares a hunt through the step's SQL.
  std::string before;
  try {
    before = foreign_key_violations(*conn_);
  } catch (const std::exception&) {
    return;
  }
  if (before.empty()) return;
  throw Error(
      fmt::format("{}\nnote: the database already had {} before this step; fix those first (PRAGMA "
                  "foreign_key_check lists them)",
                  message, before));
}

void SqliteDatabase::run_autocommit(const StepSpec& step, const std::vector<std::string>& expected,
                                    const std::string& label) {
  const auto start = std::chrono::system_clock::now();
  const auto t0 = std::chrono::steady_clock::now();
  // Checked before any statement runs, since none of them can be undone.
  store_->check_heads(expected, label);
  // Outside a transaction SQL can ATTACH, change foreign_keys, ...: from now
  // on, always check (see may_have_foreign_keys_).
  may_have_foreign_keys_ = true;
  try {
    try {
      run_section(*conn_, Section{step.sql, step.first_line, step.file, label, false, nullptr});
    } catch (const Error& e) {
      // Not a rollback: say so, and that the statements before it stay.
      throw Error(nontransactional_statement_failed(e.what(), label), e.exit_code());
    }
    if (conn_->in_transaction()) {
      conn_->exec("ROLLBACK");
      throw Error(fmt::format(
          "{}: {} failed: it left a transaction open (BEGIN without COMMIT); rolled back",
          step.file, label));
    }
  } catch (const std::exception&) {
    record_failure(history_record(step, start, t0, "failed"));
    throw;
  }
  try {
    Transaction tx(*conn_);
    store_->check_heads(expected, label);
    for (const auto& op : step.version_ops) store_->apply(op, label);
    store_->record(history_record(step, start, t0, "ok"));
    tx.commit();
  } catch (const Error& e) {
    record_failure(history_record(step, start, t0, "failed"));
    throw Error(nontransactional_version_failed(e.what(), label));
  }
}

DryRunReport SqliteDatabase::dry_run(const std::vector<PlannedStep>& steps) {
  // No file yet: the plan runs on an empty database in memory, and no file
  // is created.
  std::unique_ptr<Connection> scratch;
  if (absent())
    scratch = std::make_unique<Connection>(
        ":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
        options_.describe);
  Connection& conn = scratch ? *scratch : *conn_;
  DryRunReport report;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const StepSpec& step = steps[i].spec;
    report.steps.emplace_back();
    DryRunStep& out = report.steps.back();
    out.index = i;
    out.skipped = !step.transactional;
    if (out.skipped) continue;
    // As a real run: foreign keys off for the step's statements (see
    // run_transactional); its own transaction, never committed.
    ForeignKeysOff fk_off(conn);
    Transaction tx(conn);
    std::string label = "step " + step.revision + (step.upgrade ? " (upgrade)" : " (downgrade)");
    Section section{step.sql,  step.first_line,
                    step.file, label,
                    true,      step.guards.empty() ? nullptr : &step.guards};
    section.on_statement = [&out](int line, const std::string& text, long long rows) {
      DryRunStatement st;
      st.line = line;
      st.text = text;
      st.rows = rows;
      out.statements.push_back(std::move(st));
    };
    try {
      run_section(conn, section);
    } catch (const Error& e) {
      out.error = e.what();
    }
  }
  return report;
}

void SqliteDatabase::stamp(const std::vector<graph::VersionOp>& ops,
                           const std::vector<std::string>& expected_heads_before) {
  ensure_tables();
  const auto start = std::chrono::system_clock::now();
  const auto t0 = std::chrono::steady_clock::now();
  Transaction tx(*conn_);
  store_->check_heads(expected_heads_before, "stamp");
  for (const auto& op : ops) {
    store_->apply(op, "stamp");
    for (auto& row : stamp_rows(op)) {
      HistoryRecord r;
      r.revision = std::move(row.revision);
      r.direction = std::move(row.direction);
      r.started_at = util::iso8601_utc_millis(start);
      r.duration_ms = util::millis_since(t0);
      r.applied_by = applied_by();
      r.status = "ok";
      store_->record(r);
    }
  }
  tx.commit();
}

void SqliteDatabase::record_accepted(const std::vector<AcceptedChecksum>& accepted) {
  ensure_tables();
  const std::string now = util::iso8601_utc_millis(std::chrono::system_clock::now());
  Transaction tx(*conn_);
  for (const auto& a : accepted) {
    HistoryRecord r;
    r.revision = a.revision;
    r.direction = "accept";
    r.checksum = a.checksum;
    r.started_at = now;
    r.applied_by = applied_by();
    r.status = "ok";
    store_->record(r);
  }
  tx.commit();
}

void SqliteDatabase::record_settled(const std::vector<std::string>& revisions) {
  ensure_tables();
  const std::string now = util::iso8601_utc_millis(std::chrono::system_clock::now());
  Transaction tx(*conn_);
  for (const auto& rev : revisions) {
    HistoryRecord r;
    r.revision = rev;
    r.direction = "settle";
    r.started_at = now;
    r.duration_ms = 0;
    r.applied_by = applied_by();
    r.status = "ok";
    store_->record(r);
  }
  tx.commit();
}

}  // namespace migrate::db::sqlite
