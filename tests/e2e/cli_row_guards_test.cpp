// End to end on SQLite files: row guards. A violated guard rolls its step
// back whole (no table, row, version or history change of it remains),
// exits 1 and names file:line, the bound and the count; a guard within its
// bound commits. Every form of the directive, and the header's bound.
#include "e2e/project_fixture.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

// a1 makes sessions with 5 rows; b2 runs `upgrade` under `header`.
void setup(const e2e::Project& p, const std::string& upgrade, const std::string& header = "") {
  p.add({"a1",
         {},
         "CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER);\n"
         "INSERT INTO sessions (user_id) VALUES (1), (2), (3), (4), (5);",
         "DROP TABLE sessions;"});
  p.add({"b2", {"a1"}, upgrade, "", {}, {}, header});
}

}  // namespace

TEST_CASE("sqlite row guard: each form of expect-rows fires or commits", "[e2e][guards]") {
  struct Case {
    std::string bound;
    bool fires;
  };
  // The guarded DELETE removes 3 rows.
  const std::vector<Case> cases = {{"3", false},    {"2", true},     {"<= 3", false},
                                   {"<= 2", true},  {">= 3", false}, {">= 4", true},
                                   {"1..3", false}, {"4..9", true},  {"any", false}};
  for (const auto& c : cases) {
    DYNAMIC_SECTION("expect-rows " << c.bound) {
      e2e::Project p;
      setup(p,
            "CREATE TABLE audit (n INTEGER);\n"
            "INSERT INTO audit VALUES (1);\n"
            "-- migrate:expect-rows " +
                c.bound + "\nDELETE FROM sessions WHERE user_id > 2;");
      REQUIRE_THAT(p.run({"upgrade", "a1"}), ExitedWith(0));
      auto r = p.run({"upgrade", "head"});
      if (c.fires) {
        CHECK_THAT(r, ExitedWith(1));
        // The file line of the DELETE (header 6 lines, blank, marker, 2 statements, directive).
        CHECK_THAT(r.err, Contains("b2_rev.sql:12: step b2 (upgrade): row guard violated: "
                                   "expect-rows " +
                                   c.bound + " (line 11), but the statement affected 3 rows"));
        CHECK_THAT(r.err, Contains("in: DELETE FROM sessions WHERE user_id > 2"));
        CHECK_THAT(r.err, Contains("rolled back"));
        CHECK(p.version() == V{"a1"});
        CHECK(p.rows("SELECT count(*) FROM sessions") == V{"5"});
        CHECK(p.rows("SELECT count(*) FROM sqlite_master WHERE name = 'audit'") == V{"0"});
        CHECK(p.rows("SELECT count(*) FROM migrate_history WHERE revision = 'b2'") == V{"0"});
      } else {
        REQUIRE_THAT(r, ExitedWith(0));
        CHECK(p.version() == V{"b2"});
        CHECK(p.rows("SELECT count(*) FROM sessions") == V{"2"});
        CHECK(p.rows("SELECT status FROM migrate_history WHERE revision = 'b2'") == V{"ok"});
      }
    }
  }
}

TEST_CASE("sqlite row guard: max_rows_affected bounds every statement that changes rows",
          "[e2e][guards]") {
  e2e::Project p;
  // 5 inserted, then 1 updated: the 5 are over the bound of 4.
  setup(p,
        "CREATE TABLE copy (id INTEGER);\n"
        "INSERT INTO copy SELECT id FROM sessions;\n"
        "UPDATE sessions SET user_id = 0 WHERE id = 1;",
        "max_rows_affected: 4");
  auto r = p.run({"upgrade", "head"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("b2_rev.sql:11: step b2 (upgrade): row guard violated: "
                             "max_rows_affected: 4 (header), but the statement affected 5 rows"));
  // a1 committed before b2 ran; nothing of b2 remains.
  CHECK(p.version() == V{"a1"});
  CHECK(p.rows("SELECT count(*) FROM sqlite_master WHERE name = 'copy'") == V{"0"});
  CHECK(p.rows("SELECT count(*) FROM sessions WHERE user_id = 0") == V{"0"});

  // Within the bound (SELECTs and DDL do not count, whatever they read).
  e2e::Project q;
  setup(q,
        "CREATE TABLE copy AS SELECT * FROM sessions;\n"
        "SELECT * FROM sessions;\n"
        "UPDATE sessions SET user_id = 0 WHERE id <= 4;",
        "max_rows_affected: 4");
  REQUIRE_THAT(q.run({"upgrade", "head"}), ExitedWith(0));
  CHECK(q.version() == V{"b2"});
  CHECK(q.rows("SELECT count(*) FROM sessions WHERE user_id = 0") == V{"4"});
}

TEST_CASE("sqlite row guard: the DELETE without WHERE is stopped", "[e2e][guards]") {
  e2e::Project p;
  setup(p, "-- migrate:expect-rows <= 1\nDELETE FROM sessions;");
  // sessions exists with its rows before the run (in a run that also creates
  // it, the DELETE could only remove that run's rows, and the gate allows it).
  REQUIRE_THAT(p.run({"upgrade", "a1"}), ExitedWith(0));
  // First defence: the upgrade gate's linter refuses it before anything runs.
  auto gated = p.run({"upgrade", "head"});
  CHECK_THAT(gated, ExitedWith(1));
  CHECK_THAT(gated.err, Contains("[delete-without-where]"));
  CHECK(p.version() == V{"a1"});  // b2 did not run
  CHECK(p.rows("SELECT count(*) FROM sessions") == V{"5"});
  // With the gate off, the guard is the last defence: it rolls the step back.
  testsupport::write_file(p.path("migrate.yaml"), testsupport::read_file(p.path("migrate.yaml")) +
                                                      "lint_on_upgrade: off\n");
  auto r = p.run({"upgrade", "head"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("expect-rows <= 1 (line 9), but the statement affected 5 rows"));
  CHECK(p.rows("SELECT count(*) FROM sessions") == V{"5"});
  CHECK(p.version() == V{"a1"});
}

TEST_CASE("sqlite row guard: refused on a non-transactional step, errors name file:line",
          "[e2e][guards]") {
  e2e::Project p;
  setup(p, "-- migrate:expect-rows 1\nDELETE FROM sessions WHERE id = 1;", "transactional: false");
  auto r = p.run({"upgrade", "head"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("b2_rev.sql:10: revision b2 (upgrade) has a row guard (-- "
                             "migrate:expect-rows 1) but is declared `transactional: false`"));
  // Refused before anything ran: not even a1.
  CHECK(p.version().empty());

  e2e::Project q;
  setup(q, "-- migrate:expect-rows lots\nDELETE FROM sessions WHERE id = 1;");
  r = q.run({"upgrade", "head"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("b2_rev.sql:9: bad row bound 'lots'"));
  CHECK(q.version().empty());

  e2e::Project s;
  setup(s, "SELECT 1; -- migrate:expect-rows 1\n-- migrate:expect-rows 1\n");
  r = s.run({"upgrade", "head"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("b2_rev.sql:10: `-- migrate:expect-rows` is not followed by a "
                             "statement"));
}

TEST_CASE("sqlite row guard offline: the --sql script stops under sqlite3 -bail", "[e2e][guards]") {
  e2e::Project p;
  setup(p,
        "CREATE TABLE audit (n INTEGER);\n"
        "CREATE TABLE copy AS SELECT * FROM sessions;\n"
        "-- migrate:expect-rows <= 2\nDELETE FROM sessions WHERE user_id > 2;",
        "max_rows_affected: 5");
  auto script = p.run({"upgrade", "head", "--sql"});
  REQUIRE_THAT(script, ExitedWith(0));
  testsupport::write_file(p.path("up.sql"), script.out);
  auto applied =
      testsupport::run_program(p.dir.path(), {"sh", "-c", "sqlite3 -bail app.db < up.sql"});
  CHECK_THAT(applied, ExitedWith(1));
  CHECK_THAT(applied.err, Contains("b2_rev.sql:13: step b2 (upgrade): row guard violated: "
                                   "expect-rows <= 2 (line 12), but the statement affected 3 "
                                   "rows"));
  // a1 committed; b2's transaction died with the shell.
  CHECK(p.version() == V{"a1"});
  CHECK(p.rows("SELECT count(*) FROM sessions") == V{"5"});
  CHECK(p.rows("SELECT count(*) FROM sqlite_master WHERE name IN ('audit', 'copy')") == V{"0"});
  CHECK(p.rows("SELECT count(*) FROM migrate_history WHERE revision = 'b2'") == V{"0"});

  // Within its bounds (CREATE TABLE AS copies 5 rows but changes none), the
  // same script form commits.
  e2e::Project q;
  setup(q,
        "CREATE TABLE copy AS SELECT * FROM sessions;\n"
        "-- migrate:expect-rows 3\nDELETE FROM sessions WHERE user_id > 2;\n"
        "UPDATE sessions SET user_id = 9 WHERE id = 1;",
        "max_rows_affected: 1");
  script = q.run({"upgrade", "head", "--sql"});
  REQUIRE_THAT(script, ExitedWith(0));
  testsupport::write_file(q.path("up.sql"), script.out);
  REQUIRE_THAT(
      testsupport::run_program(q.dir.path(), {"sh", "-c", "sqlite3 -bail app.db < up.sql"}),
      ExitedWith(0));
  CHECK(q.version() == V{"b2"});
  CHECK(q.rows("SELECT count(*) FROM sessions") == V{"2"});
  CHECK(q.rows("SELECT user_id FROM sessions WHERE id = 1") == V{"9"});

  // The header's bound fires offline too.
  e2e::Project s;
  setup(s, "UPDATE sessions SET user_id = 0;", "max_rows_affected: 4");
  script = s.run({"upgrade", "head", "--sql"});
  REQUIRE_THAT(script, ExitedWith(0));
  testsupport::write_file(s.path("up.sql"), script.out);
  applied = testsupport::run_program(s.dir.path(), {"sh", "-c", "sqlite3 -bail app.db < up.sql"});
  CHECK_THAT(applied, ExitedWith(1));
  CHECK_THAT(applied.err, Contains("max_rows_affected: 4 (header), but the statement affected 5 "
                                   "rows"));
  CHECK(s.rows("SELECT count(*) FROM sessions WHERE user_id = 0") == V{"0"});

  // A guard on a non-transactional step is refused offline as well.
  e2e::Project t;
  setup(t, "DELETE FROM sessions WHERE id = 1;", "transactional: false\n-- max_rows_affected: 1");
  auto refused = t.run({"upgrade", "head", "--sql"});
  CHECK_THAT(refused, ExitedWith(1));
  CHECK_THAT(refused.err, Contains("has a row guard (max_rows_affected: 1)"));
  CHECK(refused.out.empty());
}
