// diff, check and revision --autogenerate through the real binary, on real
// SQLite files in a throwaway project.
#include <catch2/catch.hpp>
#include <filesystem>

#include "e2e/project_fixture.h"

using e2e::Project;
using testsupport::contains;

namespace {

const char kUsers[] = "CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL);";

// A project whose one revision creates `users`, upgraded, with schema.sql
// equal to it.
Project& migrated(Project& p) {
  p.add({"aaaa00000001", {}, kUsers, "DROP TABLE users;"});
  REQUIRE(p.run({"upgrade", "heads"}).exit_code == 0);
  testsupport::write_file(p.path("schema.sql"), kUsers);
  return p;
}

// Writes to the project's database behind migrate's back.
void write_sql(const Project& p, const std::string& sql) {
  auto r = testsupport::run_program(p.dir.path(), {"sqlite3", p.db(), sql});
  REQUIRE(r.exit_code == 0);
}

std::vector<std::string> revision_files(const Project& p) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(p.versions()))
    out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("diff prints the SQL and --exit-code says whether there is any", "[schema][cli]") {
  Project p;
  migrated(p);
  auto same = p.run({"diff", "--exit-code"});
  CHECK(same.exit_code == 0);
  CHECK(same.out == "");

  testsupport::write_file(p.path("schema.sql"),
                          "CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL,"
                          " name text);\nCREATE INDEX ix_users_email ON users (email);");
  auto differ = p.run({"diff", "--exit-code"});
  CHECK(differ.exit_code == 3);
  CHECK(differ.out ==
        "ALTER TABLE users ADD COLUMN name text;\n"
        "CREATE INDEX ix_users_email ON users (email);\n");
  // Without --exit-code a difference is not a failure.
  CHECK(p.run({"diff"}).exit_code == 0);

  // --from/--to take any source; the reverse marks the drop.
  auto back = p.run({"diff", "--from", "schema.sql", "--to", "rev:heads"});
  CHECK(back.exit_code == 0);
  CHECK(contains(back.out, "DROP INDEX ix_users_email;"));
  CHECK(contains(back.out, "-- destructive: drops column users.name"));
  CHECK(contains(back.out, "ALTER TABLE users DROP COLUMN name;"));
  // rev:base is the empty schema.
  auto from_base = p.run({"diff", "--from", "rev:base", "--to", "rev:heads"});
  CHECK(from_base.out == std::string(kUsers).substr(0, std::string(kUsers).size() - 1) + ";\n");
}

TEST_CASE("diff of two files needs no project, and warns about probable renames on stderr",
          "[schema][cli]") {
  testsupport::TempDir dir;
  testsupport::write_file(dir / "a.sql", "CREATE TABLE t (id integer PRIMARY KEY, a text);");
  testsupport::write_file(dir / "b.sql", "CREATE TABLE t (id integer PRIMARY KEY, b text);");
  auto r = testsupport::run_migrate(dir.path(), {"diff", "--from", "a.sql", "--to", "b.sql"});
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "ALTER TABLE t DROP COLUMN a;"));
  CHECK(contains(r.err, "migrate: warning: probable rename: table t drops column a"));
  CHECK_FALSE(contains(r.out, "warning"));

  // With the hint, a rename instead.
  testsupport::write_file(dir / "b.sql",
                          "CREATE TABLE t (id integer PRIMARY KEY,\n"
                          "  b text -- migrate:renamed-from a\n);");
  r = testsupport::run_migrate(dir.path(), {"diff", "--from", "a.sql", "--to", "b.sql"});
  CHECK(r.out == "ALTER TABLE t RENAME COLUMN a TO b;\n");
  CHECK(r.err == "");

  auto bad = testsupport::run_migrate(dir.path(), {"diff", "--from", "a.txt", "--to", "b.sql"});
  CHECK(bad.exit_code == 2);
  CHECK(contains(bad.err, "is not a schema source"));

  testsupport::write_file(dir / "broken.sql", "CREATE TABLE t (id integer);\nCREATE TABLE t (x);");
  auto broken =
      testsupport::run_migrate(dir.path(), {"diff", "--from", "a.sql", "--to", "broken.sql"});
  CHECK(broken.exit_code == 1);
  CHECK(contains(broken.err, "broken.sql:2"));
  CHECK(contains(broken.err, "table t already exists"));
}

TEST_CASE("revision --autogenerate writes upgrade and downgrade that work", "[schema][cli]") {
  Project p;
  migrated(p);
  testsupport::write_file(
      p.path("schema.sql"),
      "CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL UNIQUE);\n"
      "CREATE TABLE posts (id integer PRIMARY KEY,\n"
      "  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE, body text);\n"
      "CREATE VIEW post_counts AS SELECT user_id, count(*) AS n FROM posts GROUP BY user_id;");
  write_sql(p, "INSERT INTO users VALUES (1, 'a@example.com')");
  auto gen = p.run({"revision", "--autogenerate", "-m", "posts", "--rev-id", "bbbb00000002"});
  INFO(gen.out << gen.err);
  REQUIRE(gen.exit_code == 0);
  CHECK(contains(gen.out, "Detected add table posts"));
  std::string file = p.versions() + "/bbbb00000002_posts.sql";
  std::string text = testsupport::read_file(file);
  CHECK(contains(text, "-- down_revision: aaaa00000001"));
  auto up = text.substr(text.find("-- migrate:upgrade"));
  auto down = text.substr(text.find("-- migrate:downgrade"));
  CHECK(contains(up, "CREATE TABLE posts"));
  CHECK(contains(up, "CREATE TABLE migrate_tmp_users"));  // UNIQUE needs a rebuild
  CHECK(contains(down, "DROP VIEW post_counts;"));
  CHECK(contains(down, "-- destructive: drops table posts"));

  // Now due: check says so.
  auto due = p.run({"check"});
  CHECK(due.exit_code == 3);
  CHECK(contains(due.err, "not at its heads"));

  REQUIRE(p.run({"upgrade", "heads"}).exit_code == 0);
  CHECK(p.rows("SELECT id, email FROM users") == std::vector<std::string>{"1|a@example.com"});
  auto clean = p.run({"check"});
  INFO(clean.err);
  CHECK(clean.exit_code == 0);
  CHECK(contains(clean.out, "OK"));

  REQUIRE(p.run({"downgrade", "-1"}).exit_code == 0);
  CHECK(p.rows("SELECT name FROM sqlite_master WHERE name = 'posts'").empty());
  CHECK(p.rows("SELECT id, email FROM users") == std::vector<std::string>{"1|a@example.com"});
  // Back at the first revision, the database matches rev:aaaa00000001.
  auto back = p.run({"diff", "--to", "rev:aaaa00000001", "--exit-code"});
  CHECK(back.exit_code == 0);
}

TEST_CASE("revision --autogenerate: no changes, refusal when not at heads", "[schema][cli]") {
  Project p;
  migrated(p);
  auto before = revision_files(p);
  auto none = p.run({"revision", "--autogenerate", "-m", "nothing"});
  CHECK(none.exit_code == 0);
  CHECK(contains(none.out, "No changes"));
  CHECK(revision_files(p) == before);

  p.add({"aaaa00000002", {"aaaa00000001"}, "CREATE TABLE t2 (id int);", "DROP TABLE t2;"});
  testsupport::write_file(p.path("schema.sql"), std::string(kUsers) + "CREATE TABLE t3 (id int);");
  auto refused = p.run({"revision", "--autogenerate", "-m", "t3"});
  CHECK(refused.exit_code == 1);
  CHECK(contains(refused.err, "not at its heads"));
  CHECK(contains(refused.err, "aaaa00000002"));
  CHECK(revision_files(p).size() == before.size() + 1);  // only aaaa00000002's
}

TEST_CASE("check names drift and a due autogenerate", "[schema][cli]") {
  Project p;
  migrated(p);
  // Temporary dev databases go to TMPDIR and leave nothing behind.
  testsupport::TempDir tmp;
  CHECK(p.run({"check"}, {{"TMPDIR", tmp.path()}}).exit_code == 0);
  CHECK(std::filesystem::is_empty(tmp.path()));

  // Drift: someone changed the database by hand.
  write_sql(p, "CREATE INDEX ix_by_hand ON users (email)");
  auto drift = p.run({"check"});
  CHECK(drift.exit_code == 3);
  CHECK(contains(drift.err, "drift"));
  CHECK(contains(drift.err, "add index ix_by_hand"));
  CHECK_FALSE(contains(drift.err, "autogenerate is due"));
  write_sql(p, "DROP INDEX ix_by_hand");

  // Due: the schema file moved on.
  testsupport::write_file(p.path("schema.sql"),
                          "CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL, "
                          "age integer);");
  auto due = p.run({"check"});
  CHECK(due.exit_code == 3);
  CHECK(contains(due.err, "an autogenerate is due"));
  CHECK(contains(due.err, "add column users.age"));
  CHECK_FALSE(contains(due.err, "drift"));
}

TEST_CASE("the sample project's schema.sql matches its heads", "[schema][cli]") {
  testsupport::TempDir dir;
  std::filesystem::copy(std::string(MIGRATE_REPO_DIR) + "/sample_project", dir.path(),
                        std::filesystem::copy_options::recursive);
  std::filesystem::remove(dir / "app.db");
  CHECK(testsupport::run_migrate(dir.path(), {"check"}).exit_code == 3);  // not migrated
  REQUIRE(testsupport::run_migrate(dir.path(), {"upgrade", "heads"}).exit_code == 0);
  auto r = testsupport::run_migrate(dir.path(), {"check"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
}
