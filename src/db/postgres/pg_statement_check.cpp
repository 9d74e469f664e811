#include "db/postgres/pg_statement_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string_view>

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

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_word_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

// The statement's first word, lowercased, after white space, comments
// (`--`, nested `/* */`) and opening parentheses.
std::string first_word(const std::string& sql) {
  std::size_t i = 0, n = sql.size();
  while (i < n) {
    char c = sql[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '(') {
      ++i;
    } else if (sql.compare(i, 2, "--") == 0) {
      while (i < n && sql[i] != '\n') ++i;
    } else if (sql.compare(i, 2, "/*") == 0) {
      int depth = 0;
      do {
        if (sql.compare(i, 2, "/*") == 0) {
          ++depth;
          i += 2;
        } else if (sql.compare(i, 2, "*/") == 0) {
          --depth;
          i += 2;
        } else {
          ++i;
        }
      } while (i < n && depth > 0);
    } else {
      break;
    }
  }
  std::string word;
  while (i < n && is_word_char(sql[i])) word += lower(sql[i++]);
  return word;
}

bool contains_word_ci(const std::string& sql, std::string_view word) {
  auto it = std::search(sql.begin(), sql.end(), word.begin(), word.end(),
                        [](char a, char b) { return lower(a) == b; });
  return it != sql.end();
}

// Whether the checks above can object to the statement, decided from its
// words without building its parse tree: every kind they look at starts with
// one of these words. Most statements of a large step (INSERT, UPDATE,
// CREATE TABLE, ...) are thus passed without a parse, which is most of the
// cost of checking a data migration of 100,000 statements. Errs towards
// parsing: CREATE/DROP/ALTER are parsed when INDEX, DATABASE, TABLESPACE or
// SYSTEM appears anywhere in them.
bool needs_parse(const std::string& sql) {
  static const char* const kAlways[] = {"reindex", "vacuum",  "cluster",  "begin", "start",
                                        "commit",  "end",     "rollback", "abort", "copy",
                                        "prepare", "release", "savepoint"};
  const std::string word = first_word(sql);
  for (const char* w : kAlways)
    if (word == w) return true;
  if (word == "create" || word == "drop" || word == "alter") {
    for (std::string_view w : {"index", "database", "tablespace", "system"})
      if (contains_word_ci(sql, w)) return true;
    return false;
  }
  // Not a word at all (e.g. a psql meta-command): let the parser decide.
  return word.empty();
}

}  // namespace

std::string transaction_conflict(const std::string& sql) {
  return transaction_conflict_of(parse_tree(sql));
}

void check_statements(const std::vector<Statement>& statements, bool transactional,
                      const std::string& file) {
  for (const auto& st : statements) {
    if (!needs_parse(st.sql)) continue;
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
