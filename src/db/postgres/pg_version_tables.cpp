// PostgresDatabase: the version and history tables (whether they exist,
// creating them, reading them).
#include <fmt/format.h>

#include "db/postgres/pg_database.h"
#include "db/postgres/pg_transaction.h"
#include "util/error.h"

namespace migrate::db::postgres {

bool PostgresDatabase::table_exists(const std::string& table) {
  return conn_.query(dialect_.table_exists_sql(options_.tables, table))[0][0].as<bool>();
}

bool PostgresDatabase::tables_exist() {
  const TableNames& t = options_.tables;
  // One round trip for the three facts (a remote server makes each count).
  pqxx::result r = conn_.query(fmt::format(
      "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = {}), to_regclass({}) IS NOT "
      "NULL AND to_regclass({}) IS NOT NULL",
      dialect_.quote_literal(t.schema),
      dialect_.quote_literal(dialect_.qualified(t, t.version_table)),
      dialect_.quote_literal(dialect_.qualified(t, t.history_table))));
  // Created only by the user: a typo in version_table_schema must not
  // quietly make a new schema (and apply every revision again).
  if (!r[0][0].as<bool>())
    throw Error(fmt::format(
        "{}: the schema {} (version_table_schema) does not exist; create it first (CREATE "
        "SCHEMA {}) or fix version_table_schema",
        describe(), dialect_.quote_ident(t.schema), dialect_.quote_ident(t.schema)));
  return r[0][1].as<bool>();
}

void PostgresDatabase::ensure_tables() {
  // Both tables exist on every run but the first.
  if (!tables_ready_ && !tables_exist()) {
    TransactionBatch tx(conn_);
    tx.begin();
    for (auto& sql : dialect_.create_tables_sql(options_.tables)) tx.add(std::move(sql));
    tx.commit();
    if (auto failure = tx.send())
      throw Error(fmt::format("{}: cannot create the version and history tables: {}", describe(),
                              failure->message));
  }
  tables_ready_ = true;
}

std::vector<std::string> PostgresDatabase::current_heads() {
  const TableNames& t = options_.tables;
  if (!tables_ready_ && !table_exists(t.version_table)) return {};
  std::vector<std::string> out;
  for (const auto& row : conn_.query(dialect_.select_heads_sql(t)))
    out.emplace_back(row[0].c_str());
  return out;
}

std::vector<HistoryEntry> PostgresDatabase::history() {
  const TableNames& t = options_.tables;
  if (!tables_ready_ && !table_exists(t.history_table)) return {};
  std::vector<HistoryEntry> out;
  for (const auto& row : conn_.query(dialect_.select_history_sql(t))) {
    HistoryEntry e;
    e.id = row[0].as<long long>();
    e.revision = row[1].c_str();
    e.direction = row[2].c_str();
    e.checksum = row[3].c_str();
    e.started_at = row[4].c_str();
    if (!row[5].is_null()) e.duration_ms = row[5].as<double>();
    e.applied_by = row[6].c_str();
    e.status = row[7].c_str();
    out.push_back(std::move(e));
  }
  return out;
}

void PostgresDatabase::drop_new_tables() noexcept {
  try {
    const TableNames& t = options_.tables;
    conn_.rollback_quietly();
    conn_.exec(fmt::format("DROP TABLE IF EXISTS {}, {}", dialect_.qualified(t, t.version_table),
                           dialect_.qualified(t, t.history_table)));
  } catch (...) {
  }
  tables_ready_ = false;
}

}  // namespace migrate::db::postgres
