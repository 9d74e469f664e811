// The crash-consistency suite (crash_rounds.h) on SQLite: SIGKILL during
// upgrade, downgrade, stamp and backfill, then the invariants. CI runs a
// few rounds; scripts/crash-suite.sh runs many (MIGRATE_CRASH_ROUNDS).
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "e2e/crash_rounds.h"

using e2e::Project;
using testsupport::ExitedWith;

namespace {

// Rows of `sql`, read as the next `migrate` would open the file: read and
// write, so that a killed run's hot journal is rolled back (a read-only
// connection cannot, and fails).
std::vector<std::string> rows(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);
  sqlite3_stmt* st = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
  INFO(sqlite3_errmsg(db));
  std::vector<std::string> out;
  while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      const unsigned char* t = sqlite3_column_text(st, i);
      row += std::string(i ? "|" : "") + (t ? reinterpret_cast<const char*>(t) : "NULL");
    }
    out.push_back(row);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
  return out;
}

e2e::crash::Backend sqlite_backend(const Project& p) {
  e2e::crash::Backend b;
  b.rows = [&p](const std::string& sql) { return rows(p.db(), sql); };
  b.tables_sql =
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't\\_%' ESCAPE '\\' "
      "ORDER BY name";
  return b;
}

}  // namespace

TEST_CASE("crash suite sqlite: SIGKILL in upgrade, downgrade and stamp keeps the invariants",
          "[crash]") {
  Project p;
  e2e::crash::write_graph(p, 20000);
  const auto b = sqlite_backend(p);
  // The version and history tables exist from here on.
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  REQUIRE_THAT(p.run({"downgrade", "base"}), ExitedWith(0));
  e2e::crash::run_rounds(p, b, e2e::crash::rounds_from_env(6), 120);
}

TEST_CASE("crash suite sqlite: a backfill SIGKILLed at random moments fills every row once",
          "[crash]") {
  Project p;
  const int n = 3000;
  p.add({"a1",
         {},
         "CREATE TABLE t (id INTEGER PRIMARY KEY, old INTEGER, new INTEGER, hits INTEGER NOT NULL "
         "DEFAULT 0);\nWITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < " +
             std::to_string(n) + ") INSERT INTO t (id, old) SELECT i, i FROM c;",
         "DROP TABLE t;"});
  e2e::add_backfill_rev(p, "b2", "a1",
                        {"table: t", "key: [id]", "set: {new: old * 2, hits: hits + 1}",
                         "batch_rows: 50", "batch_time: 10s", "pause: 5ms"});
  const auto b = sqlite_backend(p);
  e2e::crash::run_backfill_rounds(p, b, e2e::crash::rounds_from_env(6), n, [&] {
    return rows(p.db(), "SELECT count(*), min(hits), max(hits), sum(new = old * 2) FROM t")[0];
  });
}
