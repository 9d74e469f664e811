// End to end: what the version table may hold and what a run leaves behind.
// A stamp never writes a table that says two things at once; a table that
// does (written by hand, by Alembic, by an older migrate) is refused by
// every command but `stamp --purge`; a stamp that changes nothing settles
// failed steps; a failed first step or a run with nothing to do leaves no
// trace; `init` writes where -c points.
#include <filesystem>

#include "e2e/project_fixture.h"
#include "support/matchers.h"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

// a1 <- b2 <- c3
void chain(const e2e::Project& p) {
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"});
  p.add_table_rev("c3", {"b2"});
}

}  // namespace

TEST_CASE("stamp refuses a revision together with its ancestor", "[e2e][stamp]") {
  e2e::Project p;
  chain(p);
  REQUIRE_THAT(p.run({"stamp", "a1"}), ExitedWith(0));
  auto r = p.run({"stamp", "b2", "c3"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("stamp targets b2 and c3 overlap: b2 is an ancestor of c3"));
  CHECK_THAT(r.err, Contains("Nothing was changed"));
  CHECK(p.version() == V{"a1"});
  CHECK(p.rows("SELECT count(*) FROM migrate_history") == V{"1"});
  // Offline too: no script is printed.
  auto sql = p.run({"stamp", "--sql", "a1:b2", "c3"});
  CHECK_THAT(sql, ExitedWith(1));
  CHECK_THAT(sql.err, Contains("stamp targets b2 and c3 overlap"));
  CHECK_THAT(sql.out, !Contains("INSERT"));
}

TEST_CASE("a version table whose rows overlap is refused until stamp --purge resets it",
          "[e2e][stamp][current]") {
  e2e::Project p;
  chain(p);
  REQUIRE_THAT(p.run({"upgrade", "c3"}), ExitedWith(0));
  // As Alembic's `stamp b2 c3` leaves it.
  testsupport::sqlite_exec(p.db(), "INSERT INTO migrate_version VALUES ('b2')");

  for (const V& args : {V{"current"}, V{"current", "--json"}, V{"status"}}) {
    auto r = p.run(args);
    INFO(args[0] << " " << r.out);
    CHECK_THAT(r, ExitedWith(1));
    CHECK_THAT(r.err, Contains("the version table holds c3, b2, and b2 is an ancestor of c3"));
    CHECK_THAT(r.err, Contains("stamp --purge"));
    CHECK(r.out.empty());  // not half of the table
  }
  // downgrade is refused as upgrade is: it used to run c3's downgrade.
  for (const char* cmd : {"downgrade", "upgrade"}) {
    auto r = p.run({cmd, cmd == std::string("downgrade") ? "base" : "heads"});
    INFO(cmd);
    CHECK_THAT(r, ExitedWith(1));
    CHECK_THAT(r.err, Contains("b2 is an ancestor of c3"));
  }
  CHECK(p.tables() == V{"t_a1", "t_b2", "t_c3"});
  CHECK(p.version() == V{"b2", "c3"});
  // --purge is the way out.
  auto purge = p.run({"stamp", "--purge", "c3"});
  REQUIRE_THAT(purge, ExitedWith(0));
  CHECK(p.version() == V{"c3"});
  CHECK_THAT(p.run({"current"}), ExitedWith(0));
  CHECK(p.run({"current"}).out == "c3 (head)\n");
}

TEST_CASE("a stamp that changes nothing settles a failed step and says so",
          "[e2e][stamp][status]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add({"b2",
         {"a1"},
         "CREATE TABLE t_x (a int);\nINSERT INTO nosuch VALUES (1);",
         "",
         {},
         {},
         "transactional: false"});
  REQUIRE_THAT(p.run({"upgrade", "a1"}), ExitedWith(0));
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(1));
  // The user gives up on b2: removes its file and what it left.
  fs::remove(p.rev_path("b2"));
  testsupport::sqlite_exec(p.db(), "DROP TABLE t_x");

  auto s = p.run({"status", "--exit-code"});
  CHECK_THAT(s, ExitedWith(3));
  CHECK_THAT(s.out, !Contains("Up to date."));
  CHECK_THAT(s.out, Contains("No revision pending, but 1 failed step is unresolved (below).\n"
                             "FAILED: upgrade b2 (non-transactional)"));
  CHECK_THAT(s.out, Contains("settle this with `migrate stamp current`"));

  // What the FAILED line advises works, though the table is already right.
  auto st = p.run({"stamp", "current"});
  REQUIRE_THAT(st, ExitedWith(0));
  CHECK_THAT(st.out, StartsWith("The version table already says that; settled 1 failed step"));
  CHECK_THAT(st.out, Contains("  upgrade b2 at 20"));
  CHECK(p.version() == V{"a1"});
  CHECK(p.rows("SELECT revision, direction, status FROM migrate_history ORDER BY id") ==
        V{"a1|upgrade|ok", "b2|upgrade|failed", "b2|settle|ok"});
  // A settle row ran no SQL: duration 0 (NULL is kept for offline scripts).
  CHECK(p.rows("SELECT duration_ms = 0 FROM migrate_history WHERE direction = 'settle'") == V{"1"});
  auto after = p.run({"status", "--exit-code"});
  CHECK_THAT(after, ExitedWith(0));
  CHECK_THAT(after.out, Contains("Up to date.\n"));
  CHECK_THAT(after.out, !Contains("FAILED"));
  // Once settled, a stamp with nothing to change writes nothing.
  CHECK(p.run({"stamp", "heads"}).out == "Nothing to do: the version table already says that.\n");
  CHECK(p.rows("SELECT count(*) FROM migrate_history") == V{"3"});
}

TEST_CASE("a failed first step and a run with nothing to do leave no trace", "[e2e][sqlite]") {
  e2e::Project p;
  p.add({"a1", {}, "CREATE TABLE t_a (x int);\nCREATE TABLE t_a (y int);", "DROP TABLE t_a;"});
  auto r = p.run({"upgrade", "heads"});
  REQUIRE_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("table t_a already exists"));
  // The file exists (the step ran in it), but holds nothing: no bookkeeping.
  CHECK(p.rows("SELECT count(*) FROM sqlite_master") == V{"0"});

  // Nothing to do on a file that does not exist: no file, no lock file.
  for (const V& args : {V{"upgrade", "base"}, V{"stamp", "base"}, V{"downgrade", "base"}}) {
    auto nd = p.run({"--url", "sqlite:///nd.db", args[0], args[1]});
    INFO(args[0] << ": " << nd.err);
    CHECK_THAT(nd, ExitedWith(0));
    CHECK_THAT(nd.out, Contains("Nothing to do"));
    CHECK(!fs::exists(p.path("nd.db")));
    CHECK(!fs::exists(p.path("nd.db.migrate-lock")));
  }
  // A refused run creates nothing either; one that writes creates the file.
  p.add_table_rev("a1", {});
  CHECK_THAT(p.run({"--url", "sqlite:///nd.db", "stamp", "zzzz"}), ExitedWith(1));
  CHECK(!fs::exists(p.path("nd.db")));
  REQUIRE_THAT(p.run({"--url", "sqlite:///nd.db", "stamp", "a1"}), ExitedWith(0));
  CHECK(testsupport::sqlite_rows(p.path("nd.db"), "SELECT version_num FROM migrate_version") ==
        V{"a1"});
}

TEST_CASE("init writes the file -c names and warns about $MIGRATE_CONFIG", "[e2e][init]") {
  testsupport::TempDir dir;
  auto r = testsupport::run_migrate(dir.path(), {"-c", "conf/migrate.yaml", "init", "migrations"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(fs::exists(dir / "conf/migrate.yaml"));
  CHECK(!fs::exists(dir / "migrate.yaml"));
  CHECK(fs::is_directory(dir / "migrations/versions"));
  CHECK_THAT(r.out, Contains("run 'migrate -c conf/migrate.yaml revision -m"));
  CHECK_THAT(r.err, !Contains("warning"));
  // The command it suggests works, and writes into this project.
  auto rev = testsupport::run_migrate(
      dir.path(), {"-c", "conf/migrate.yaml", "revision", "-m", "first", "--rev-id", "f1"});
  REQUIRE_THAT(rev, ExitedWith(0));
  CHECK(fs::exists(dir / "migrations/versions/f1_first.sql"));

  // $MIGRATE_CONFIG pointing at another project: said at once.
  testsupport::TempDir other;
  auto w = testsupport::run_migrate(other.path(), {"init", "migrations"},
                                    {{"MIGRATE_CONFIG", dir / "conf/migrate.yaml"}});
  REQUIRE_THAT(w, ExitedWith(0));
  CHECK(fs::exists(other / "migrate.yaml"));
  CHECK_THAT(w.err, Contains("warning: $MIGRATE_CONFIG is set to " + dir / "conf/migrate.yaml" +
                             ", so commands without -c read that file"));
}

TEST_CASE("a mistyped script_location is the only error", "[e2e][config]") {
  e2e::Project p;
  testsupport::write_file(p.path("migrate.yaml"),
                          "script_location: migratons\ndatabase_url: sqlite:///app.db\n");
  for (const V& args : {V{"current"}, V{"history", "-i"}, V{"status"}}) {
    auto r = p.run(args);
    INFO(args[0] << ": " << r.err);
    CHECK_THAT(r, ExitedWith(1));
    CHECK_THAT(r.err, Contains("migratons"));
    CHECK_THAT(r.err, !Contains("no such database file"));
  }
}
