// Walk-through s24, findings 1 and 13, on SQLite: an offline script's
// version-table UPDATE or DELETE that touches no row (the database is not
// at the range's FROM) stops the script under `sqlite3 -bail`, with the
// step's transaction and the version table left as they were; and an
// upgrade range that goes backwards says so on stderr, as online.
#include <filesystem>

#include "e2e/project_fixture.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

testsupport::RunResult run_script(const e2e::Project& p, const std::string& script) {
  testsupport::write_file(p.path("script.sql"), script);
  return testsupport::run_program(p.dir.path(), {"sh", "-c", "sqlite3 -bail app.db < script.sql"});
}

// Two branches from a1 and a merge: left1 -> left2, right1, merge m3.
void merge_project(const e2e::Project& p, const std::string& m3_header = "") {
  p.add_table_rev("a1", {});
  p.add_table_rev("left1", {"a1"});
  p.add_table_rev("left2", {"left1"});
  p.add_table_rev("right1", {"a1"});
  p.add({"m3",
         {"left2", "right1"},
         "CREATE TABLE t_m3 (id INTEGER PRIMARY KEY);",
         "DROP TABLE t_m3;",
         {},
         {},
         m3_header});
}

V history(const e2e::Project& p) {
  return p.rows("SELECT revision || ' ' || direction FROM migrate_history ORDER BY id");
}

}  // namespace

TEST_CASE("sqlite offline: a version UPDATE or DELETE that touches no row stops the script",
          "[e2e][offline]") {
  e2e::Project p;
  merge_project(p);
  // The script is written for {left2, right1} (the report's `upgrade
  // 200f,5ef0:heads --sql`); the database is at left2 alone. The merge's
  // DELETE of left2 touches its row, its UPDATE of right1 none.
  REQUIRE_THAT(p.run({"upgrade", "left2"}), ExitedWith(0));
  const V before = history(p);
  auto sql = p.run({"upgrade", "left2,right1:heads", "--sql"});
  REQUIRE_THAT(sql, ExitedWith(0));
  CHECK_THAT(sql.out, Contains("-- Running upgrade left2, right1 -> m3"));
  auto applied = run_script(p, sql.out);
  CHECK_THAT(applied, ExitedWith(1));
  CHECK_THAT(applied.err, Contains("migrate: step m3 (upgrade): UPDATE of version_num right1 to "
                                   "m3 in the version table main.\"migrate_version\" touched 0 "
                                   "rows, expected exactly 1"));
  // Nothing of the step stays: the version table (its DELETE of left2
  // included), the merge's table, its history row.
  CHECK(p.version() == V{"left2"});
  CHECK(p.rows("SELECT count(*) FROM sqlite_master WHERE name = 't_m3'") == V{"0"});
  CHECK(history(p) == before);

  // At {left1, right1}, the DELETE of left2 is the one that touches none.
  REQUIRE_THAT(p.run({"downgrade", "left1"}), ExitedWith(0));
  REQUIRE_THAT(p.run({"upgrade", "right1"}), ExitedWith(0));
  const V before2 = history(p);
  auto deleted = run_script(p, sql.out);
  CHECK_THAT(deleted, ExitedWith(1));
  CHECK_THAT(deleted.err, Contains("migrate: step m3 (upgrade): DELETE of version_num left2 in "
                                   "the version table main.\"migrate_version\" touched 0 rows, "
                                   "expected exactly 1"));
  CHECK(p.version() == V{"left1", "right1"});
  CHECK(p.rows("SELECT count(*) FROM sqlite_master WHERE name = 't_m3'") == V{"0"});
  CHECK(history(p) == before2);

  // Where the script starts from the database's real revisions, the checks
  // are silent and the script applies.
  auto right = p.run({"upgrade", "left1,right1:heads", "--sql"});
  REQUIRE_THAT(right, ExitedWith(0));
  auto ok = run_script(p, right.out);
  INFO(ok.err);
  REQUIRE_THAT(ok, ExitedWith(0));
  CHECK(ok.out.empty());
  CHECK(p.version() == V{"m3"});
}

TEST_CASE("sqlite offline: a stamp or non-transactional step's version check leaves the table",
          "[e2e][offline]") {
  e2e::Project p;
  merge_project(p, "transactional: false");
  REQUIRE_THAT(p.run({"upgrade", "left2"}), ExitedWith(0));
  const V before = history(p);

  // A non-transactional merge: its statements ran (nothing can undo them),
  // but its version changes (the DELETE of left2 touched its row) and its
  // history row commit together or not at all.
  auto sql = p.run({"upgrade", "left2,right1:heads", "--sql"});
  REQUIRE_THAT(sql, ExitedWith(0));
  auto applied = run_script(p, sql.out);
  CHECK_THAT(applied, ExitedWith(1));
  CHECK_THAT(applied.err, Contains("migrate: step m3 (upgrade): UPDATE of version_num right1 to "
                                   "m3 in the version table main.\"migrate_version\" touched 0 "
                                   "rows, expected exactly 1"));
  CHECK(p.rows("SELECT count(*) FROM sqlite_master WHERE name = 't_m3'") == V{"1"});
  CHECK(p.version() == V{"left2"});
  CHECK(history(p) == before);

  // A stamp script written for another state.
  auto stamp = p.run({"stamp", "left2,right1:m3", "--sql"});
  REQUIRE_THAT(stamp, ExitedWith(0));
  auto refused = run_script(p, stamp.out);
  CHECK_THAT(refused, ExitedWith(1));
  CHECK_THAT(refused.err, Contains("migrate: stamp: "));
  CHECK_THAT(refused.err, Contains("in the version table main.\"migrate_version\" touched 0 rows, "
                                   "expected exactly 1"));
  CHECK(p.version() == V{"left2"});
  CHECK(history(p) == before);
}

TEST_CASE("sqlite offline: an upgrade range that goes backwards prints an empty script and a note",
          "[e2e][offline]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"});
  auto back = p.run({"upgrade", "b2:a1", "--sql"});
  REQUIRE_THAT(back, ExitedWith(0));  // as Alembic
  CHECK(back.out.find("-- Running") == std::string::npos);
  CHECK_THAT(back.err, Contains("migrate: note: nothing to do: the range starts past a1 (at b2), "
                                "and upgrade never goes back; the script changes nothing. To go "
                                "back to a1: `migrate downgrade b2:a1 --sql`."));
  // The note's command is the script that goes back.
  auto down = p.run({"downgrade", "b2:a1", "--sql"});
  REQUIRE_THAT(down, ExitedWith(0));
  CHECK_THAT(down.out, Contains("-- Running downgrade b2 -> a1"));
  CHECK(down.err.empty());
  // stdout is still a script that applies.
  REQUIRE_THAT(run_script(p, back.out), ExitedWith(0));
  CHECK(p.version().empty());

  // Already there: a note too, and none when there are steps.
  auto same = p.run({"upgrade", "b2:b2", "--sql"});
  REQUIRE_THAT(same, ExitedWith(0));
  CHECK_THAT(same.err, Contains("migrate: note: nothing to do: the range starts at b2, already at "
                                "b2; the script changes nothing."));
  auto forward = p.run({"upgrade", "a1:b2", "--sql"});
  REQUIRE_THAT(forward, ExitedWith(0));
  CHECK(forward.err.empty());
}
