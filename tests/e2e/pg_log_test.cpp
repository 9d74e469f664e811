// `migrate log` on PostgreSQL: the history table read back, newest first,
// with a failed step among the rows (a non-transactional one: a failed
// transactional step rolls back whole, its history row with it).
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "e2e/pg_fixture.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using e2e::TempPgDatabase;
using testsupport::ExitedWith;

TEST_CASE("pg: log lists every step, a failed one included", "[e2e][postgres][log]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add({"b2", {"a1"}, "SELECT * FROM nope;", "", {}, {}, "transactional: false"});
  CHECK_THAT(e2e::run_pg(p, db, {"upgrade", "heads"}), ExitedWith(1));

  auto r = e2e::run_pg(p, db, {"log", "--json"});
  REQUIRE_THAT(r, ExitedWith(0));
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.size() == 2);
  CHECK(j[0]["revision"] == "b2");
  CHECK(j[0]["status"] == "failed");
  CHECK(j[1]["revision"] == "a1");
  CHECK(j[1]["status"] == "ok");
  CHECK(j[1]["direction"] == "upgrade");
  CHECK(j[1]["checksum"].get<std::string>().size() == 64);

  r = e2e::run_pg(p, db, {"log", "-n", "1"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.out, Contains("b2") && Contains("failed"));
  CHECK_THAT(r.out, !Contains(" a1 "));
}

TEST_CASE(
    "pg: log tells a revision a stamp removed (unstamp) and shows no duration for offline "
    "rows",
    "[e2e][postgres][log][stamp]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"}, {"left"});
  p.add_table_rev("c2", {"a1"}, {"right"});
  const std::string history =
      "SELECT revision || ' ' || direction || ' ' || applied_by FROM migrate_history ORDER BY id";

  // Online: stamp both branches, then base (two removals).
  REQUIRE_THAT(e2e::run_pg(p, db, {"stamp", "b2", "c2"}), ExitedWith(0));
  REQUIRE_THAT(e2e::run_pg(p, db, {"stamp", "base"}), ExitedWith(0));
  auto rows = db.rows(history);
  REQUIRE(rows.size() == 4);
  for (std::size_t i : {2, 3}) CHECK_THAT(rows[i], Contains(" unstamp "));

  // Offline: the same stamp as a script run by psql, then an offline
  // upgrade whose row has no duration.
  REQUIRE_THAT(e2e::run_pg(p, db, {"stamp", "b2", "c2"}), ExitedWith(0));
  auto stamp = e2e::run_pg(p, db, {"stamp", "b2,c2:a1", "--sql"});
  REQUIRE_THAT(stamp, ExitedWith(0));
  auto up = e2e::run_pg(p, db, {"upgrade", "a1:b2", "--sql"});
  REQUIRE_THAT(up, ExitedWith(0));
  testsupport::write_file(p.path("script.sql"), stamp.out + up.out);
  auto psql = testsupport::run_program(
      p.dir.path(), {"psql", db.url(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "script.sql"});
  INFO(psql.err);
  REQUIRE_THAT(psql, ExitedWith(0));
  rows = db.rows(history);
  REQUIRE(rows.size() == 10);
  // b2 -> a1 is an update (b2 removed, a1 stamped), c2 a removal.
  std::vector<std::string> offline(rows.begin() + 6, rows.end() - 1);
  std::sort(offline.begin(), offline.end());
  CHECK(offline ==
        std::vector<std::string>{"a1 stamp offline", "b2 unstamp offline", "c2 unstamp offline"});
  CHECK(rows.back() == "b2 upgrade offline");

  auto r = e2e::run_pg(p, db, {"log", "--json"});
  REQUIRE_THAT(r, ExitedWith(0));
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.size() == 10);
  CHECK(j[0]["direction"] == "upgrade");
  CHECK(j[0]["duration_ms"].is_null());
  CHECK(j[9]["duration_ms"].is_number());  // online
  auto text = e2e::run_pg(p, db, {"log", "-n", "1"});
  REQUIRE_THAT(text, ExitedWith(0));
  CHECK_THAT(text.out, Contains("  upgrade    b2            ok                -  offline  "));
}
