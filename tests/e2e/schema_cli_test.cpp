// diff, check and revision --autogenerate through the real binary, on real
// SQLite files in a throwaway project.
#include <catch2/catch.hpp>
#include <filesystem>

#include "e2e/project_fixture.h"
#include "support/matchers.h"
#include "test_paths.h"

using Catch::Matchers::Contains;
using e2e::Project;
using testsupport::ExitedWith;

namespace {

const char kUsers[] = "CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL);";

// A project whose one revision creates `users`, upgraded, with schema.sql
// equal to it.
Project& migrated(Project& p) {
  p.add({"aaaa00000001", {}, kUsers, "DROP TABLE users;"});
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  testsupport::write_file(p.path("schema.sql"), kUsers);
  return p;
}

// Writes to the project's database behind migrate's back.
void write_sql(const Project& p, const std::string& sql) {
  auto r = testsupport::run_program(p.dir.path(), {"sqlite3", p.db(), sql});
  REQUIRE_THAT(r, ExitedWith(0));
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
  CHECK_THAT(same, ExitedWith(0));
  CHECK(same.out == "");

  testsupport::write_file(p.path("schema.sql"),
                          "CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL,"
                          " name text);\nCREATE INDEX ix_users_email ON users (email);");
  auto differ = p.run({"diff", "--exit-code"});
  CHECK_THAT(differ, ExitedWith(3));
  CHECK(differ.out ==
        "ALTER TABLE users ADD COLUMN name text;\n"
        "CREATE INDEX ix_users_email ON users (email);\n");
  // Without --exit-code a difference is not a failure.
  CHECK_THAT(p.run({"diff"}), ExitedWith(0));

  // --from/--to take any source; the reverse marks the drop.
  auto back = p.run({"diff", "--from", "schema.sql", "--to", "rev:heads"});
  CHECK_THAT(back, ExitedWith(0));
  CHECK_THAT(back.out, Contains("DROP INDEX ix_users_email;"));
  CHECK_THAT(back.out, Contains("-- destructive: drops column users.name"));
  CHECK_THAT(back.out, Contains("ALTER TABLE users DROP COLUMN name;"));
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
  CHECK_THAT(r, ExitedWith(0));
  CHECK_THAT(r.out, Contains("ALTER TABLE t DROP COLUMN a;"));
  CHECK_THAT(r.err, Contains("migrate: warning: probable rename: table t drops column a"));
  CHECK_THAT(r.out, !Contains("warning"));

  // With the hint, a rename instead.
  testsupport::write_file(dir / "b.sql",
                          "CREATE TABLE t (id integer PRIMARY KEY,\n"
                          "  b text -- migrate:renamed-from a\n);");
  r = testsupport::run_migrate(dir.path(), {"diff", "--from", "a.sql", "--to", "b.sql"});
  CHECK(r.out == "ALTER TABLE t RENAME COLUMN a TO b;\n");
  CHECK(r.err == "");

  auto bad = testsupport::run_migrate(dir.path(), {"diff", "--from", "a.txt", "--to", "b.sql"});
  CHECK_THAT(bad, ExitedWith(2));
  CHECK_THAT(bad.err, Contains("is not a schema source"));

  testsupport::write_file(dir / "broken.sql", "CREATE TABLE t (id integer);\nCREATE TABLE t (x);");
  auto broken =
      testsupport::run_migrate(dir.path(), {"diff", "--from", "a.sql", "--to", "broken.sql"});
  CHECK_THAT(broken, ExitedWith(1));
  CHECK_THAT(broken.err, Contains("broken.sql:2"));
  CHECK_THAT(broken.err, Contains("table t already exists"));
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
  REQUIRE_THAT(gen, ExitedWith(0));
  CHECK_THAT(gen.out, Contains("Detected add table posts"));
  std::string file = p.versions() + "/bbbb00000002_posts.sql";
  std::string text = testsupport::read_file(file);
  CHECK_THAT(text, Contains("-- down_revision: aaaa00000001"));
  auto up = text.substr(text.find("-- migrate:upgrade"));
  auto down = text.substr(text.find("-- migrate:downgrade"));
  CHECK_THAT(up, Contains("CREATE TABLE posts"));
  CHECK_THAT(up, Contains("CREATE TABLE migrate_tmp_users"));  // UNIQUE needs a rebuild
  CHECK_THAT(down, Contains("DROP VIEW post_counts;"));
  CHECK_THAT(down, Contains("-- destructive: drops table posts"));

  // Now due: check says so.
  auto due = p.run({"check"});
  CHECK_THAT(due, ExitedWith(3));
  CHECK_THAT(due.err, Contains("not at its heads"));

  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  CHECK(p.rows("SELECT id, email FROM users") == std::vector<std::string>{"1|a@example.com"});
  auto clean = p.run({"check"});
  INFO(clean.err);
  CHECK_THAT(clean, ExitedWith(0));
  CHECK_THAT(clean.out, Contains("OK"));

  REQUIRE_THAT(p.run({"downgrade", "-1"}), ExitedWith(0));
  CHECK(p.rows("SELECT name FROM sqlite_master WHERE name = 'posts'").empty());
  CHECK(p.rows("SELECT id, email FROM users") == std::vector<std::string>{"1|a@example.com"});
  // Back at the first revision, the database matches rev:aaaa00000001.
  auto back = p.run({"diff", "--to", "rev:aaaa00000001", "--exit-code"});
  CHECK_THAT(back, ExitedWith(0));
}

TEST_CASE("revision --autogenerate: no changes, refusal when not at heads", "[schema][cli]") {
  Project p;
  migrated(p);
  auto before = revision_files(p);
  auto none = p.run({"revision", "--autogenerate", "-m", "nothing"});
  CHECK_THAT(none, ExitedWith(0));
  CHECK_THAT(none.out, Contains("No changes"));
  CHECK(revision_files(p) == before);

  p.add({"aaaa00000002", {"aaaa00000001"}, "CREATE TABLE t2 (id int);", "DROP TABLE t2;"});
  testsupport::write_file(p.path("schema.sql"), std::string(kUsers) + "CREATE TABLE t3 (id int);");
  auto refused = p.run({"revision", "--autogenerate", "-m", "t3"});
  CHECK_THAT(refused, ExitedWith(1));
  CHECK_THAT(refused.err, Contains("not at its heads"));
  CHECK_THAT(refused.err, Contains("aaaa00000002"));
  CHECK(revision_files(p).size() == before.size() + 1);  // only aaaa00000002's
}

TEST_CASE("check names drift and a due autogenerate", "[schema][cli]") {
  Project p;
  migrated(p);
  // Temporary dev databases go to TMPDIR and leave nothing behind.
  testsupport::TempDir tmp;
  CHECK_THAT(p.run({"check"}, {{"TMPDIR", tmp.path()}}), ExitedWith(0));
  CHECK(std::filesystem::is_empty(tmp.path()));

  // Drift: someone changed the database by hand.
  write_sql(p, "CREATE INDEX ix_by_hand ON users (email)");
  auto drift = p.run({"check"});
  CHECK_THAT(drift, ExitedWith(3));
  CHECK_THAT(drift.err, Contains("drift"));
  CHECK_THAT(drift.err, Contains("add index ix_by_hand"));
  CHECK_THAT(drift.err, !Contains("autogenerate is due"));
  write_sql(p, "DROP INDEX ix_by_hand");

  // Due: the schema file moved on.
  testsupport::write_file(p.path("schema.sql"),
                          "CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL, "
                          "age integer);");
  auto due = p.run({"check"});
  CHECK_THAT(due, ExitedWith(3));
  CHECK_THAT(due.err, Contains("an autogenerate is due"));
  CHECK_THAT(due.err, Contains("add column users.age"));
  CHECK_THAT(due.err, !Contains("drift"));
}

TEST_CASE("the sample project's schema.sql matches its heads", "[schema][cli]") {
  testsupport::TempDir dir;
  std::filesystem::copy(std::string(MIGRATE_REPO_DIR) + "/sample_project", dir.path(),
                        std::filesystem::copy_options::recursive);
  std::filesystem::remove(dir / "app.db");
  CHECK_THAT(testsupport::run_migrate(dir.path(), {"check"}), ExitedWith(3));  // not migrated
  REQUIRE_THAT(testsupport::run_migrate(dir.path(), {"upgrade", "heads"}), ExitedWith(0));
  auto r = testsupport::run_migrate(dir.path(), {"check"});
  INFO(r.out << r.err);
  CHECK_THAT(r, ExitedWith(0));
}

TEST_CASE("a given SQLite dev database: refused unless empty, emptied after each side",
          "[schema][cli]") {
  Project p;
  testsupport::write_file(p.path("a.sql"), "CREATE TABLE t (id integer PRIMARY KEY);\n");
  testsupport::write_file(p.path("b.sql"),
                          "CREATE TABLE t (id integer PRIMARY KEY, note text);\n"
                          "CREATE VIEW v AS SELECT id FROM t;\n");
  const std::string dev = p.path("dev.db");
  auto diff = [&]() {
    return p.run({"diff", "--from", p.path("a.sql"), "--to", p.path("b.sql"), "--dev-url",
                  "sqlite:///" + dev});
  };
  for (int run = 0; run < 2; ++run) {
    auto r = diff();
    INFO(r.out << r.err);
    REQUIRE_THAT(r, ExitedWith(0));
    CHECK_THAT(r.out, Contains("ALTER TABLE t ADD COLUMN note"));
    CHECK(testsupport::sqlite_rows(dev, "SELECT count(*) FROM sqlite_schema") ==
          std::vector<std::string>{"0"});
  }
  auto w =
      testsupport::run_program(p.dir.path(), {"sqlite3", dev, "CREATE TABLE keep (id integer)"});
  REQUIRE_THAT(w, ExitedWith(0));
  auto refused = diff();
  CHECK_THAT(refused, ExitedWith(1));
  CHECK_THAT(refused.err, Contains("dev.db is not empty: it holds table keep."));
  CHECK(testsupport::sqlite_rows(dev, "SELECT name FROM sqlite_schema") ==
        std::vector<std::string>{"keep"});
}
