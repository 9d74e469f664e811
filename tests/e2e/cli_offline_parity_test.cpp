// Issue 12, offline = online on SQLite: a `--sql` script run by `sqlite3
// -bail` fails where the online step rolls back (the foreign key check),
// `stamp --sql` records the history rows an online stamp records, and an
// offline range starts where the database is (`current`) or at several
// revisions.
#include <filesystem>

#include "e2e/project_fixture.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

testsupport::RunResult run_script(const e2e::Project& p, const std::string& script,
                                  const std::string& db) {
  testsupport::write_file(p.path("script.sql"), script);
  return testsupport::run_program(p.dir.path(),
                                  {"sh", "-c", "sqlite3 -bail " + db + " < script.sql"});
}

void fk_project(const e2e::Project& p) {
  p.add({"a1",
         {},
         "CREATE TABLE parent (id INTEGER PRIMARY KEY);\n"
         "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));",
         "DROP TABLE child;\nDROP TABLE parent;"});
  p.add({"b2", {"a1"}, "INSERT INTO child VALUES (1, 99);", "DELETE FROM child;"});
}

}  // namespace

TEST_CASE("sqlite offline: a step that breaks a foreign key fails under sqlite3 -bail as online",
          "[e2e][offline]") {
  e2e::Project online;
  fk_project(online);
  auto up = online.run({"upgrade", "head"});
  CHECK_THAT(up, ExitedWith(1));
  CHECK_THAT(up.err, Contains("step b2 (upgrade) failed: 1 foreign key violation"));
  CHECK(online.version() == V{"a1"});

  e2e::Project offline;
  fk_project(offline);
  auto sql = offline.run({"upgrade", "head", "--sql"});
  REQUIRE_THAT(sql, ExitedWith(0));
  CHECK_THAT(sql.out, Contains("FROM pragma_foreign_key_check"));
  auto applied = run_script(offline, sql.out, "app.db");
  CHECK_THAT(applied, ExitedWith(1));
  CHECK_THAT(applied.err, Contains("b2_rev.sql: step b2 (upgrade) failed: 1 foreign key "
                                   "violation, e.g. child rowid 1 references a missing row in "
                                   "parent; rolled back"));
  CHECK(offline.version() == V{"a1"});
  CHECK(offline.rows("SELECT count(*) FROM child") == V{"0"});

  // A clean step passes the check silently.
  offline.add({"b2",
               {"a1"},
               "INSERT INTO parent VALUES (99);\nINSERT INTO child VALUES (1, 99);",
               "DELETE FROM child;"});
  auto clean = offline.run({"upgrade", "a1:head", "--sql"});
  REQUIRE_THAT(clean, ExitedWith(0));
  auto ok = run_script(offline, clean.out, "app.db");
  REQUIRE_THAT(ok, ExitedWith(0));
  CHECK(ok.out.empty());
  CHECK(offline.version() == V{"b2"});
}

TEST_CASE("sqlite offline: stamp --sql records the history rows an online stamp records",
          "[e2e][offline]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"});
  REQUIRE_THAT(p.run({"stamp", "b2"}), ExitedWith(0));
  const auto online = p.rows(
      "SELECT revision || ' ' || direction || ' ' || status FROM migrate_history ORDER BY id");
  CHECK(online == V{"b2 stamp ok"});

  e2e::Project q;
  q.add_table_rev("a1", {});
  q.add_table_rev("b2", {"a1"});
  auto sql = q.run({"stamp", "b2", "--sql"});
  REQUIRE_THAT(sql, ExitedWith(0));
  REQUIRE_THAT(run_script(q, sql.out, "app.db"), ExitedWith(0));
  CHECK(q.version() == V{"b2"});
  CHECK(q.rows("SELECT revision || ' ' || direction || ' ' || status || ' ' || applied_by FROM "
               "migrate_history ORDER BY id") == V{"b2 stamp ok offline"});
}

TEST_CASE("sqlite offline: a range starts at the database's current revisions or at several",
          "[e2e][offline]") {
  e2e::Project p;
  p.add_table_rev("base0", {});
  p.add_table_rev("left1", {"base0"}, {"left"});
  p.add_table_rev("left2", {"left1"});
  p.add_table_rev("right1", {"base0"}, {"right"});
  p.add_table_rev("right2", {"right1"});
  REQUIRE_THAT(p.run({"upgrade", "left1"}), ExitedWith(0));
  REQUIRE_THAT(p.run({"upgrade", "right1"}), ExitedWith(0));
  REQUIRE(p.version() == V{"left1", "right1"});

  // `current` reads the database: only what is missing.
  auto cur = p.run({"upgrade", "current:heads", "--sql"});
  REQUIRE_THAT(cur, ExitedWith(0));
  CHECK_THAT(cur.out, Contains("-- Running upgrade left1 -> left2"));
  CHECK_THAT(cur.out, Contains("-- Running upgrade right1 -> right2"));
  CHECK(cur.out.find("-> base0") == std::string::npos);
  CHECK(cur.out.find("-> left1") == std::string::npos);

  // The same range named by its revisions.
  auto named = p.run({"upgrade", "left1,right1:heads", "--sql"});
  REQUIRE_THAT(named, ExitedWith(0));
  CHECK(named.out == cur.out);
  // And the script applies.
  REQUIRE_THAT(run_script(p, named.out, "app.db"), ExitedWith(0));
  CHECK(p.version() == V{"left2", "right2"});

  // At heads: nothing to print but the tables' preamble.
  auto at_heads = p.run({"upgrade", "current:heads", "--sql"});
  REQUIRE_THAT(at_heads, ExitedWith(0));
  CHECK(at_heads.out.find("-- Running") == std::string::npos);

  // downgrade current:... reads it too.
  auto down = p.run({"downgrade", "current:left@-1", "--sql"});
  REQUIRE_THAT(down, ExitedWith(0));
  CHECK_THAT(down.out, Contains("-- Running downgrade left2 -> left1"));
  CHECK(down.out.find("right2 ->") == std::string::npos);

  // A database that cannot be read: `current` is refused, with its error.
  std::filesystem::create_directories(p.path("not_a_file.db"));
  auto refused = p.run({"--url", "sqlite:///not_a_file.db", "upgrade", "current:heads", "--sql"});
  CHECK_THAT(refused, ExitedWith(1));
  CHECK_THAT(refused.err, Contains("'current' in an offline range reads the database's version "
                                   "table, and the database cannot be read"));
  CHECK(refused.out.empty());
}
