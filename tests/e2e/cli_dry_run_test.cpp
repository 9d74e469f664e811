// End to end on SQLite files: `upgrade --dry-run` / `downgrade --dry-run`.
// Each step runs in its own transaction and rolls back: rows per statement
// are printed, nothing persists (not the schema, not the version or
// history table, not even the database file), non-transactional steps are
// skipped, and a failing statement or row guard makes the exit code 1.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "e2e/project_fixture.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

void add_revisions(const e2e::Project& p) {
  p.add({"a1",
         {},
         "CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER);\n"
         "INSERT INTO sessions (user_id) VALUES (1), (2), (3), (4), (5);",
         "DROP TABLE sessions;"});
  p.add({"b2",
         {"a1"},
         "DELETE FROM sessions WHERE user_id > 3;\nUPDATE sessions SET user_id = 0;",
         "INSERT INTO sessions (user_id) VALUES (4), (5);"});
  p.add({"c3",
         {"b2"},
         "CREATE TABLE late (id INTEGER);",
         "DROP TABLE late;",
         {},
         {},
         "transactional: false"});
}

}  // namespace

TEST_CASE("sqlite dry run: rows per statement, nothing persists", "[e2e][dry_run]") {
  e2e::Project p;
  add_revisions(p);
  // No database yet: the plan runs on an empty one in memory; no file appears.
  auto fresh = p.run({"upgrade", "a1", "--dry-run"});
  REQUIRE_THAT(fresh, ExitedWith(0));
  CHECK_THAT(fresh.out, Contains("Running upgrade <base> -> a1, rev a1  [dry run]"));
  CHECK_THAT(fresh.out, Contains("line 10: INSERT INTO sessions (user_id) VALUES (1), (2), (3), "
                                 "(4), (5);\n    5 rows"));
  CHECK_FALSE(std::filesystem::exists(p.db()));

  REQUIRE_THAT(p.run({"upgrade", "a1"}), ExitedWith(0));
  auto r = p.run({"upgrade", "head", "--dry-run"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.out, Contains("Running upgrade a1 -> b2, rev b2  [dry run]"));
  CHECK_THAT(r.out, Contains("line 9: DELETE FROM sessions WHERE user_id > 3;\n    2 rows"));
  CHECK_THAT(r.out, Contains("line 10: UPDATE sessions SET user_id = 0;\n    3 rows"));
  CHECK_THAT(r.out, Contains("Skipped upgrade b2 -> c3, rev c3 (transactional: false"));
  CHECK_THAT(r.out, Contains("Dry run: 1 step ran and was rolled back, 1 skipped"));
  CHECK_THAT(r.out, Contains("nothing was committed"));
  CHECK(p.version() == V{"a1"});
  CHECK(p.rows("SELECT count(*) FROM sessions WHERE user_id = 0") == V{"0"});
  CHECK(p.rows("SELECT count(*) FROM sessions") == V{"5"});
  CHECK(p.rows("SELECT count(*) FROM migrate_history") == V{"1"});

  // --json: the same facts.
  auto j = p.run({"upgrade", "head", "--dry-run", "--json"});
  REQUIRE_THAT(j, ExitedWith(0));
  auto doc = nlohmann::json::parse(j.out);
  CHECK(doc["dry_run"] == true);
  CHECK(doc["committed"] == false);
  REQUIRE(doc["steps"].size() == 2);
  CHECK(doc["steps"][0]["revision"] == "b2");
  CHECK(doc["steps"][0]["statements"][0]["rows"] == 2);
  CHECK(doc["steps"][0]["statements"][0]["line"] == 9);
  CHECK(doc["steps"][0]["statements"][1]["rows"] == 3);
  CHECK(doc["steps"][1]["skipped"] == true);
  CHECK(doc["failed_steps"] == 0);

  // Downgrade too. (b2's full-table UPDATE is what this test dry-runs; the
  // upgrade gate would refuse to apply it for real.)
  testsupport::write_file(p.path("migrate.yaml"), testsupport::read_file(p.path("migrate.yaml")) +
                                                      "lint_on_upgrade: warn\n");
  REQUIRE_THAT(p.run({"upgrade", "b2"}), ExitedWith(0));
  auto down = p.run({"downgrade", "a1", "--dry-run"});
  REQUIRE_THAT(down, ExitedWith(0));
  CHECK_THAT(down.out, Contains("Running downgrade b2 -> a1, rev b2  [dry run]"));
  CHECK_THAT(down.out, Contains("2 rows"));
  CHECK(p.version() == V{"b2"});
  CHECK(p.rows("SELECT count(*) FROM sessions") == V{"3"});

  // Usage: --json needs --dry-run; --dry-run and --sql exclude each other.
  CHECK_THAT(p.run({"upgrade", "head", "--json"}), ExitedWith(2));
  CHECK_THAT(p.run({"upgrade", "head", "--dry-run", "--sql"}), ExitedWith(2));
}

TEST_CASE("sqlite dry run: a row guard or a failing statement fails the dry run",
          "[e2e][dry_run]") {
  e2e::Project p;
  add_revisions(p);
  p.add({"b2",
         {"a1"},
         "-- migrate:expect-rows <= 1\nDELETE FROM sessions WHERE user_id > 3;",
         "",
         {},
         {},
         ""});
  p.add({"c3", {"b2"}, "INSERT INTO nowhere VALUES (1);", ""});
  REQUIRE_THAT(p.run({"upgrade", "a1"}), ExitedWith(0));
  auto r = p.run({"upgrade", "head", "--dry-run"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.out, Contains("failed: "));
  CHECK_THAT(r.out, Contains("b2_rev.sql:10: step b2 (upgrade): row guard violated: expect-rows "
                             "<= 1 (line 9), but the statement affected 2 rows"));
  // The next step still ran (on the database as it is) and failed on its own.
  CHECK_THAT(r.out, Contains("c3_rev.sql:9: step c3 (upgrade) failed: no such table: nowhere"));
  CHECK_THAT(r.err, Contains("dry run: 2 steps failed (nothing was committed)"));
  CHECK(p.version() == V{"a1"});
  CHECK(p.rows("SELECT count(*) FROM sessions") == V{"5"});
}
