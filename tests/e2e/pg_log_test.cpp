// `migrate log` on PostgreSQL: the history table read back, newest first,
// with a failed step among the rows (a non-transactional one: a failed
// transactional step rolls back whole, its history row with it).
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
