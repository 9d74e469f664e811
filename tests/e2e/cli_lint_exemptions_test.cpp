// The upgrade gate lets through the two full-table statements that are not
// mistakes (tests/unit/lint_exemptions_test.cpp has the rules' side): DML
// on a table that a pending revision of the same run creates, and the
// full-table UPDATE of a `phase: backfill` revision; the same statements
// on a table that existed before the run are still refused.
#include <catch2/catch.hpp>

#include "e2e/project_fixture.h"
#include "support/matchers.h"

using Catch::Contains;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

TEST_CASE("gate: DML on a table created by an earlier revision of the run passes",
          "[e2e][sqlite][lint]") {
  e2e::Project p;
  p.add({"a1", {}, "CREATE TABLE seeds (id INTEGER PRIMARY KEY, n INTEGER);", "DROP TABLE seeds;"});
  p.add({"a2",
         {"a1"},
         "INSERT INTO seeds VALUES (1, 5), (2, 7);\nUPDATE seeds SET n = 0;\nDELETE FROM seeds;\n"
         "INSERT INTO seeds VALUES (3, 1);",
         ""});
  // `migrate lint` without a database cannot know where a1 was applied
  // already (a production database has seeds full of rows): it reports.
  auto lint = p.run({"lint"});
  CHECK_THAT(lint, ExitedWith(1));
  CHECK_THAT(lint.out, Contains("2 errors"));
  // The gate plans from this database, where a1 runs in the same upgrade.
  auto up = p.run({"upgrade", "heads"});
  REQUIRE_THAT(up, ExitedWith(0));
  CHECK(up.err.empty());
  CHECK(p.rows("SELECT id, n FROM seeds") == V{"3|1"});

  // Once applied, seeds is an existing table: the same DELETE is refused.
  p.add({"a3", {"a2"}, "DELETE FROM seeds;", ""});
  auto r = p.run({"upgrade", "heads"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("DELETE without WHERE removes every row of seeds"));
  CHECK(p.version() == V{"a2"});
}

TEST_CASE("gate: the full-table UPDATE of a backfill revision passes", "[e2e][sqlite][lint]") {
  e2e::Project p;
  p.add({"a1",
         {},
         "CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT);\nINSERT INTO t VALUES (1, 'a');",
         "DROP TABLE t;"});
  REQUIRE_THAT(p.run({"upgrade", "a1"}), ExitedWith(0));
  p.add({"e", {"a1"}, "ALTER TABLE t ADD COLUMN y TEXT;", "", {}, {}, "phase: expand"});
  p.add({"b", {"e"}, "UPDATE t SET y = x;", "", {}, {}, "phase: backfill"});
  // The same UPDATE without the phase: refused.
  p.add({"c", {"b"}, "UPDATE t SET x = y;", ""});
  auto lint = p.run({"lint"});
  CHECK_THAT(lint, ExitedWith(1));
  CHECK_THAT(lint.out, Contains(p.rev_path("c") + ":9:1: error[update-without-where]"));
  CHECK_THAT(lint.out, !Contains(p.rev_path("b") + ":"));
  auto r = p.run({"upgrade", "heads"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("the linter found 1 error"));
  REQUIRE_THAT(p.run({"upgrade", "b"}), ExitedWith(0));
  CHECK(p.rows("SELECT y FROM t") == V{"a"});
}
