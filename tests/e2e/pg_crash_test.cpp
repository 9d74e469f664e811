// The crash-consistency suite (crash_rounds.h) on PostgreSQL: SIGKILL
// during upgrade, downgrade, stamp and backfill, then the invariants. CI
// runs a few rounds; scripts/crash-suite.sh runs many (MIGRATE_CRASH_ROUNDS).
#include <catch2/catch.hpp>

#include "e2e/crash_rounds.h"
#include "e2e/pg_fixture.h"

using e2e::Project;
using e2e::TempPgDatabase;
using testsupport::ExitedWith;

namespace {

e2e::crash::Backend pg_backend(const TempPgDatabase& db) {
  e2e::crash::Backend b;
  b.global_args = {"--url", db.url()};
  b.rows = [&db](const std::string& sql) { return db.rows(sql); };
  b.tables_sql =
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\\_%' "
      "ORDER BY tablename";
  b.settle = [&db] {
    REQUIRE(e2e::wait_until([&] {
      return db.rows(
                 "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                 "AND pid <> pg_backend_pid()") == std::vector<std::string>{"0"};
    }));
  };
  return b;
}

}  // namespace

TEST_CASE("crash suite pg: SIGKILL in upgrade, downgrade and stamp keeps the invariants",
          "[crash]") {
  TempPgDatabase db;
  Project p;
  e2e::crash::write_graph(p, 20000);
  const auto b = pg_backend(db);
  REQUIRE_THAT(e2e::run_pg(p, db, {"upgrade", "heads"}), ExitedWith(0));
  REQUIRE_THAT(e2e::run_pg(p, db, {"downgrade", "base"}), ExitedWith(0));
  e2e::crash::run_rounds(p, b, e2e::crash::rounds_from_env(6), 150);
}

TEST_CASE("crash suite pg: a backfill SIGKILLed at random moments fills every row once",
          "[crash]") {
  TempPgDatabase db;
  Project p;
  const int n = 3000;
  p.add({"a1",
         {},
         "CREATE TABLE t (id bigint PRIMARY KEY, old int, new int, hits int NOT NULL DEFAULT 0);\n"
         "INSERT INTO t (id, old) SELECT i, i FROM generate_series(1, " +
             std::to_string(n) + ") i;",
         "DROP TABLE t;"});
  e2e::add_backfill_rev(p, "b2", "a1",
                        {"table: public.t", "key: [id]", "set: {new: old * 2, hits: hits + 1}",
                         "batch_rows: 50", "batch_time: 10s", "pause: 5ms"});
  const auto b = pg_backend(db);
  e2e::crash::run_backfill_rounds(p, b, e2e::crash::rounds_from_env(6), n, [&] {
    return db.rows("SELECT count(*), min(hits), max(hits), sum((new = old * 2)::int) FROM t")[0];
  });
}
