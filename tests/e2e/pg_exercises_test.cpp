// docs/exercises/ 01 to 03 (PostgreSQL), run as their pages say
// (e2e/exercise_pages.h): the reference solution, through every step of the
// page, passes the exercise's check script; the one-step change the page
// shows under "Background" fails it, so the check is proven to catch it.
#include "e2e/exercise_pages.h"

using Catch::Matchers::Contains;
using e2e::Exercise;
using e2e::ExercisePage;
using testsupport::ExitedWith;

namespace {

// The reference plan, then the page's steps in order; the check passes.
void solve(const std::string& nn, const std::string& page_file, const std::string& solution,
           const std::vector<std::string>& steps, const std::string& check) {
  ExercisePage page(page_file);
  Exercise ex(nn);
  ex.copy_in("solutions/" + solution + "/plan.yaml", "plan.yaml");
  for (const auto& step : steps) {
    auto r = ex.run(page, step);
    INFO("block " << step << ":\n" << r.out);
    REQUIRE_THAT(r, ExitedWith(0));
  }
  auto r = ex.check(check);
  INFO(r.out);
  CHECK_THAT(r, ExitedWith(0));
  CHECK_THAT(r.out, Contains("PASS: "));
}

// The page's one-step change fails the check, with `why` among its problems.
void naive(const std::string& nn, const std::string& page_file, const std::string& check,
           const std::string& why) {
  ExercisePage page(page_file);
  Exercise ex(nn);
  ex.run(page, "naive", /*stop_on_error=*/false);
  auto r = ex.check(check);
  INFO(r.out);
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.out, Contains("FAIL: "));
  CHECK_THAT(r.out, Contains(why));
}

}  // namespace

TEST_CASE("exercise 01: rename a column under live traffic", "[e2e][postgres][exercises]") {
  SECTION("the reference solution passes") {
    solve("01", "01-rename-column.md", "01-rename-column",
          {"revision", "expand", "window", "contract", "check"}, "01-rename-column.sh");
  }
  SECTION("the one-step RENAME fails") {
    naive("01", "01-rename-column.md", "01-rename-column.sh",
          "app v1 failed: ERROR:  column \"display_name\"");
  }
}

TEST_CASE("exercise 02: change transfers.amount to a decimal type", "[e2e][postgres][exercises]") {
  SECTION("the reference solution passes") {
    solve("02", "02-change-type.md", "02-change-type",
          {"revision", "expand", "window", "contract", "check"}, "02-change-type.sh");
  }
  SECTION("the one-step ALTER ... TYPE fails: v1's cents are read as units") {
    naive("02", "02-change-type.md", "02-change-type.sh", "(written by v1): expected ");
  }
}

TEST_CASE("exercise 03: make a column NOT NULL", "[e2e][postgres][exercises]") {
  SECTION("the reference solution passes") {
    solve("03", "03-set-not-null.md", "03-set-not-null",
          {"revision", "expand", "contract", "check"}, "03-set-not-null.sh");
  }
  SECTION("UPDATE then SET NOT NULL in one step fails") {
    naive("03", "03-set-not-null.md", "03-set-not-null.sh", "FAIL: ");
  }
}

TEST_CASE("exercise 04 on PostgreSQL: the dry run, the fix, the check",
          "[e2e][postgres][exercises]") {
  ExercisePage page("04-delete-without-where.md");
  SECTION("the page's PostgreSQL steps pass") {
    Exercise ex("04pg");
    CHECK_THAT(ex.run(page, "pg-dry-run"), ExitedWith(0));
    CHECK_THAT(ex.run(page, "pg-fix"), ExitedWith(0));
  }
  SECTION("the unguarded DELETE, with the gate off, fails the check") {
    Exercise ex("04pg");
    ex.copy_in("solutions/04-delete-without-where/unguarded.sql",
               "migrations/versions/purge_expired_sessions.sql");
    testsupport::write_file(
        ex.dir() + "/migrate.yaml",
        testsupport::read_file(ex.dir() + "/migrate.yaml") + "lint_on_upgrade: off\n");
    auto up = ex.run_command("migrate upgrade heads");
    REQUIRE_THAT(up, ExitedWith(0));
    auto r = ex.check("04-delete-without-where.sh");
    CHECK_THAT(r, ExitedWith(1));
    CHECK_THAT(r.out, Contains("45000 of the 45000 sessions that had not expired are gone"));
    CHECK_THAT(r.out, Contains("has no row guard"));
  }
}
