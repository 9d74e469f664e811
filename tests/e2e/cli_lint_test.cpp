// `migrate lint` and the upgrade gate from the command line, on a real
// SQLite project (contract: "Safety: lint, row guards, dry runs").
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "test_paths.h"
#include "e2e/project_fixture.h"
#include "support/matchers.h"

using Catch::Contains;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

// a1 creates and fills `sessions`; b2 forgets its WHERE (the course's story).
void add_story(const e2e::Project& p) {
  p.add({"a1",
         {},
         "CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER, expires INTEGER);\n"
         "INSERT INTO sessions VALUES (1, 1, 10), (2, 2, 99);",
         "DROP TABLE sessions;"});
  p.add({"b2", {"a1"}, "DELETE FROM sessions;", ""});
}

void append_config(const e2e::Project& p, const std::string& text) {
  testsupport::write_file(p.path("migrate.yaml"),
                          testsupport::read_file(p.path("migrate.yaml")) + text);
}

}  // namespace

TEST_CASE("lint: pending revisions by default; exit 1 on an error", "[e2e][sqlite][lint]") {
  e2e::Project p;
  add_story(p);
  auto r = p.run({"lint"});
  CHECK_THAT(r, ExitedWith(1));
  // The upgrade section starts on line 9 of a fixture revision.
  CHECK_THAT(r.out, Contains(p.rev_path("b2") + ":9:1: error[delete-without-where]: DELETE "
                                                "without WHERE removes every row of sessions"));
  CHECK_THAT(r.out, Contains("help: add a WHERE"));
  CHECK_THAT(r.out, Contains("1 error, 0 warnings in 2 files (3 statements)"));
  CHECK_FALSE(std::filesystem::exists(p.db()));  // linting creates no database

  // Once a1 is applied, only b2 is pending.
  REQUIRE_THAT(p.run({"upgrade", "a1"}), ExitedWith(0));
  r = p.run({"lint", "--format", "json"});
  CHECK_THAT(r, ExitedWith(1));
  auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["summary"]["files"] == 1);
  CHECK(doc["findings"][0]["revision"] == "b2");
  CHECK(doc["findings"][0]["line"] == 9);

  // --all and --since see a1 again; FILE lints that file.
  CHECK_THAT(p.run({"lint", "--all", "--format", "json"}).out, Contains("\"files\": 2"));
  CHECK_THAT(p.run({"lint", "--since", "a1", "--format", "json"}).out, Contains("\"files\": 1"));
  CHECK_THAT(p.run({"lint", p.rev_path("a1")}), ExitedWith(0));
  CHECK_THAT(p.run({"lint", p.rev_path("b2")}), ExitedWith(1));
}

TEST_CASE("the upgrade gate refuses an error before anything runs", "[e2e][sqlite][lint]") {
  e2e::Project p;
  add_story(p);
  REQUIRE_THAT(p.run({"upgrade", "a1"}), ExitedWith(0));
  auto r = p.run({"upgrade", "heads"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("refusing to upgrade: the linter found 1 error"));
  CHECK_THAT(r.err, Contains(p.rev_path("b2") + ":9: DELETE without WHERE removes every row of "
                                                "sessions [delete-without-where]"));
  CHECK_THAT(r.err, Contains("Nothing was run"));
  CHECK(p.version() == V{"a1"});
  CHECK(p.rows("SELECT count(*) FROM sessions") == V{"2"});

  // Acknowledged on the line before: the gate lets it through.
  p.add({"b2", {"a1"}, "-- migrate:expect-rows any\nDELETE FROM sessions;", ""});
  CHECK_THAT(p.run({"lint"}), ExitedWith(0));
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  CHECK(p.rows("SELECT count(*) FROM sessions") == V{"0"});
}

TEST_CASE("lint_on_upgrade: warn and off", "[e2e][sqlite][lint]") {
  SECTION("warn") {
    e2e::Project p;
    add_story(p);
    append_config(p, "lint_on_upgrade: warn\n");
    // From an empty database a1 creates `sessions` in the same run, and b2's
    // DELETE would only remove that run's rows: the gate lets that pass.
    REQUIRE_THAT(p.run({"upgrade", "a1"}), ExitedWith(0));
    auto r = p.run({"upgrade", "heads"});
    REQUIRE_THAT(r, ExitedWith(0));
    CHECK_THAT(r.err, Contains("migrate: warning: lint: " + p.rev_path("b2") +
                               ":9:1: DELETE without WHERE"));
    CHECK(p.version() == V{"b2"});
  }
  SECTION("off") {
    e2e::Project p;
    add_story(p);
    append_config(p, "lint_on_upgrade: off\n");
    auto r = p.run({"upgrade", "heads"});
    REQUIRE_THAT(r, ExitedWith(0));
    CHECK(r.err.empty());
  }
  SECTION("a bad value names the line") {
    e2e::Project p;
    add_story(p);
    append_config(p, "lint_on_upgrade: sometimes\n");
    auto r = p.run({"upgrade", "heads"});
    CHECK_THAT(r, ExitedWith(1));
    CHECK_THAT(r.err, Contains("migrate.yaml:"));
    CHECK_THAT(r.err, Contains("must be error, warn or off"));
  }
}

TEST_CASE("lint: exit codes, --strict, formats", "[e2e][sqlite][lint]") {
  e2e::Project p;
  p.add({"a1", {}, "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);", ""});
  p.add({"b2", {"a1"}, "ALTER TABLE t2 DROP COLUMN a;", ""});  // a warning only
  CHECK_THAT(p.run({"lint"}), ExitedWith(0));
  CHECK_THAT(p.run({"lint", "--strict"}), ExitedWith(1));
  CHECK_THAT(p.run({"lint", "--format", "xml"}), ExitedWith(2));
  CHECK_THAT(p.run({"lint", "--all", "--since", "a1"}), ExitedWith(2));
  CHECK_THAT(p.run({"lint", "--all", p.rev_path("a1")}), ExitedWith(2));

  auto gh = p.run({"lint"}, {{"GITHUB_ACTIONS", "true"}});
  CHECK_THAT(gh.out, Contains("::warning file=" + p.rev_path("b2") +
                              ",line=9,col=16,title=migrate lint%3A drop-column::"));
  auto sarif = p.run({"lint", "--format", "sarif"});
  REQUIRE_THAT(sarif, ExitedWith(0));
  auto doc = nlohmann::json::parse(sarif.out);
  CHECK(doc["version"] == "2.1.0");
  CHECK(doc["runs"][0]["results"][0]["ruleId"] == "drop-column");

  auto rules = p.run({"lint", "--list-rules"});
  REQUIRE_THAT(rules, ExitedWith(0));
  CHECK_THAT(rules.out, Contains("delete-without-where"));
  CHECK_THAT(rules.out, Contains("(off by default)"));
}

TEST_CASE("lint: the lint section of migrate.yaml", "[e2e][sqlite][lint]") {
  e2e::Project p;
  p.add({"a1", {}, "ALTER TABLE t2 DROP COLUMN a;", ""});
  append_config(p, "lint:\n  rules:\n    drop-column: error\n");
  auto r = p.run({"lint"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.out, Contains("error[drop-column]"));

  e2e::Project q;
  q.add({"a1", {}, "ALTER TABLE t2 DROP COLUMN a;", ""});
  append_config(q, "lint:\n  rules:\n    drop-colum: off\n");
  r = q.run({"lint"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("migrate.yaml:"));
  CHECK_THAT(r.err, Contains("names no rule `drop-colum`"));
}

TEST_CASE("lint: the sample project has no errors", "[e2e][sqlite][lint]") {
  testsupport::TempDir dir;
  std::filesystem::copy(std::string(MIGRATE_REPO_DIR) + "/sample_project", dir.path(),
                        std::filesystem::copy_options::recursive);
  auto r = testsupport::run_migrate(dir.path(), {"lint", "--all"});
  CHECK_THAT(r, ExitedWith(0));
  CHECK_THAT(r.out, Contains("0 errors"));
}
