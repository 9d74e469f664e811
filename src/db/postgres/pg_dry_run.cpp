// PostgresDatabase::dry_run: each transactional step of the plan in its own
// transaction, statement by statement, then ROLLBACK.
//
// As eugene traces a migration: around every statement one query reads the
// session's granted relation locks (pg_locks of pg_backend_pid(), joined
// to pg_class) and every user relation's relfilenode. A lock present after
// the statement and not before is one it took (the transaction keeps every
// lock to its end, so the difference is exact); a relation whose
// relfilenode changed was rewritten (ALTER TABLE ... TYPE, a volatile
// default, TRUNCATE, REINDEX, ...). Only relations that existed before the
// step are reported: one the step creates blocks nobody. One transaction
// per step (not one for the plan) so that a step's locks are never hidden
// by the same locks taken by an earlier step; the price: a step does not
// see the earlier steps' changes.
#include <fmt/format.h>

#include <map>
#include <set>
#include <utility>

#include "db/postgres/pg_database.h"
#include "db/postgres/pg_row_count.h"
#include "db/postgres/pg_splitter.h"
#include "sql/postgres/position.h"

namespace migrate::db::postgres {

namespace {

// Locks of this session (kind 'l') and relfilenodes of user relations
// (kind 'f'), in one round trip.
constexpr const char* kSnapshotSql =
    "SELECT 'l', l.mode, l.relation::oid::bigint, 0::bigint FROM pg_locks l WHERE l.pid = "
    "pg_backend_pid() AND l.locktype = 'relation' AND l.granted AND l.database = (SELECT oid "
    "FROM pg_database WHERE datname = current_database()) "
    "UNION ALL SELECT 'f', c.relkind::text || ' ' || n.nspname || '.' || c.relname, "
    "c.oid::bigint, c.relfilenode::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = "
    "c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname "
    "NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

struct Snapshot {
  std::set<std::pair<long long, std::string>> locks;                 // (oid, mode)
  std::map<long long, std::pair<std::string, long long>> relations;  // oid -> (kind name, node)
};

Snapshot snapshot(Connection& conn) {
  Snapshot s;
  for (const auto& row : conn.query(kSnapshotSql)) {
    if (row[0].c_str()[0] == 'l')
      s.locks.emplace(row[2].as<long long>(), row[1].c_str());
    else
      s.relations[row[2].as<long long>()] = {row[1].c_str(), row[3].as<long long>()};
  }
  return s;
}

// "r public.accounts" -> "table public.accounts".
std::string describe_relation(const std::string& kind_name) {
  const char kind = kind_name.empty() ? '?' : kind_name[0];
  const std::string name = kind_name.size() > 2 ? kind_name.substr(2) : kind_name;
  switch (kind) {
    case 'r':
    case 'p':
      return "table " + name;
    case 'i':
    case 'I':
      return "index " + name;
    case 'm':
      return "materialized view " + name;
    case 'S':
      return "sequence " + name;
    case 'v':
      return "view " + name;
    default:
      return name;
  }
}

// ROLLBACK on every way out: a dry run never commits.
class RollbackGuard {
 public:
  explicit RollbackGuard(Connection& conn) : conn_(conn) { conn_.query("BEGIN"); }
  ~RollbackGuard() {
    if (conn_.is_open()) conn_.rollback_quietly();
  }
  RollbackGuard(const RollbackGuard&) = delete;
  RollbackGuard& operator=(const RollbackGuard&) = delete;

 private:
  Connection& conn_;
};

}  // namespace

DryRunReport PostgresDatabase::dry_run(const std::vector<PlannedStep>& steps) {
  std::vector<std::vector<Statement>> statements;
  statements.reserve(steps.size());
  for (const auto& planned : steps) {
    const StepSpec& step = planned.spec;
    statements.push_back(split_sql(step.sql, step.first_line, step.file));
    dialect_.check_step(statements.back(), step.transactional, step.file);
  }
  DryRunReport report;
  report.reports_locks = true;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    report.steps.emplace_back();
    DryRunStep& out = report.steps.back();
    out.index = i;
    out.skipped = !steps[i].spec.transactional;
    if (!out.skipped) dry_run_step(steps[i].spec, statements[i], out);
  }
  return report;
}

void PostgresDatabase::dry_run_step(const StepSpec& step, const std::vector<Statement>& statements,
                                    DryRunStep& out) {
  const std::string label = step_label(step);
  RollbackGuard tx(conn_);
  // As the real step (append_step): the session restored, the search_path
  // of a schema-per-tenant target set, then the step's timeouts.
  for (const auto& sql : restore_session_sql()) conn_.query(sql);
  for (const auto& sql : dialect_.step_settings_sql(step, /*local=*/true)) conn_.query(sql);
  Snapshot before = snapshot(conn_);
  const auto initial = before.relations;
  for (const auto& st : statements) {
    DryRunStatement rec;
    rec.line = st.line;
    rec.text = sql::postgres::first_line_of(st.sql);
    std::optional<std::string> truncate = truncate_count_sql(st.sql);
    try {
      if (truncate) {
        rec.rows = conn_.exec(*truncate).at(0).at(0).as<long long>();
        before = snapshot(conn_);  // the count's own locks are not the statement's
      }
      pqxx::result r = conn_.exec(st.sql);
      if (!truncate) rec.rows = static_cast<long long>(r.affected_rows());
    } catch (const pqxx::sql_error& e) {
      BatchFailure failure{0, format_server_error(e.what()), e.sqlstate()};
      // The transaction is aborted: end it before statement_failure reads
      // the server (lock holders).
      conn_.rollback_quietly();
      out.error = statement_failure(step, st, failure, label, 1);
      return;
    }
    Snapshot after = snapshot(conn_);
    for (const auto& lock : after.locks) {
      auto known = initial.find(lock.first);
      if (before.locks.count(lock) || known == initial.end()) continue;
      rec.locks.push_back({lock.second, known->second.first.substr(2)});
    }
    for (const auto& [oid, rel] : before.relations) {
      auto now = after.relations.find(oid);
      if (now != after.relations.end() && rel.second != 0 && now->second.second != rel.second &&
          initial.count(oid))
        rec.rewrites.push_back(describe_relation(rel.first));
    }
    before = std::move(after);
    const bool modifies = truncate || statement_modifies_rows(st.sql);
    auto violation = step.guards.empty() ? std::nullopt
                                         : row_guard_violation(step.guards, step.file, st.line,
                                                               rec.rows, modifies, label, rec.text);
    out.statements.push_back(std::move(rec));
    if (violation) {
      out.error = *violation;
      return;
    }
  }
}  // ~RollbackGuard: nothing persists

}  // namespace migrate::db::postgres
