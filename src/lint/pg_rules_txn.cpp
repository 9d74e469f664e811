// Transaction rules: what cannot or should not run inside the transaction a
// transactional step runs in. The runner refuses the same statements
// (db/postgres/pg_statement_check.h); the linter says so before a run, with
// the step's transaction mode read from the revision header.
#include <fmt/format.h>

#include "lint/pg_rules.h"

namespace migrate::lint::pg {

namespace {

bool has_concurrently_param(Value reindex) {
  for (Value p : field(reindex, "params"))
    if (text(body_of(p), "defname") == "concurrently") return true;
  return false;
}

// What in the statement PostgreSQL refuses inside a transaction block; "".
std::string refused_in_transaction(const Statement& s) {
  Value b = s.body;
  if (s.kind == "IndexStmt" && flag(b, "concurrent")) return "CREATE INDEX CONCURRENTLY";
  if (s.kind == "DropStmt" && flag(b, "concurrent")) return "DROP INDEX CONCURRENTLY";
  if (s.kind == "ReindexStmt" && has_concurrently_param(b)) return "REINDEX CONCURRENTLY";
  if (s.kind == "VacuumStmt") return flag(b, "is_vacuumcmd") ? "VACUUM" : "";
  if (s.kind == "CreatedbStmt") return "CREATE DATABASE";
  if (s.kind == "DropdbStmt") return "DROP DATABASE";
  if (s.kind == "CreateTableSpaceStmt") return "CREATE TABLESPACE";
  if (s.kind == "DropTableSpaceStmt") return "DROP TABLESPACE";
  if (s.kind == "AlterSystemStmt") return "ALTER SYSTEM";
  if (s.kind == "ClusterStmt" && field(b, "relation").is_null()) return "CLUSTER without a table";
  return "";
}

}  // namespace

void check_transactions(const Statement& s) {
  if (!s.step.transactional) return;
  if (s.kind == "TransactionStmt") {
    const std::string k = text(s.body, "kind");
    if (k == "TRANS_STMT_SAVEPOINT" || k == "TRANS_STMT_RELEASE" || k == "TRANS_STMT_ROLLBACK_TO")
      return;
    std::string word = k.substr(k.rfind('_') + 1);  // BEGIN, START, COMMIT, ROLLBACK, PREPARE
    s.hit(RuleId::transaction_control, s.begin,
          fmt::format("{} inside a transactional step: the step already runs in its own "
                      "transaction, which this would end or nest",
                      word == "START" ? "START TRANSACTION" : word));
    return;
  }
  const std::string what = refused_in_transaction(s);
  if (!what.empty())
    s.hit(RuleId::concurrently_in_transaction, s.begin,
          what + " cannot run inside a transaction block, and this step runs in one");
}

}  // namespace migrate::lint::pg
