// End to end on PostgreSQL: row guards. A guarded step ends its message
// without COMMIT, its command tuples are checked, then it commits or rolls
// back whole; unguarded steps before it in the same message stay committed.
#include "e2e/pg_fixture.h"
#include "support/matchers.h"

namespace {

using Catch::Matchers::Contains;
using e2e::TempPgDatabase;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

testsupport::RunResult run(const e2e::Project& p, const TempPgDatabase& db,
                           std::vector<std::string> args) {
  return e2e::run_pg(p, db, std::move(args));
}

// a1 makes sessions with 5 rows; b2 runs `upgrade` under `header`.
void setup(const e2e::Project& p, const std::string& upgrade, const std::string& header = "") {
  p.add({"a1",
         {},
         "CREATE TABLE sessions (id serial PRIMARY KEY, user_id integer);\n"
         "INSERT INTO sessions (user_id) SELECT g FROM generate_series(1, 5) g;",
         "DROP TABLE sessions;"});
  p.add({"b2", {"a1"}, upgrade, "", {}, {}, header});
}

}  // namespace

TEST_CASE("pg row guard: each form of expect-rows fires or commits", "[e2e][postgres][guards]") {
  struct Case {
    std::string bound;
    bool fires;
  };
  const std::vector<Case> cases = {{"3", false},    {"2", true},     {"<= 3", false},
                                   {"<= 2", true},  {">= 3", false}, {">= 4", true},
                                   {"1..3", false}, {"4..9", true},  {"any", false}};
  for (const auto& c : cases) {
    DYNAMIC_SECTION("expect-rows " << c.bound) {
      TempPgDatabase db;
      e2e::Project p;
      setup(p,
            "CREATE TABLE audit (n integer);\n"
            "INSERT INTO audit VALUES (1);\n"
            "-- migrate:expect-rows " +
                c.bound + "\nDELETE FROM sessions WHERE user_id > 2;");
      // One run: a1 and b2 go in one message, a1 committed before b2.
      auto r = run(p, db, {"upgrade", "head"});
      if (c.fires) {
        CHECK_THAT(r, ExitedWith(1));
        CHECK_THAT(r.err, Contains("b2_rev.sql:12: step b2 (upgrade): row guard violated: "
                                   "expect-rows " +
                                   c.bound + " (line 11), but the statement affected 3 rows"));
        CHECK_THAT(r.err, Contains("in: DELETE FROM sessions WHERE user_id > 2"));
        CHECK_THAT(r.err, Contains("rolled back"));
        CHECK_THAT(r.out, Contains("Running upgrade <base> -> a1"));
        CHECK(db.version() == V{"a1"});
        CHECK(db.rows("SELECT count(*) FROM sessions") == V{"5"});
        CHECK(db.rows("SELECT to_regclass('audit') IS NULL") == V{"t"});
        CHECK(db.history_count("revision = 'b2'") == 0);
      } else {
        REQUIRE_THAT(r, ExitedWith(0));
        CHECK(db.version() == V{"b2"});
        CHECK(db.rows("SELECT count(*) FROM sessions") == V{"2"});
        CHECK(db.rows("SELECT status FROM migrate_history WHERE revision = 'b2'") == V{"ok"});
      }
    }
  }
}

TEST_CASE("pg row guard: max_rows_affected, SELECTs not counted, steps after the guarded one",
          "[e2e][postgres][guards]") {
  TempPgDatabase db;
  e2e::Project p;
  setup(p,
        "CREATE TABLE copy AS SELECT * FROM sessions;\n"
        "SELECT * FROM sessions;\n"
        "UPDATE sessions SET user_id = 0 WHERE id <= 4;",
        "max_rows_affected: 4");
  p.add({"c3",
         {"b2"},
         "INSERT INTO sessions (user_id) SELECT 7 FROM generate_series(1, 5);",
         "",
         {},
         {},
         "max_rows_affected: 4"});
  p.add({"d4", {"c3"}, "CREATE TABLE after_c3 (id int);", ""});
  auto r = run(p, db, {"upgrade", "head"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("c3_rev.sql:10: step c3 (upgrade): row guard violated: "
                             "max_rows_affected: 4 (header), but the statement affected 5 rows"));
  // b2 (guarded, within its bound) committed; c3 rolled back; d4 never ran.
  CHECK(db.version() == V{"b2"});
  CHECK(db.rows("SELECT count(*) FROM sessions WHERE user_id = 0") == V{"4"});
  CHECK(db.rows("SELECT count(*) FROM sessions") == V{"5"});
  CHECK(db.rows("SELECT to_regclass('after_c3') IS NULL") == V{"t"});
  CHECK(db.history_count("revision IN ('c3', 'd4')") == 0);

  // Raised bound: c3 and the unguarded d4 after it run.
  p.add({"c3",
         {"b2"},
         "INSERT INTO sessions (user_id) SELECT 7 FROM generate_series(1, 5);",
         "",
         {},
         {},
         "max_rows_affected: 5"});
  REQUIRE_THAT(run(p, db, {"upgrade", "head"}), ExitedWith(0));
  CHECK(db.version() == V{"d4"});
  CHECK(db.rows("SELECT count(*) FROM sessions") == V{"10"});
}

TEST_CASE("pg row guard: TRUNCATE under a guard counts its rows first", "[e2e][postgres][guards]") {
  TempPgDatabase db;
  e2e::Project p;
  setup(p, "-- migrate:expect-rows <= 1\nTRUNCATE sessions;");
  REQUIRE_THAT(run(p, db, {"upgrade", "a1"}), ExitedWith(0));
  auto r = run(p, db, {"upgrade", "head"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("b2_rev.sql:10: step b2 (upgrade): row guard violated: expect-rows "
                             "<= 1 (line 9), but the statement affected 5 rows"));
  CHECK_THAT(r.err, Contains("in: TRUNCATE sessions"));
  CHECK(db.rows("SELECT count(*) FROM sessions") == V{"5"});
  CHECK(db.version() == V{"a1"});

  // Within the bound, with the header's bound on the other statements.
  p.add({"b2",
         {"a1"},
         "DELETE FROM sessions WHERE id = 1;\n-- migrate:expect-rows 4\nTRUNCATE sessions;",
         "",
         {},
         {},
         "max_rows_affected: 1"});
  REQUIRE_THAT(run(p, db, {"upgrade", "head"}), ExitedWith(0));
  CHECK(db.rows("SELECT count(*) FROM sessions") == V{"0"});
  CHECK(db.version() == V{"b2"});
}

TEST_CASE(
    "pg row guard: refused on a non-transactional step; a failing statement still names "
    "its line",
    "[e2e][postgres][guards]") {
  TempPgDatabase db;
  e2e::Project p;
  setup(p, "DELETE FROM sessions WHERE id = 1;", "transactional: false\n-- max_rows_affected: 1");
  auto r = run(p, db, {"upgrade", "head"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("revision b2 (upgrade) has a row guard (max_rows_affected: 1) but "
                             "is declared `transactional: false`"));
  CHECK(db.rows("SELECT to_regclass('sessions') IS NULL") == V{"t"});

  // The statement mapping survives the TRUNCATE count inserted before it.
  TempPgDatabase db2;
  e2e::Project q;
  // (The DELETE has a WHERE, or the upgrade gate would refuse it first.)
  setup(q, "-- migrate:expect-rows any\nTRUNCATE sessions;\nDELETE FROM nowhere WHERE id = 1;",
        "max_rows_affected: 10");
  r = run(q, db2, {"upgrade", "head"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("b2_rev.sql:12: step b2 (upgrade) failed: relation \"nowhere\" does "
                             "not exist"));
  CHECK(db2.rows("SELECT count(*) FROM sessions") == V{"5"});
}

TEST_CASE("pg row guard offline: the --sql script stops under psql -v ON_ERROR_STOP=1",
          "[e2e][postgres][guards]") {
  TempPgDatabase db;
  e2e::Project p;
  setup(p,
        "CREATE TABLE audit (n integer);\n"
        "SELECT * FROM sessions;\n"
        "-- migrate:expect-rows <= 2\nDELETE FROM sessions WHERE user_id > 2;",
        "max_rows_affected: 3");
  auto script = run(p, db, {"upgrade", "head", "--sql"});
  REQUIRE_THAT(script, ExitedWith(0));
  CHECK_THAT(script.out, Contains("GET DIAGNOSTICS n = ROW_COUNT"));
  testsupport::write_file(p.path("up.sql"), script.out);
  auto applied = testsupport::run_program(
      p.dir.path(), {"psql", db.url(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "up.sql"});
  CHECK_THAT(applied, ExitedWith(3));
  CHECK_THAT(applied.err, Contains("migrate: "));
  CHECK_THAT(applied.err, Contains("b2_rev.sql:13: step b2 (upgrade): row guard violated: "
                                   "expect-rows <= 2 (line 12), but the statement affected 3 "
                                   "rows"));
  CHECK(db.version() == V{"a1"});
  CHECK(db.rows("SELECT count(*) FROM sessions") == V{"5"});
  CHECK(db.rows("SELECT to_regclass('audit') IS NULL") == V{"t"});
  CHECK(db.history_count("revision = 'b2'") == 0);

  // TRUNCATE's rows are counted first offline too; within bounds it commits.
  TempPgDatabase db2;
  e2e::Project q;
  setup(q,
        "UPDATE sessions SET user_id = 0 WHERE id = 1;\n"
        "-- migrate:expect-rows 5\nTRUNCATE sessions;",
        "max_rows_affected: 1");
  script = run(q, db2, {"upgrade", "head", "--sql"});
  REQUIRE_THAT(script, ExitedWith(0));
  testsupport::write_file(q.path("up.sql"), script.out);
  REQUIRE_THAT(testsupport::run_program(q.dir.path(), {"psql", db2.url(), "-X", "-q", "-v",
                                                       "ON_ERROR_STOP=1", "-f", "up.sql"}),
               ExitedWith(0));
  CHECK(db2.version() == V{"b2"});
  CHECK(db2.rows("SELECT count(*) FROM sessions") == V{"0"});

  TempPgDatabase db3;
  e2e::Project s;
  setup(s, "-- migrate:expect-rows 0\nTRUNCATE sessions;");
  script = run(s, db3, {"upgrade", "head", "--sql"});
  REQUIRE_THAT(script, ExitedWith(0));
  testsupport::write_file(s.path("up.sql"), script.out);
  applied = testsupport::run_program(
      s.dir.path(), {"psql", db3.url(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "up.sql"});
  CHECK_THAT(applied, ExitedWith(3));
  CHECK_THAT(applied.err, Contains("expect-rows 0 (line 9), but the statement affected 5 rows"));
  CHECK(db3.rows("SELECT count(*) FROM sessions") == V{"5"});
  CHECK(db3.version() == V{"a1"});
}
