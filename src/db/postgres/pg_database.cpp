#include "db/postgres/pg_database.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <iostream>
#include <thread>

#include "db/nontransactional_note.h"
#include "db/postgres/pg_lease_lock.h"
#include "db/postgres/pg_lock.h"
#include "db/postgres/pg_lock_wait.h"
#include "db/postgres/pg_pooler.h"
#include "db/postgres/pg_row_count.h"
#include "db/postgres/pg_splitter.h"
#include "db/postgres/pg_transaction.h"
#include "db/postgres/pg_work.h"
#include "sql/postgres/position.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/strings.h"

namespace migrate::db::postgres {

namespace {

// The server's text for a failed migrate check (a DO block raising
// "migrate: ..."), without the prefix.
std::string check_message(const std::string& message) {
  const std::string prefix = "migrate: ";
  return message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message;
}

// SQLSTATEs: lock_not_available (lock_timeout expired, or NOWAIT) and
// query_canceled (statement_timeout, or a cancel request).
constexpr const char* kLockNotAvailable = "55P03";
// deadlock_detected: the server rolled this transaction back to break a
// deadlock with another session; like a lock timeout, worth another try.
constexpr const char* kDeadlockDetected = "40P01";
// syntax_error: from a transactional step, whose statements libpg_query
// parsed, it means the server could not parse the whole message (its
// grammar or settings differ), and libpqxx then ran the statements one by
// one and may have paired the first failure with the wrong text.
constexpr const char* kSyntaxError = "42601";
constexpr const char* kQueryCanceled = "57014";
// Not the server's: a row guard found a count out of bounds (the step's
// transaction was still open, and is rolled back).
constexpr const char* kRowGuardViolated = "migrate-row-guard";

// SET for the length of a non-transactional step; RESET on every way out.
class SessionSettingsGuard {
 public:
  SessionSettingsGuard(Connection& conn, const std::vector<std::string>& set,
                       std::vector<std::string> reset)
      : conn_(conn), reset_(std::move(reset)) {
    if (!set.empty()) conn_.query(util::join(set, "; "));
  }
  ~SessionSettingsGuard() {
    try {
      if (!reset_.empty()) conn_.exec(util::join(reset_, "; "));
    } catch (...) {
      // The connection is closed at the end of the run anyway.
    }
  }
  SessionSettingsGuard(const SessionSettingsGuard&) = delete;
  SessionSettingsGuard& operator=(const SessionSettingsGuard&) = delete;

 private:
  Connection& conn_;
  std::vector<std::string> reset_;
};

// Milliseconds from the transaction's start to now, measured by the server,
// for messages holding one transaction (stamp, accept).
constexpr const char* kServerDuration =
    "(1000 * extract(epoch FROM clock_timestamp() - now()))::float8";

// A step's start, kept in a transaction-local setting. now() will not do
// in a batch: the server gives every transaction of one message the
// message's arrival time. Epoch seconds as text read back the same whatever
// a step does to DateStyle or TimeZone; a step that runs RESET ALL clears
// the setting, and then its start falls back to now().
constexpr const char* kMarkStepStart =
    "SELECT set_config('migrate.step_started', extract(epoch FROM clock_timestamp())::text, "
    "true)";
constexpr const char* kStepStartEpoch =
    "coalesce(nullif(current_setting('migrate.step_started', true), ''), extract(epoch FROM "
    "now())::text)::float8";
const std::string kStepStarted = fmt::format("to_timestamp({})", kStepStartEpoch);
const std::string kStepDuration =
    fmt::format("(1000 * (extract(epoch FROM clock_timestamp())::float8 - {}))", kStepStartEpoch);

// Flushes the server's output buffer (see run_batch): a NOTICE is sent at
// once, with what waits before it. Invisible: libpqxx drops notices here. At
// notice level whatever the session's client_min_messages says.
constexpr const char* kFlushResults =
    "DO $migrate$BEGIN SET LOCAL client_min_messages = notice; RAISE NOTICE 'migrate: step "
    "committed'; END$migrate$";

// When a message is full: the progress line of a step is printed when its
// message returns, so a cap keeps lines coming on a long run; no more steps
// are added once the SQL passes the byte threshold (one large step can pass
// it alone).
constexpr std::size_t kMaxBatchSteps = 50;
constexpr std::size_t kMaxBatchBytes = std::size_t{256} * 1024;

}  // namespace

PostgresDatabase::PostgresDatabase(OpenOptions options)
    : options_(std::move(options)),
      dialect_(options_.session),
      conn_(options_.target, options_.session.connect_wait),
      rng_(std::random_device{}()) {
  // Without a configured schema, pin the one search_path resolves to now,
  // so that a step changing search_path cannot send the version change to
  // another table, and so every statement names the same table.
  const ConnectFacts facts = probe_connection(conn_, options_.session.pooler);
  pooled_ = facts.pooled;
  check_interval_ = facts.check_interval;
  if (options_.tables.schema.empty()) {
    if (facts.current_schema.empty())
      throw Error(fmt::format(
          "{}: no schema to keep the version table in: search_path ({}) names no existing "
          "schema; set version_table_schema or fix search_path",
          describe(), conn_.query("SHOW search_path")[0][0].c_str()));
    options_.tables.schema = facts.current_schema;
  }
}

PostgresDatabase::~PostgresDatabase() = default;

std::vector<std::string> PostgresDatabase::restore_session_sql() const {
  // Pooled, the search_path is set for each transaction alone, like the
  // check interval below.
  std::vector<std::string> out = {"RESET ALL"};
  for (auto& sql : dialect_.search_path_sql(/*local=*/pooled_)) out.push_back(std::move(sql));
  // RESET ALL undoes this one too: it is migrate's own, set at connect
  // (pooled: for each transaction alone; RESET ALL there clears what
  // another client of the pooler may have left in the server session).
  if (check_interval_)
    out.emplace_back(pooled_ ? "SET LOCAL client_connection_check_interval = 1000"
                             : "SET client_connection_check_interval = 1000");
  return out;
}

std::optional<std::size_t> PostgresDatabase::add_fence(TransactionBatch& batch) const {
  if (fence_sql_.empty()) return std::nullopt;
  return batch.add(fence_sql_);
}

std::unique_ptr<Work> PostgresDatabase::begin_work(const WorkOptions& options) {
  std::vector<std::string> start = restore_session_sql();
  if (!fence_sql_.empty()) start.push_back(fence_sql_);
  return std::make_unique<PgWork>(conn_, dialect_, options, start);
}

std::unique_ptr<RunLock> PostgresDatabase::lock(std::chrono::milliseconds wait) {
  const TableNames& t = options_.tables;
  if (pooled_) {
    LeaseLockSpec spec;
    spec.table = dialect_.qualified(t, kRunLockTable);
    spec.key = dialect_.qualified(t, t.version_table);
    spec.lease = options_.session.run_lock_lease;
    spec.target = options_.target;
    auto held = std::make_unique<LeaseRunLock>(conn_, std::move(spec), wait,
                                               [this] { fence_sql_.clear(); });
    fence_sql_ = held->fence_sql();
    return held;
  }
  std::int64_t key = conn_.query("SELECT " + dialect_.run_lock_key_sql(t))[0][0].as<std::int64_t>();
  return std::make_unique<AdvisoryRunLock>(conn_, key, wait,
                                           dialect_.qualified(t, t.version_table));
}

std::unique_ptr<RunLock> PostgresDatabase::lock_for_dry_run(std::chrono::milliseconds wait) {
  if (pooled_ && !table_exists(kRunLockTable)) return std::make_unique<RunLock>();
  return lock(wait);
}

const std::string& PostgresDatabase::applied_by() {
  if (applied_by_.empty()) applied_by_ = util::user_at_host();
  return applied_by_;
}

HistoryEntry PostgresDatabase::history_row(const std::string& revision,
                                           const std::string& direction,
                                           const std::string& checksum, const char* status) {
  HistoryEntry row;
  row.revision = revision;
  row.direction = direction;
  row.checksum = checksum;
  row.applied_by = applied_by();
  row.status = status;
  return row;
}

void PostgresDatabase::run_step(const StepSpec& step,
                                const std::vector<std::string>& expected_heads_before) {
  run_steps({PlannedStep{step, expected_heads_before}}, nullptr);
}

void PostgresDatabase::run_steps(const std::vector<PlannedStep>& steps, const StepDone& done) {
  // Tables this run creates are dropped again if its first step fails
  // with nothing written (below): a failed transactional step leaves no
  // trace. (Created in the step's own message instead, they would push its
  // SQL out of pg_stat_activity's query text.)
  const bool creating = !tables_ready_ && !tables_exist();
  ensure_tables();
  // Every step is split and checked before the first one runs: a step the
  // server would refuse in a transaction (CONCURRENTLY ...) or an
  // unterminated statement stops the run with nothing done.
  std::vector<std::vector<Statement>> statements;
  statements.reserve(steps.size());
  for (const auto& planned : steps) {
    const StepSpec& step = planned.spec;
    statements.push_back(split_sql(step.sql, step.first_line, step.file));
    dialect_.check_step(statements.back(), step.transactional, step.file);
  }
  BatchState state;
  bool wrote = false;  // a step committed, or a non-transactional one ran
  const StepDone step_done = [&](std::size_t i, double ms) {
    wrote = true;
    if (done) done(i, ms);
  };
  try {
    for (std::size_t pos = 0; pos < steps.size();) {
      if (!steps[pos].spec.transactional) {
        wrote = true;
        const auto t0 = std::chrono::steady_clock::now();
        run_autocommit(steps[pos].spec, statements[pos], steps[pos].expected_heads_before,
                       step_label(steps[pos].spec));
        if (done) done(pos, util::millis_since(t0));
        ++pos;
        continue;
      }
      pos = run_batch(steps, statements, pos, state, step_done);
    }
  } catch (const std::exception&) {
    // Under the run lock, so no other run can have used them meanwhile.
    if (creating && !wrote) drop_new_tables();
    throw;
  }
}

std::string PostgresDatabase::step_label(const StepSpec& step) {
  return fmt::format("step {} ({})", step.revision, step.upgrade ? "upgrade" : "downgrade");
}

PostgresDatabase::StepLayout PostgresDatabase::append_step(TransactionBatch& batch,
                                                           const PlannedStep& planned,
                                                           const std::vector<Statement>& statements,
                                                           std::size_t index) {
  const TableNames& t = options_.tables;
  const StepSpec& step = planned.spec;
  // [BEGIN, session restored, SET LOCAL timeouts..., (pooled) the lease
  // lock's fence, start mark, heads check, statements..., version ops...,
  // history row, (pooled) the fence again, COMMIT].
  StepLayout at;
  at.step = index;
  batch.begin();
  for (const auto& sql : restore_session_sql()) batch.add(sql);
  for (auto& sql : dialect_.step_settings_sql(step, /*local=*/true)) batch.add(std::move(sql));
  if (auto fence = add_fence(batch)) at.fence = *fence;
  batch.add(kMarkStepStart);
  at.check = batch.add(dialect_.check_heads_sql(t, planned.expected_heads_before));
  at.first_statement = batch.size();
  at.guarded = !step.guards.empty();
  if (at.guarded) {
    at.statement_at.reserve(statements.size());
    for (const auto& st : statements) {
      if (auto count = truncate_count_sql(st.sql)) batch.add(std::move(*count));
      at.statement_at.push_back(batch.add(st.sql));
    }
  } else {
    for (const auto& st : statements) batch.add(st.sql);
  }
  at.first_bookkeeping = batch.size();
  for (const auto& op : step.version_ops) batch.add(dialect_.version_op_sql(t, op));
  at.history = batch.add(
      dialect_.history_row_sql(
          t,
          history_row(step.revision, step.upgrade ? "upgrade" : "downgrade", step.checksum, "ok"),
          kStepStarted, kStepDuration) +
      " RETURNING duration_ms");
  // The lease runs from the COMMIT, however long the step took (the row was
  // this transaction's all along, so the renewing thread could not).
  add_fence(batch);
  // A guarded step's COMMIT waits for its counts (TransactionBatch::finish).
  at.commit = at.guarded ? batch.size() : batch.commit();
  return at;
}

std::size_t PostgresDatabase::StepLayout::statement_of(std::size_t i) const {
  if (!guarded) return i - first_statement;
  // A TRUNCATE's count belongs to the TRUNCATE after it.
  std::size_t k = 0;
  while (k + 1 < statement_at.size() && statement_at[k] < i) ++k;
  return k;
}

std::optional<BatchFailure> PostgresDatabase::check_row_guards(
    const StepSpec& step, const std::vector<Statement>& statements, const StepLayout& at,
    const std::vector<pqxx::result>& results) {
  const std::string label = step_label(step);
  for (std::size_t k = 0; k < statements.size(); ++k) {
    const std::size_t i = at.statement_at[k];
    const pqxx::result& r = results.at(i);
    const bool truncate = i > at.first_statement && (k == 0 || at.statement_at[k - 1] < i - 1);
    // TRUNCATE's tag has no count: the query before it took one.
    const long long count =
        truncate ? results.at(i - 1).at(0).at(0).as<long long>() : r.affected_rows();
    const bool modifies = truncate || statement_modifies_rows(statements[k].sql);
    if (auto v = row_guard_violation(step.guards, step.file, statements[k].line, count, modifies,
                                     label, sql::postgres::first_line_of(statements[k].sql)))
      return BatchFailure{i, *v, kRowGuardViolated};
  }
  return std::nullopt;
}

std::size_t PostgresDatabase::run_batch(const std::vector<PlannedStep>& steps,
                                        const std::vector<std::vector<Statement>>& statements,
                                        std::size_t pos, BatchState& state, const StepDone& done) {
  // Consecutive transactional steps from `pos`, each its own BEGIN ...
  // COMMIT, in ONE message: the server commits them one after the other
  // and, at the first error, skips the rest of the message, so the steps
  // before the failing one stay committed and none after it starts; the
  // failing one is rolled back by the time send() returns.
  TransactionBatch batch(conn_);
  std::vector<StepLayout> layout;
  std::size_t bytes = 0;
  for (std::size_t i = pos; i < steps.size() && steps[i].spec.transactional; ++i) {
    if (!layout.empty() &&
        (layout.size() >= kMaxBatchSteps || bytes >= kMaxBatchBytes || state.alone == pos))
      break;
    // The server sends a message's results only when it is done with the
    // whole message, or when it sends a NOTICE: one between two steps
    // hands over the previous step's COMMIT as it happens.
    if (!layout.empty()) batch.add(kFlushResults);
    layout.push_back(append_step(batch, steps[i], statements[i], i));
    bytes += steps[i].spec.sql.size();
    // A guarded step ends its message, open: its counts decide the COMMIT.
    if (layout.back().guarded) break;
  }

  std::vector<pqxx::result> results;
  std::optional<BatchFailure> failure;
  // Steps reported done: each as its COMMIT's result arrives, while the
  // server runs the next ones (no burst of lines at the message's end).
  std::size_t committed = 0;
  auto report = [&](std::size_t i) {
    if (committed >= layout.size() || layout[committed].commit != i) return;
    const StepLayout& at = layout[committed++];
    if (done) done(at.step, results.at(at.history).at(0).at(0).as<double>());
  };
  try {
    failure = batch.send(&results, report);
  } catch (const Error& e) {
    // The connection broke: which of the message's steps not yet reported
    // committed is only known to the server now.
    const StepSpec& first = steps[layout[std::min(committed, layout.size() - 1)].step].spec;
    const StepSpec& last = steps[layout.back().step].spec;
    throw Error(fmt::format(
        "{}\n  (steps {} to {} were sent together: each committed whole or not at all; run "
        "`migrate current` to see where the database is, then run the command again)",
        e.what(), first.revision, last.revision));
  }
  if (!failure && layout.back().guarded) {
    const StepLayout& last = layout.back();
    failure = check_row_guards(steps[last.step].spec, statements[last.step], last, results);
    // On a violation, ROLLBACK; else COMMIT, whose failure is the step's.
    std::optional<BatchFailure> ended = batch.finish(!failure);
    if (!failure) failure = std::move(ended);
  }
  // A guarded step's COMMIT came after the message (finish()).
  while (committed < layout.size() && (!failure || layout[committed].commit < failure->index)) {
    const StepLayout& at = layout[committed++];
    if (done) done(at.step, results.at(at.history).at(0).at(0).as<double>());
  }
  if (!failure) return layout.back().step + 1;

  const StepLayout& at = layout[committed];
  const StepSpec& step = steps[at.step].spec;
  const std::vector<Statement>& sts = statements[at.step];
  const std::string label = step_label(step);
  const TableNames& t = options_.tables;
  const std::size_t i = failure->index;
  const bool in_statement = i >= at.first_statement && i < at.first_bookkeeping;
  if (failure->sqlstate == kSyntaxError && layout.size() > 1 && state.alone != at.step) {
    // The server may not have parsed the message at all (see kSyntaxError):
    // the steps reported committed did; send the step it named alone, so
    // that its error is its own.
    state.alone = at.step;
    return at.step;
  }
  const int attempt = state.failed(at.step);
  const int max_retries = std::max(0, options_.session.lock_retries);
  const bool deadlock = failure->sqlstate == kDeadlockDetected;
  if ((failure->sqlstate == kLockNotAvailable || deadlock) && attempt <= max_retries) {
    // The step rolled back whole: nothing of it stays, so it can run again.
    std::string what =
        in_statement ? describe_relations(relations_named(sts[at.statement_of(i)].sql))
                     : "a lock on the version table " + dialect_.qualified(t, t.version_table);
    auto delay = retry_delay(attempt, rng_);
    std::cerr << fmt::format("migrate: {}: {}; retry {}/{} in {}", label,
                             deadlock ? deadlock_phrase(what)
                                      : lock_wait_phrase(step, failure->message, what),
                             attempt, max_retries, format_delay(delay))
              << std::endl;
    std::this_thread::sleep_for(delay);
    return at.step;
  }
  const std::string& msg = failure->message;
  if (i == at.check || i == at.fence)
    throw Error(fmt::format("{}: {}; {} was not run", describe(), check_message(msg), label));
  if (failure->sqlstate == kRowGuardViolated)
    throw Error(msg + "\n  (the step was rolled back: nothing of it remains)");
  if (in_statement)
    throw Error(statement_failure(step, sts[at.statement_of(i)], *failure, label, attempt) +
                "\n  (the step was rolled back)");
  if (i == at.commit)
    throw Error(
        fmt::format("{}: {} failed at COMMIT (a deferred constraint?): {}\n  (the step "
                    "was rolled back)",
                    step.file, label, msg));
  throw Error(fmt::format("{}: {}: {}; the step was rolled back", describe(), label,
                          i < at.check ? msg : check_message(msg)));
}

std::string PostgresDatabase::statement_failure(const StepSpec& step, const Statement& st,
                                                const BatchFailure& failure,
                                                const std::string& label, int attempts) {
  std::string out = fmt::format("{}:{}: {} failed: {}\n  in: {}", step.file, st.line, label,
                                failure.message, sql::postgres::first_line_of(st.sql));
  if (failure.sqlstate == kLockNotAvailable) {
    std::vector<NamedRelation> relations = relations_named(st.sql);
    out += "\n  " + lock_wait_phrase(step, failure.message, describe_relations(relations));
    if (step.transactional)
      out += fmt::format(", {} {} (lock_retries: {})", attempts, attempts == 1 ? "time" : "times",
                         options_.session.lock_retries);
    std::string holders = lock_holders(conn_, relations);
    if (!holders.empty()) out += "\n  held now by " + holders;
  } else if (failure.sqlstate == kDeadlockDetected && step.transactional) {
    out += fmt::format("\n  {}, {} {} (lock_retries: {})",
                       deadlock_phrase(describe_relations(relations_named(st.sql))), attempts,
                       attempts == 1 ? "time" : "times", options_.session.lock_retries);
  } else if (failure.sqlstate == kQueryCanceled &&
             failure.message.find("statement timeout") != std::string::npos) {
    out += fmt::format(
        "\n  statement_timeout is {}: raise it in migrate.yaml or with `statement_timeout:` in "
        "the revision's header",
        step.statement_timeout.value_or(options_.session.statement_timeout));
  }
  return out;
}

std::string PostgresDatabase::lock_wait_phrase(const StepSpec& step, const std::string& message,
                                               const std::string& what) const {
  if (message.find("lock timeout") != std::string::npos)
    return fmt::format("waited {} for {} (lock_timeout)",
                       step.lock_timeout.value_or(options_.session.lock_timeout), what);
  return fmt::format("could not get {} at once (NOWAIT)", what);
}

std::string PostgresDatabase::deadlock_phrase(const std::string& what) {
  return fmt::format("deadlocked with another session over {} (the server rolled the step back)",
                     what);
}

void PostgresDatabase::record_failure(const StepSpec& step,
                                      std::chrono::system_clock::time_point start,
                                      double duration_ms) noexcept {
  try {
    // A non-transactional step's own statements may have left a
    // transaction open (a BEGIN of its own): end it, so the row commits.
    conn_.rollback_quietly();
    conn_.exec(dialect_.history_row_sql(
        options_.tables,
        history_row(step.revision, step.upgrade ? "upgrade" : "downgrade", step.checksum, "failed"),
        dialect_.quote_literal(util::iso8601_utc_millis(start)) + "::timestamptz",
        fmt::format("{:.3f}", duration_ms)));
  } catch (...) {
  }
}

void PostgresDatabase::run_autocommit(const StepSpec& step,
                                      const std::vector<Statement>& statements,
                                      const std::vector<std::string>& expected,
                                      const std::string& label) {
  const TableNames& t = options_.tables;
  // Outside a transaction, behind a transaction pooler, each statement may
  // run in another server session, where no SET of migrate's holds: the
  // statements would land in the server's search_path, not the target's.
  if (pooled_ && !options_.session.search_path.empty())
    throw Error(fmt::format(
        "{}: {} is not transactional (transactional: false) and this database is reached "
        "through a transaction pooler, where migrate cannot set the target's search_path ({}) "
        "outside a transaction; {} was not run. Run it through a direct connection to the server "
        "(a URL that does not go through the pooler)",
        describe(), label, fmt::join(options_.session.search_path, ", "), label));
  const auto start = std::chrono::system_clock::now();
  const auto t0 = std::chrono::steady_clock::now();
  // Checked before any statement runs, since none of them can be undone
  // (pooled: with the lease renewed, so it lasts the step's statements even
  // if the renewing thread were late).
  try {
    conn_.exec((fence_sql_.empty() ? "" : fence_sql_ + "; ") +
               dialect_.check_heads_sql(t, expected));
  } catch (const pqxx::sql_error& e) {
    throw Error(fmt::format("{}: {}; {} was not run", describe(),
                            check_message(format_server_error(e.what())), label));
  }
  // Session-wide for the step's statements and its bookkeeping, then reset:
  // the connection goes on to the next step. Not behind a transaction
  // pooler: each statement outside a transaction may run in another server
  // session, and what was SET would stay behind for the pooler's other
  // clients.
  std::optional<SessionSettingsGuard> settings;
  if (!pooled_) {
    std::vector<std::string> set = restore_session_sql();
    for (auto& sql : dialect_.step_settings_sql(step, /*local=*/false))
      set.push_back(std::move(sql));
    settings.emplace(conn_, set, dialect_.reset_step_settings_sql());
  } else if (!said_no_timeouts_) {
    std::cerr << fmt::format(
                     "migrate: note: {} runs outside a transaction through a transaction pooler: "
                     "migrate cannot set its lock_timeout ({}) and statement_timeout ({}) there; "
                     "the server's settings for the role apply (ALTER ROLE ... SET lock_timeout "
                     "= ...)",
                     label, step.lock_timeout.value_or(options_.session.lock_timeout),
                     step.statement_timeout.value_or(options_.session.statement_timeout))
              << std::endl;
    said_no_timeouts_ = true;
  }
  for (const auto& st : statements) {
    try {
      conn_.exec(st.sql);
    } catch (const pqxx::sql_error& e) {
      record_failure(step, start, util::millis_since(t0));
      BatchFailure failure{0, format_server_error(e.what()), e.sqlstate()};
      throw Error(nontransactional_statement_failed(
          statement_failure(step, st, failure, label, 1), label,
          failure.sqlstate == kLockNotAvailable
              ? " (a step outside a transaction is never retried: a statement such as CREATE "
                "INDEX CONCURRENTLY may have left work behind, e.g. an invalid index)"
              : ""));
    }
  }
  TransactionBatch tx(conn_);
  tx.begin();
  add_fence(tx);
  tx.add(dialect_.check_heads_sql(t, expected));
  for (const auto& op : step.version_ops) tx.add(dialect_.version_op_sql(t, op));
  tx.add(dialect_.history_row_sql(
      t, history_row(step.revision, step.upgrade ? "upgrade" : "downgrade", step.checksum, "ok"),
      dialect_.quote_literal(util::iso8601_utc_millis(start)) + "::timestamptz",
      fmt::format("{:.3f}", util::millis_since(t0))));
  tx.commit();
  if (auto failure = tx.send()) {
    record_failure(step, start, util::millis_since(t0));
    throw Error(nontransactional_version_failed(
        fmt::format("{}: {}: {}", describe(), label, check_message(failure->message)), label));
  }
}

void PostgresDatabase::stamp(const std::vector<graph::VersionOp>& ops,
                             const std::vector<std::string>& expected_heads_before) {
  ensure_tables();
  const TableNames& t = options_.tables;
  TransactionBatch tx(conn_);
  tx.begin();
  add_fence(tx);
  tx.add(dialect_.check_heads_sql(t, expected_heads_before));
  for (const auto& op : ops) {
    tx.add(dialect_.version_op_sql(t, op));
    for (const auto& row : stamp_rows(op))
      tx.add(dialect_.history_row_sql(t, history_row(row.revision, row.direction, "", "ok"),
                                      "now()", kServerDuration));
  }
  tx.commit();
  if (auto failure = tx.send())
    throw Error(fmt::format("{}: stamp: {}; nothing was changed", describe(),
                            check_message(failure->message)));
}

void PostgresDatabase::record_accepted(const std::vector<AcceptedChecksum>& accepted) {
  ensure_tables();
  const TableNames& t = options_.tables;
  TransactionBatch tx(conn_);
  tx.begin();
  add_fence(tx);
  for (const auto& a : accepted)
    tx.add(dialect_.history_row_sql(t, history_row(a.revision, "accept", a.checksum, "ok"), "now()",
                                    "0"));
  tx.commit();
  if (auto failure = tx.send())
    throw Error(fmt::format("{}: cannot record the accepted checksums: {}; nothing was recorded",
                            describe(), failure->message));
}

void PostgresDatabase::record_settled(const std::vector<std::string>& revisions) {
  ensure_tables();
  TransactionBatch tx(conn_);
  tx.begin();
  add_fence(tx);
  for (const auto& rev : revisions)
    tx.add(dialect_.history_row_sql(options_.tables, history_row(rev, "settle", "", "ok"), "now()",
                                    "0"));
  tx.commit();
  if (auto failure = tx.send())
    throw Error(fmt::format("{}: cannot record the settled failures: {}; nothing was recorded",
                            describe(), failure->message));
}

}  // namespace migrate::db::postgres
