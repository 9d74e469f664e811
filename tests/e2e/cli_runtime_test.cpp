// End to end: offline SQL, foreign-key safety, non-transactional steps,
// concurrent runners, and the shipped sample project.
#include <filesystem>

#include "test_paths.h"
#include "e2e/project_fixture.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

TEST_CASE("offline --sql prints a script sqlite3 runs as-is, touching no database",
          "[e2e][offline]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add({"b2",
         {"a1"},
         "CREATE TABLE t_b2 (id INTEGER PRIMARY KEY, note TEXT DEFAULT 'a;b');\n"
         "CREATE TRIGGER t_b2_trg AFTER INSERT ON t_b2 BEGIN\n"
         "  UPDATE t_b2 SET note = 'x;y' WHERE id = new.id;\n"
         "END;",
         "DROP TABLE t_b2;"});
  auto r = p.run({"upgrade", "heads", "--sql"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_FALSE(std::filesystem::exists(p.db()));
  CHECK_THAT(r.out, Contains("BEGIN"));
  CHECK_THAT(r.out, Contains("COMMIT;"));

  testsupport::write_file(p.path("up.sql"), r.out);
  auto applied =
      testsupport::run_program(p.dir.path(), {"sh", "-c", "sqlite3 -bail app.db < up.sql"});
  REQUIRE_THAT(applied, ExitedWith(0));
  CHECK(p.version() == V{"b2"});
  CHECK(p.tables() == V{"t_a1", "t_b2"});
  // The tool agrees with what the script did.
  CHECK(p.run({"current"}).out == "b2 (head)\n");
  CHECK_THAT(p.run({"status", "--exit-code"}), ExitedWith(0));

  // Downgrade needs a range offline; with one it reverses the upgrade.
  CHECK_THAT(p.run({"downgrade", "base", "--sql"}), ExitedWith(2));
  auto down = p.run({"downgrade", "b2:base", "--sql"});
  REQUIRE_THAT(down, ExitedWith(0));
  testsupport::write_file(p.path("down.sql"), down.out);
  REQUIRE_THAT(
      testsupport::run_program(p.dir.path(), {"sh", "-c", "sqlite3 -bail app.db < down.sql"}),
      ExitedWith(0));
  CHECK(p.version().empty());
  CHECK(p.tables().empty());

  // A range upgrade starts where FROM says.
  auto part = p.run({"upgrade", "a1:b2", "--sql"});
  REQUIRE_THAT(part, ExitedWith(0));
  CHECK_THAT(part.out, !Contains("CREATE TABLE t_a1"));
  CHECK_THAT(part.out, Contains("CREATE TABLE t_b2"));
}

TEST_CASE("offline --sql: a newline in a message cannot put live SQL into the script",
          "[e2e][offline]") {
  e2e::Project p;
  p.add({"a1", {}, "CREATE TABLE keep_me (id INTEGER PRIMARY KEY);", "DROP TABLE keep_me;"});
  // A hand-written header: YAML's "\n" is a real newline in the message.
  testsupport::write_file(p.rev_path("b2"),
                          "-- revision: b2\n-- down_revision: a1\n"
                          "-- message: \"tidy\\nDROP TABLE keep_me;\"\n\n"
                          "-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\n");
  auto r = p.run({"upgrade", "heads", "--sql"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.out, Contains("tidy\\nDROP TABLE keep_me;"));
  CHECK_THAT(r.out, !Contains("\nDROP TABLE keep_me;"));
  testsupport::write_file(p.path("up.sql"), r.out);
  REQUIRE_THAT(
      testsupport::run_program(p.dir.path(), {"sh", "-c", "sqlite3 -bail app.db < up.sql"}),
      ExitedWith(0));
  CHECK(p.rows("SELECT name FROM sqlite_master WHERE name = 'keep_me'") == V{"keep_me"});
}

TEST_CASE("foreign keys are checked before each step commits", "[e2e][sqlite]") {
  e2e::Project p;
  p.add({"a1",
         {},
         "CREATE TABLE parent (id INTEGER PRIMARY KEY);\n"
         "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));\n"
         "INSERT INTO parent VALUES (1);\nINSERT INTO child VALUES (10, 1);",
         "DROP TABLE child;\nDROP TABLE parent;"});
  // A table rebuild of the referenced table keeps every row: allowed.
  p.add({"b2",
         {"a1"},
         "CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');\n"
         "INSERT INTO parent_new (id) SELECT id FROM parent;\n"
         "DROP TABLE parent;\n"
         "ALTER TABLE parent_new RENAME TO parent;",
         ""});
  // A step that orphans a child row must fail and roll back.
  p.add({"c3",
         {"b2"},
         "-- migrate:lint-ignore delete-without-where the step orphans the child row on "
         "purpose\nDELETE FROM parent;",
         ""});
  auto r = p.run({"upgrade", "heads"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("foreign key"));
  CHECK(p.version() == V{"b2"});
  CHECK(p.rows("SELECT count(*) FROM parent") == V{"1"});
  CHECK(p.rows("SELECT count(*) FROM child") == V{"1"});
}

TEST_CASE("a transactional: false step runs statement by statement", "[e2e][sqlite]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add({"b2",
         {"a1"},
         "INSERT INTO t_a1 VALUES (1);\nVACUUM;",
         "DELETE FROM t_a1;",
         {},
         {},
         "transactional: false"});
  auto r = p.run({"upgrade", "heads"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(p.version() == V{"b2"});
  CHECK(p.rows("SELECT count(*) FROM t_a1") == V{"1"});
  // VACUUM inside a transaction fails: the same SQL as a transactional step does.
  p.add({"c3", {"b2"}, "VACUUM;", ""});
  CHECK_THAT(p.run({"upgrade", "heads"}), ExitedWith(1));
  CHECK(p.version() == V{"b2"});
}

TEST_CASE("a failing transactional: false step says what stayed applied", "[e2e][sqlite]") {
  // As on PostgreSQL (pg_database.cpp): the error must not read like a
  // rollback, since t_x and t_y stay (docs/guarantees.md).
  e2e::Project p;
  p.add({"nt1",
         {},
         "CREATE TABLE t_x (a int);\nCREATE TABLE t_y (b int);\nINSERT INTO nosuch VALUES (1);",
         "",
         {},
         {},
         "transactional: false"});
  auto r = p.run({"upgrade", "heads"});
  REQUIRE_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("no such table: nosuch"));
  CHECK_THAT(r.err, Contains("note: step nt1 (upgrade) is not transactional: the statements "
                             "before this one ran and stay applied; it is recorded as 'failed'"));
  CHECK(p.tables() == V{"t_x", "t_y"});
  CHECK(p.version().empty());
  CHECK(p.rows("SELECT revision, status FROM migrate_history") == V{"nt1|failed"});
}

TEST_CASE("concurrent runners apply every step exactly once", "[e2e][sqlite][concurrency]") {
  e2e::Project p;
  std::string prev;
  for (int i = 0; i < 30; ++i) {
    std::string id = "r" + std::to_string(100 + i);
    p.add_table_rev(id, prev.empty() ? V{} : V{prev});
    prev = id;
  }
  std::string bin = MIGRATE_BINARY;
  auto r = testsupport::run_program(
      p.dir.path(),
      {"sh", "-c",
       "for i in 1 2 3 4; do '" + bin + "' upgrade heads > out$i.txt 2>&1 & done; wait"},
      {{"DATABASE_URL", ""}, {"MIGRATE_CONFIG", ""}});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(p.version() == V{prev});
  CHECK(p.rows("SELECT count(*), count(DISTINCT revision) FROM migrate_history") == V{"30|30"});
  CHECK(p.tables().size() == 30);
  // Every runner succeeded; the ones that waited found nothing to do.
  for (int i = 1; i <= 4; ++i) {
    auto out = testsupport::read_file(p.path("out" + std::to_string(i) + ".txt"));
    CHECK_THAT(out, !Contains("error"));
  }
}

TEST_CASE("the sample project migrates up and all the way down", "[e2e][sample]") {
  testsupport::TempDir dir;
  std::filesystem::copy(std::string(MIGRATE_REPO_DIR) + "/sample_project", dir.path(),
                        std::filesystem::copy_options::recursive);
  auto run = [&](std::vector<std::string> args) {
    return testsupport::run_migrate(dir.path(), args);
  };
  auto heads = run({"heads"});
  REQUIRE_THAT(heads, ExitedWith(0));
  auto up = run({"upgrade", "heads"});
  INFO(up.err);
  REQUIRE_THAT(up, ExitedWith(0));
  CHECK_THAT(run({"status", "--exit-code"}), ExitedWith(0));
  auto tables = testsupport::sqlite_rows(
      dir / "app.db",
      "SELECT count(*) FROM sqlite_master WHERE type='table' AND name NOT LIKE 'migrate_%'");
  CHECK(std::stoi(tables[0]) >= 6);
  auto down = run({"downgrade", "base"});
  INFO(down.err);
  REQUIRE_THAT(down, ExitedWith(0));
  CHECK(testsupport::sqlite_rows(dir / "app.db",
                                 "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE "
                                 "'migrate_%' AND name NOT LIKE 'sqlite_%'") == V{"0"});
  CHECK(testsupport::sqlite_rows(dir / "app.db", "SELECT count(*) FROM migrate_version") == V{"0"});
}
