// docs/exercises/04-delete-without-where.md (SQLite), run as the page says
// (e2e/exercise_pages.h): the forgotten WHERE is reported by the linter,
// refused by the gate, shown by the dry run and stopped by the row guard;
// the fix passes the check script. The unguarded DELETE applied with the
// gate off, and a fix without a guard, fail it.
#include "e2e/exercise_pages.h"

using Catch::Matchers::Contains;
using e2e::Exercise;
using e2e::ExercisePage;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

std::string sessions(const Exercise& ex) {
  return testsupport::sqlite_rows(ex.dir() + "/app.db", "SELECT count(*) FROM user_sessions")[0];
}

}  // namespace

TEST_CASE("exercise 04: the DELETE without WHERE", "[e2e][sqlite][exercises]") {
  ExercisePage page("04-delete-without-where.md");
  SECTION("the page's steps: lint, gate, dry run, guard, fix; the check passes") {
    Exercise ex("04");
    CHECK_THAT(ex.run(page, "story"), ExitedWith(0));
    CHECK_THAT(ex.run(page, "lint", false), ExitedWith(1));
    CHECK_THAT(ex.run(page, "gate"), ExitedWith(0));  // `|| echo`: the block goes on
    CHECK_THAT(ex.run(page, "dry-run"), ExitedWith(0));
    CHECK(sessions(ex) == "50000");
    CHECK_THAT(ex.run(page, "guard"), ExitedWith(0));
    CHECK(sessions(ex) == "50000");
    // The page's fix is the reference solution.
    CHECK_THAT(page.block("run", "fix"),
               Contains(testsupport::read_file(
                   e2e::exercises_dir() +
                   "/solutions/04-delete-without-where/purge_expired_sessions.sql")));
    CHECK_THAT(ex.run(page, "fix"), ExitedWith(0));
    CHECK(sessions(ex) == "45000");
    auto r = ex.run(page, "check");
    CHECK_THAT(r, ExitedWith(0));
    CHECK_THAT(ex.check("04-delete-without-where.sh").out, Contains("PASS: "));
  }
  SECTION("the unguarded DELETE, with the gate off, fails the check") {
    Exercise ex("04");
    CHECK_THAT(page.block("run", "story"),
               Contains(testsupport::read_file(
                   e2e::exercises_dir() + "/solutions/04-delete-without-where/unguarded.sql")));
    ex.copy_in("solutions/04-delete-without-where/unguarded.sql",
               "migrations/versions/purge_expired_sessions.sql");
    testsupport::write_file(
        ex.dir() + "/migrate.yaml",
        testsupport::read_file(ex.dir() + "/migrate.yaml") + "lint_on_upgrade: off\n");
    REQUIRE_THAT(testsupport::run_migrate(ex.dir(), {"upgrade", "heads"}), ExitedWith(0));
    CHECK(sessions(ex) == "0");
    auto r = ex.check("04-delete-without-where.sh");
    CHECK_THAT(r, ExitedWith(1));
    CHECK_THAT(r.out, Contains("45000 of the 45000 sessions that had not expired are gone"));
    CHECK_THAT(r.out, Contains("has no row guard"));
    CHECK_THAT(r.out, Contains("delete-without-where"));
    CHECK_THAT(r.out, Contains("still turns the upgrade gate off"));
  }
  SECTION("a WHERE without a guard fails the check") {
    Exercise ex("04");
    std::string fix = testsupport::read_file(
        e2e::exercises_dir() + "/solutions/04-delete-without-where/purge_expired_sessions.sql");
    for (const std::string line :
         {"-- max_rows_affected: 10000\n", "-- migrate:expect-rows <= 10000\n"})
      fix.erase(fix.find(line), line.size());
    testsupport::write_file(ex.dir() + "/migrations/versions/purge_expired_sessions.sql", fix);
    REQUIRE_THAT(testsupport::run_migrate(ex.dir(), {"upgrade", "heads"}), ExitedWith(0));
    CHECK(sessions(ex) == "45000");
    auto r = ex.check("04-delete-without-where.sh");
    CHECK_THAT(r, ExitedWith(1));
    CHECK(r.out ==
          "FAIL: 1 problem(s):\n  - migrations/versions/purge_expired_sessions.sql has no "
          "row guard (max_rows_affected, or expect-rows with a bound)\n");
  }
}
