#include "db/postgres/pg_database.h"

#include <fmt/format.h>

#include <ctime>

#include "db/postgres/pg_lock.h"
#include "db/postgres/pg_splitter.h"
#include "db/postgres/pg_text.h"
#include "util/clock.h"
#include "util/error.h"

namespace migrate::db::postgres {

namespace {

// The server's text for a failed migrate check (a DO block raising
// "migrate: ..."), without the prefix.
std::string check_message(const std::string& message) {
  const std::string prefix = "migrate: ";
  return message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message;
}

// Milliseconds from the transaction's start to now, measured by the server.
constexpr const char* kServerDuration =
    "(1000 * extract(epoch FROM clock_timestamp() - now()))::float8";

}  // namespace

PostgresDatabase::PostgresDatabase(OpenOptions options)
    : options_(std::move(options)), conn_(options_.target) {
  // Without a configured schema, pin the one search_path resolves to now, so
  // that a step changing search_path cannot send the version change to
  // another table, and so every statement names the same table.
  if (options_.tables.schema.empty()) {
    pqxx::result r = conn_.query("SELECT current_schema()");
    if (r[0][0].is_null())
      throw Error(fmt::format(
          "{}: no schema to keep the version table in: search_path ({}) names no existing "
          "schema; set version_table_schema or fix search_path",
          describe(), conn_.query("SHOW search_path")[0][0].c_str()));
    options_.tables.schema = r[0][0].c_str();
  }
}

PostgresDatabase::~PostgresDatabase() = default;

std::unique_ptr<RunLock> PostgresDatabase::lock(std::chrono::milliseconds wait) {
  const TableNames& t = options_.tables;
  std::int64_t key = conn_.query("SELECT " + dialect_.run_lock_key_sql(t))[0][0].as<std::int64_t>();
  return std::make_unique<AdvisoryRunLock>(conn_, key, wait,
                                           dialect_.qualified(t, t.version_table));
}

bool PostgresDatabase::table_exists(const std::string& table) {
  return conn_.query(dialect_.table_exists_sql(options_.tables, table))[0][0].as<bool>();
}

void PostgresDatabase::ensure_tables() {
  if (tables_ready_) return;
  const TableNames& t = options_.tables;
  // Created only by the user: a typo in version_table_schema must not
  // quietly make a new schema (and apply every revision again).
  pqxx::result schema = conn_.query(fmt::format("SELECT 1 FROM pg_namespace WHERE nspname = {}",
                                                dialect_.quote_literal(t.schema)));
  if (schema.empty())
    throw Error(fmt::format(
        "{}: the schema {} (version_table_schema) does not exist; create it first (CREATE "
        "SCHEMA {}) or fix version_table_schema",
        describe(), dialect_.quote_ident(t.schema), dialect_.quote_ident(t.schema)));
  // A plain read first: both tables exist on every run but the first.
  if (!table_exists(t.version_table) || !table_exists(t.history_table)) {
    std::vector<std::string> batch{"BEGIN"};
    for (auto& sql : dialect_.create_tables_sql(t)) batch.push_back(std::move(sql));
    batch.push_back("COMMIT");
    if (auto failure = conn_.exec_batch(batch)) {
      conn_.rollback_quietly();
      throw Error(fmt::format("{}: cannot create the version and history tables: {}", describe(),
                              failure->message));
    }
  }
  tables_ready_ = true;
}

std::vector<std::string> PostgresDatabase::current_heads() {
  const TableNames& t = options_.tables;
  if (!table_exists(t.version_table)) return {};
  std::vector<std::string> out;
  for (const auto& row : conn_.query(dialect_.select_heads_sql(t))) out.push_back(row[0].c_str());
  return out;
}

std::vector<HistoryEntry> PostgresDatabase::history() {
  const TableNames& t = options_.tables;
  if (!table_exists(t.history_table)) return {};
  std::vector<HistoryEntry> out;
  for (const auto& row : conn_.query(dialect_.select_history_sql(t))) {
    HistoryEntry e;
    e.id = row[0].as<long long>();
    e.revision = row[1].c_str();
    e.direction = row[2].c_str();
    e.checksum = row[3].c_str();
    e.started_at = row[4].c_str();
    e.duration_ms = row[5].as<double>();
    e.applied_by = row[6].c_str();
    e.status = row[7].c_str();
    out.push_back(std::move(e));
  }
  return out;
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
  ensure_tables();
  std::string label =
      fmt::format("step {} ({})", step.revision, step.upgrade ? "upgrade" : "downgrade");
  std::vector<Statement> statements = split_sql(step.sql, step.first_line, step.file);
  dialect_.check_step(statements, step.transactional, step.file);
  if (step.transactional) {
    run_transactional(step, statements, expected_heads_before, label);
  } else {
    run_autocommit(step, statements, expected_heads_before, label);
  }
}

void PostgresDatabase::run_transactional(const StepSpec& step,
                                         const std::vector<Statement>& statements,
                                         const std::vector<std::string>& expected,
                                         const std::string& label) {
  const TableNames& t = options_.tables;
  // The whole step as one message: [BEGIN, heads check, statements...,
  // version ops..., history row, COMMIT].
  std::vector<std::string> batch{"BEGIN", dialect_.check_heads_sql(t, expected)};
  const std::size_t first_statement = batch.size();
  for (const auto& st : statements) batch.push_back(st.sql);
  const std::size_t first_bookkeeping = batch.size();
  for (const auto& op : step.version_ops) batch.push_back(dialect_.version_op_sql(t, op));
  batch.push_back(dialect_.history_row_sql(
      t, history_row(step.revision, step.upgrade ? "upgrade" : "downgrade", step.checksum, "ok"),
      "now()", kServerDuration));
  batch.push_back("COMMIT");

  auto failure = conn_.exec_batch(batch);
  if (!failure) return;
  conn_.rollback_quietly();
  const std::size_t i = failure->index;
  const std::string& msg = failure->message;
  if (i == first_statement - 1)
    throw Error(fmt::format("{}: {}; {} was not run", describe(), check_message(msg), label));
  if (i >= first_statement && i < first_bookkeeping) {
    const Statement& st = statements[i - first_statement];
    throw Error(fmt::format("{}:{}: {} failed: {}\n  in: {}\n  (the step was rolled back)",
                            step.file, st.line, label, msg, first_line_of(st.sql)));
  }
  if (i == batch.size() - 1)
    throw Error(
        fmt::format("{}: {} failed at COMMIT (a deferred constraint?): {}\n  (the step "
                    "was rolled back)",
                    step.file, label, msg));
  throw Error(fmt::format("{}: {}: {}; the step was rolled back", describe(), label,
                          i < first_statement ? msg : check_message(msg)));
}

void PostgresDatabase::record_failure(const StepSpec& step,
                                      std::chrono::system_clock::time_point start,
                                      double duration_ms) noexcept {
  try {
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
  const auto start = std::chrono::system_clock::now();
  const auto t0 = std::chrono::steady_clock::now();
  // Checked before any statement runs, since none of them can be undone.
  try {
    conn_.exec(dialect_.check_heads_sql(t, expected));
  } catch (const pqxx::sql_error& e) {
    throw Error(fmt::format("{}: {}; {} was not run", describe(),
                            check_message(format_server_error(e.what())), label));
  }
  for (const auto& st : statements) {
    try {
      conn_.exec(st.sql);
    } catch (const pqxx::sql_error& e) {
      record_failure(step, start, util::millis_since(t0));
      throw Error(fmt::format(
          "{}:{}: {} failed: {}\n  in: {}\nnote: {} is not transactional: the statements before "
          "this one ran and stay applied; it is recorded as 'failed' in the history table",
          step.file, st.line, label, format_server_error(e.what()), first_line_of(st.sql), label));
    }
  }
  std::vector<std::string> batch{"BEGIN", dialect_.check_heads_sql(t, expected)};
  for (const auto& op : step.version_ops) batch.push_back(dialect_.version_op_sql(t, op));
  batch.push_back(dialect_.history_row_sql(
      t, history_row(step.revision, step.upgrade ? "upgrade" : "downgrade", step.checksum, "ok"),
      dialect_.quote_literal(util::iso8601_utc_millis(start)) + "::timestamptz",
      fmt::format("{:.3f}", util::millis_since(t0))));
  batch.push_back("COMMIT");
  if (auto failure = conn_.exec_batch(batch)) {
    conn_.rollback_quietly();
    record_failure(step, start, util::millis_since(t0));
    throw Error(fmt::format(
        "{}: {}: {}\nnote: {} is not transactional: its statements ran and stay applied, but its "
        "version change was not recorded",
        describe(), label, check_message(failure->message), label));
  }
}

void PostgresDatabase::stamp(const std::vector<graph::VersionOp>& ops,
                             const std::vector<std::string>& expected_heads_before) {
  ensure_tables();
  const TableNames& t = options_.tables;
  std::vector<std::string> batch{"BEGIN", dialect_.check_heads_sql(t, expected_heads_before)};
  for (const auto& op : ops) {
    batch.push_back(dialect_.version_op_sql(t, op));
    const std::string& rev = op.kind == graph::VersionOp::kDelete ? op.from : op.to;
    batch.push_back(
        dialect_.history_row_sql(t, history_row(rev, "stamp", "", "ok"), "now()", kServerDuration));
  }
  batch.push_back("COMMIT");
  if (auto failure = conn_.exec_batch(batch)) {
    conn_.rollback_quietly();
    throw Error(fmt::format("{}: stamp: {}; nothing was changed", describe(),
                            check_message(failure->message)));
  }
}

void PostgresDatabase::record_accepted(const std::vector<AcceptedChecksum>& accepted) {
  ensure_tables();
  const TableNames& t = options_.tables;
  std::vector<std::string> batch{"BEGIN"};
  for (const auto& a : accepted)
    batch.push_back(dialect_.history_row_sql(t, history_row(a.revision, "accept", a.checksum, "ok"),
                                             "now()", "0"));
  batch.push_back("COMMIT");
  if (auto failure = conn_.exec_batch(batch)) {
    conn_.rollback_quietly();
    throw Error(fmt::format("{}: cannot record the accepted checksums: {}; nothing was recorded",
                            describe(), failure->message));
  }
}

}  // namespace migrate::db::postgres
