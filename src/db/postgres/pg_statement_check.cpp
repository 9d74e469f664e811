#include "db/postgres/pg_statement_check.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "sql/postgres/parse.h"
#include "sql/postgres/position.h"
#include "util/error.h"

namespace migrate::db::postgres {

namespace {

using nlohmann::json;

using sql::postgres::first_line_of;

// The statement's parse tree: {"IndexStmt": {...}}; null when it does not
// parse (the server will then say why).
json parse_tree(const std::string& sql) { return sql::postgres::parse_one(sql); }

bool flag(const json& node, const char* name) { return node.value(name, false); }

bool has_concurrently_option(const json& reindex) {
  for (const auto& p : reindex.value("params", json::array()))
    if (p.contains("DefElem") && p["DefElem"].value("defname", "") == "concurrently") return true;
  return false;
}

std::string refused(const char* what) {
  return fmt::format("{} cannot run inside a transaction block", what);
}

// Why the statement with parse tree `tree` cannot run in a transaction
// block; empty when it can.
std::string transaction_conflict_of(const json& tree) {
  if (!tree.is_object() || tree.empty()) return {};
  const std::string kind = tree.begin().key();
  const json& node = tree.begin().value();
  if (kind == "IndexStmt" && flag(node, "concurrent")) return refused("CREATE INDEX CONCURRENTLY");
  if (kind == "DropStmt" && flag(node, "concurrent")) return refused("DROP INDEX CONCURRENTLY");
  if (kind == "ReindexStmt" && has_concurrently_option(node))
    return refused("REINDEX CONCURRENTLY");
  if (kind == "VacuumStmt" && flag(node, "is_vacuumcmd")) return refused("VACUUM");
  if (kind == "CreatedbStmt") return refused("CREATE DATABASE");
  if (kind == "DropdbStmt") return refused("DROP DATABASE");
  if (kind == "CreateTableSpaceStmt") return refused("CREATE TABLESPACE");
  if (kind == "DropTableSpaceStmt") return refused("DROP TABLESPACE");
  if (kind == "AlterSystemStmt") return refused("ALTER SYSTEM");
  if (kind == "ClusterStmt" && !node.contains("relation"))
    return refused("CLUSTER without a table name");
  if (kind == "TransactionStmt") {
    const std::string k = node.value("kind", "");
    if (k != "TRANS_STMT_SAVEPOINT" && k != "TRANS_STMT_RELEASE" && k != "TRANS_STMT_ROLLBACK_TO")
      return "BEGIN, COMMIT and ROLLBACK cannot appear in a transactional step (it already runs in "
             "its own transaction)";
  }
  return {};
}

// Why the statement cannot run in any migration step; empty when it can.
// COPY FROM STDIN / TO STDOUT needs a data stream on the connection, which
// a migration does not have (and its extra results would shift the
// reported position of every later statement of a batch).
std::string never_runnable(const json& tree) {
  if (!tree.is_object() || tree.empty() || tree.begin().key() != "CopyStmt") return {};
  const json& node = tree.begin().value();
  if (node.contains("filename")) return {};
  return flag(node, "is_from")
             ? "COPY ... FROM STDIN cannot run in a migration (there is no data stream): use "
               "INSERT, or COPY FROM a file on the server"
             : "COPY ... TO STDOUT cannot run in a migration (there is no data stream): use COPY "
               "TO a file on the server";
}

}  // namespace

std::string transaction_conflict(const std::string& sql) {
  return transaction_conflict_of(parse_tree(sql));
}

void check_statements(const std::vector<Statement>& statements, bool transactional,
                      const std::string& file) {
  for (const auto& st : statements) {
    const json tree = parse_tree(st.sql);
    std::string why = never_runnable(tree);
    if (!why.empty())
      throw Error(fmt::format("{}:{}: {}. Nothing was run.\n  in: {}", file, st.line, why,
                              first_line_of(st.sql)));
    if (!transactional) continue;
    why = transaction_conflict_of(tree);
    if (why.empty()) continue;
    throw Error(fmt::format(
        "{}:{}: {}; this step runs in a transaction: add `transactional: false` to the revision's "
        "header to run it statement by statement outside one. Nothing was run.\n  in: {}",
        file, st.line, why, first_line_of(st.sql)));
  }
}

}  // namespace migrate::db::postgres
