// Issue 12 on SQLite: refused runs create nothing, a TEMP table named like
// the version table diverts nothing (main.), ambiguous `downgrade -1` and
// "upgrade to an ancestor" say what they mean, and a second runner says it
// waits for the lock (the run lock file, and the database lock another
// process holds).
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "test_paths.h"
#include "e2e/project_fixture.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

V migrate_tables(const e2e::Project& p) {
  if (!std::filesystem::exists(p.db())) return {};
  return p.rows(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'migrate\\_%' ESCAPE "
      "'\\' ORDER BY name");
}

// Creates the database file with one table of the user's.
void create_db(const e2e::Project& p) {
  REQUIRE_THAT(
      testsupport::run_program(p.dir.path(), {"sqlite3", p.db(), "CREATE TABLE keep (id INTEGER)"}),
      ExitedWith(0));
}

}  // namespace

TEST_CASE("sqlite: a refused or empty run creates no version or history table", "[e2e][session]") {
  e2e::Project p;
  // A file must exist for the check to mean something: the table list is
  // read from it.
  create_db(p);

  // Nothing to run at all: no revisions.
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  CHECK(migrate_tables(p).empty());
  // A stamp with nothing to write.
  REQUIRE_THAT(p.run({"stamp", "base"}), ExitedWith(0));
  CHECK(migrate_tables(p).empty());

  // The lint gate refuses: "Nothing was run", and nothing was created.
  p.add({"a1", {}, "DELETE FROM keep;", ""});
  auto refused = p.run({"upgrade", "head"});
  REQUIRE_THAT(refused, ExitedWith(1));
  CHECK_THAT(refused.err, Contains("Nothing was run"));
  CHECK(migrate_tables(p).empty());

  // A guard refused before anything runs (non-transactional step).
  p.add({"a1",
         {},
         "-- migrate:expect-rows 0\nDELETE FROM keep WHERE id = 1;",
         "",
         {},
         {},
         "transactional: false"});
  auto guard = p.run({"upgrade", "head"});
  REQUIRE_THAT(guard, ExitedWith(1));
  CHECK(migrate_tables(p).empty());

  // A real run creates them.
  p.add({"a1", {}, "CREATE TABLE t_a1 (id INTEGER);", "DROP TABLE t_a1;"});
  REQUIRE_THAT(p.run({"upgrade", "head"}), ExitedWith(0));
  CHECK(migrate_tables(p) == V{"migrate_history", "migrate_version"});
}

TEST_CASE("sqlite: a TEMP table named like the version table diverts nothing", "[e2e][session]") {
  e2e::Project p;
  // The first step leaves a TEMP table shadowing migrate_version for the rest
  // of the connection; SQLite resolves an unqualified name to it first.
  p.add({"a1",
         {},
         "CREATE TEMP TABLE migrate_version (version_num VARCHAR(64));\n"
         "CREATE TEMP TABLE migrate_history (id INTEGER);\n"
         "CREATE TABLE t_a1 (id INTEGER);",
         "DROP TABLE t_a1;"});
  p.add_table_rev("b2", {"a1"});
  p.add_table_rev("c3", {"b2"});
  auto up = p.run({"upgrade", "head"});
  REQUIRE_THAT(up, ExitedWith(0));
  CHECK(p.version() == V{"c3"});
  CHECK(p.tables() == V{"t_a1", "t_b2", "t_c3"});
  CHECK(p.rows("SELECT count(*) FROM main.migrate_history WHERE status = 'ok'") == V{"3"});

  // The offline script names main. too.
  auto sql = p.run({"upgrade", "head", "--sql"});
  REQUIRE_THAT(sql, ExitedWith(0));
  CHECK_THAT(sql.out, Contains("UPDATE main.\"migrate_version\" SET version_num = 'b2'"));
}

TEST_CASE("sqlite: downgrade -1 from two stored heads is refused and names the branches",
          "[e2e][session]") {
  e2e::Project p;
  p.add_table_rev("base0", {});
  p.add_table_rev("left1", {"base0"}, {"left"});
  p.add_table_rev("right1", {"base0"}, {"right"});
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  REQUIRE(p.version() == V{"left1", "right1"});

  auto amb = p.run({"downgrade", "-1"});
  CHECK_THAT(amb, ExitedWith(1));
  CHECK_THAT(amb.err, Contains("'-1' is ambiguous: the database has 2 heads"));
  CHECK_THAT(amb.err, Contains("`left@-1`"));
  CHECK_THAT(amb.err, Contains("`right@-1`"));
  CHECK(p.version() == V{"left1", "right1"});

  auto one = p.run({"downgrade", "right@-1"});
  REQUIRE_THAT(one, ExitedWith(0));
  CHECK(p.version() == V{"left1"});
  CHECK(p.tables() == V{"t_base0", "t_left1"});

  // One head: -1 is plain again.
  REQUIRE_THAT(p.run({"downgrade", "-1"}), ExitedWith(0));
  CHECK(p.version() == V{"base0"});
}

TEST_CASE("sqlite: upgrade to a revision the database is past points to downgrade",
          "[e2e][session]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"});
  REQUIRE_THAT(p.run({"upgrade", "head"}), ExitedWith(0));

  auto past = p.run({"upgrade", "a1"});
  REQUIRE_THAT(past, ExitedWith(0));
  CHECK(past.out ==
        "Nothing to do: the database is past a1 (it is at b2); upgrade never goes back. To go "
        "back to a1, run `migrate downgrade a1`.\n");
  CHECK(p.version() == V{"b2"});

  auto base = p.run({"upgrade", "base"});
  REQUIRE_THAT(base, ExitedWith(0));
  CHECK_THAT(base.out, Contains("the database is past base (it is at b2)"));

  auto at = p.run({"upgrade", "head"});
  REQUIRE_THAT(at, ExitedWith(0));
  CHECK(at.out == "Nothing to do: the database is already at head.\n");
}

TEST_CASE("sqlite: a second runner says it waits for the run lock", "[e2e][session]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  create_db(p);
  // Hold the lock file as a running migrate would.
  const std::string lock_path = p.db() + ".migrate-lock";
  int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(flock(fd, LOCK_EX | LOCK_NB) == 0);
  const std::string note = "pid 4242 (someone@somewhere) since 2026-12-06T00:00:00Z\n";
  REQUIRE(write(fd, note.data(), note.size()) == static_cast<ssize_t>(note.size()));

  auto waited = p.run({"upgrade", "head", "--lock-wait", "300ms"});
  close(fd);
  CHECK_THAT(waited, ExitedWith(1));
  CHECK_THAT(waited.err, Contains("migrate: waiting for another migrate run to finish (the lock "
                                  "file " +
                                  lock_path + " is held by pid 4242 (someone@somewhere)"));
  CHECK_THAT(waited.err, Contains("gave up after waiting"));
  CHECK(migrate_tables(p).empty());

  // Free: no waiting line.
  auto free_run = p.run({"upgrade", "head"});
  REQUIRE_THAT(free_run, ExitedWith(0));
  CHECK(free_run.err.find("waiting for") == std::string::npos);
}

namespace {

// Another process (python3's sqlite3 module, as an application would)
// holds the database's write lock for `hold` seconds while migrate upgrades:
// two real processes on one file.
testsupport::RunResult upgrade_while_locked(const e2e::Project& p, const std::string& hold) {
  const std::string holder = R"(import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(float(sys.argv[3]))
c.execute("COMMIT")
)";
  const std::string script =
      "python3 -c \"$HOLDER\" app.db held " + hold +
      " &\n"
      "for i in $(seq 400); do [ -e held ] && break; sleep 0.05; done\n"
      "[ -e held ] || { echo 'the holder never took the lock' >&2; exit 99; }\n"
      "\"$MIGRATE\" upgrade head\nrc=$?\nwait\nexit $rc\n";
  return testsupport::run_program(p.dir.path(), {"bash", "-c", script},
                                  {{"HOLDER", holder}, {"MIGRATE", MIGRATE_BINARY}});
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("sqlite: a runner waiting for the database lock says so once, and who holds it",
          "[e2e][session]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  create_db(p);

  auto r = upgrade_while_locked(p, "4");
  INFO(r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.err, Contains("migrate: waiting for the database lock on sqlite:///app.db "
                             "(another connection, pid "));
  CHECK_THAT(r.err, Contains(" (python3) holds it; up to 30 s) ..."));
  CHECK(count_of(r.err, "waiting for the database lock") == 1);
  // It went on once the lock was free.
  CHECK(p.version() == V{"a1"});
  CHECK(p.tables() == V{"t_a1"});
}

TEST_CASE("sqlite: a short wait for the database lock says nothing", "[e2e][session]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  create_db(p);

  auto r = upgrade_while_locked(p, "0.2");
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(r.err.find("waiting for") == std::string::npos);
  CHECK(p.version() == V{"a1"});
}
