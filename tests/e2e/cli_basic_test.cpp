// End to end on a real SQLite file: init, revision, upgrade, downgrade,
// current, history, heads, status, through the real binary.
#include <nlohmann/json.hpp>

#include "e2e/project_fixture.h"

using testsupport::contains;

TEST_CASE("init creates the environment and refuses a non-empty directory", "[e2e][init]") {
  e2e::Project p;
  CHECK(testsupport::contains(testsupport::read_file(p.path("migrate.yaml")),
                              "script_location: migrations"));
  CHECK(std::filesystem::is_directory(p.versions()));
  CHECK(std::filesystem::is_regular_file(p.path("migrations/script.sql.tmpl")));

  testsupport::write_file(p.path("other/x.txt"), "x");
  auto r = p.run({"init", "other"});
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "other"));
  CHECK(contains(r.err, "not empty"));

  auto lt = p.run({"list-templates"});
  CHECK(lt.exit_code == 0);
  for (const char* t : {"generic", "sqlite", "postgres"}) CHECK(contains(lt.out, t));
}

TEST_CASE("revision chains new files onto the head", "[e2e][revision]") {
  e2e::Project p;
  auto r1 = p.run({"revision", "-m", "Create accounts!", "--rev-id", "aaaa0001"});
  REQUIRE(r1.exit_code == 0);
  CHECK(contains(r1.out, "aaaa0001_create_accounts.sql"));
  auto r2 = p.run({"revision", "-m", "second"});
  REQUIRE(r2.exit_code == 0);

  auto heads = p.run({"heads", "--json"});
  REQUIRE(heads.exit_code == 0);
  auto j = nlohmann::json::parse(heads.out);
  REQUIRE(j["heads"].size() == 1);
  std::string head = j["heads"][0]["revision"];
  CHECK(head.size() == 12);
  CHECK(j["heads"][0]["down_revisions"] == nlohmann::json::array({"aaaa0001"}));
  CHECK(j["heads"][0]["message"] == "second");

  // A non-head parent needs --splice; with it a branch appears.
  auto bad = p.run({"revision", "-m", "x", "--head", "aaaa0001"});
  CHECK(bad.exit_code == 1);
  CHECK(contains(bad.err, "--splice"));
  REQUIRE(p.run({"revision", "-m", "branch", "--head", "aaaa0001", "--splice", "--rev-id",
                 "bbbb0001", "--branch-label", "side"})
              .exit_code == 0);
  auto two = nlohmann::json::parse(p.run({"heads", "--json"}).out);
  CHECK(two["heads"].size() == 2);

  // With two heads, a plain revision must say which head to follow.
  auto amb = p.run({"revision", "-m", "x"});
  CHECK(amb.exit_code == 1);
  CHECK(contains(amb.err, "multiple heads"));
  REQUIRE(p.run({"revision", "-m", "on side", "--head", "side@head", "--rev-id", "bbbb0002",
                 "--depends-on", "aaaa0001"})
              .exit_code == 0);
  auto show = p.run({"show", "bbbb0002"});
  REQUIRE(show.exit_code == 0);
  CHECK(contains(show.out, "Parent: bbbb0001"));
  CHECK(contains(show.out, "Also depends on: aaaa0001"));

  // The duplicate id is refused and no file is overwritten.
  auto dup = p.run({"revision", "-m", "dup", "--rev-id", "bbbb0002", "--head", "bbbb0002"});
  CHECK(dup.exit_code == 1);
}

TEST_CASE("upgrade and downgrade a chain, one transaction per step", "[e2e][upgrade]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"});
  p.add_table_rev("c3", {"b2"});

  auto up = p.run({"upgrade", "heads"});
  REQUIRE(up.exit_code == 0);
  CHECK(contains(up.out, "Running upgrade <base> -> a1, rev a1"));
  CHECK(contains(up.out, "Running upgrade b2 -> c3, rev c3"));
  CHECK(p.tables() == std::vector<std::string>{"t_a1", "t_b2", "t_c3"});
  CHECK(p.version() == std::vector<std::string>{"c3"});

  // Every step is in the history with the file's SHA-256.
  auto hist = p.rows(
      "SELECT revision, direction, status, length(checksum), applied_by FROM "
      "migrate_history ORDER BY id");
  REQUIRE(hist.size() == 3);
  CHECK(contains(hist[0], "a1|upgrade|ok|64|"));
  CHECK(contains(hist[0], "@"));
  auto sum = testsupport::run_program(p.dir.path(), {"sha256sum", p.rev_path("b2")});
  auto stored = p.rows("SELECT checksum FROM migrate_history WHERE revision='b2'");
  REQUIRE(stored.size() == 1);
  CHECK(sum.out.substr(0, 64) == stored[0]);

  auto again = p.run({"upgrade", "heads"});
  CHECK(again.exit_code == 0);
  CHECK(contains(again.out, "Nothing to do"));

  auto down = p.run({"downgrade", "-1"});
  REQUIRE(down.exit_code == 0);
  CHECK(contains(down.out, "Running downgrade c3 -> b2"));
  CHECK(p.version() == std::vector<std::string>{"b2"});
  CHECK(p.tables() == std::vector<std::string>{"t_a1", "t_b2"});

  REQUIRE(p.run({"downgrade", "base"}).exit_code == 0);
  CHECK(p.version().empty());
  CHECK(p.tables().empty());
  CHECK(p.rows("SELECT count(*) FROM migrate_history WHERE direction='downgrade'") ==
        std::vector<std::string>{"3"});

  // Relative and prefix targets.
  REQUIRE(p.run({"upgrade", "+2"}).exit_code == 0);
  CHECK(p.version() == std::vector<std::string>{"b2"});
  REQUIRE(p.run({"upgrade", "c3"}).exit_code == 0);
  CHECK(p.version() == std::vector<std::string>{"c3"});
  REQUIRE(p.run({"downgrade", "a1"}).exit_code == 0);
  CHECK(p.version() == std::vector<std::string>{"a1"});
}

TEST_CASE("a failing step rolls back whole and names file, line and SQLite's message",
          "[e2e][failure]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  // The failing statement is the third line of the upgrade section; the first
  // statement of the same step must be rolled back with it.
  p.add({"b2",
         {"a1"},
         "CREATE TABLE t_b2 (id INTEGER PRIMARY KEY);\n"
         "INSERT INTO t_a1 (id) VALUES (1);\n"
         "INSERT INTO no_such_table VALUES (1);",
         "DROP TABLE t_b2;"});
  p.add_table_rev("c3", {"b2"});

  auto r = p.run({"upgrade", "heads"});
  CHECK(r.exit_code == 1);
  // Header is 6 lines, blank, marker on line 8: the section starts on line 9.
  CHECK(contains(r.err, p.rev_path("b2") + ":11"));
  CHECK(contains(r.err, "no such table: no_such_table"));
  CHECK(contains(r.out, "Running upgrade <base> -> a1"));
  CHECK(p.version() == std::vector<std::string>{"a1"});
  CHECK(p.tables() == std::vector<std::string>{"t_a1"});
  CHECK(p.rows("SELECT count(*) FROM t_a1") == std::vector<std::string>{"0"});
  CHECK(p.rows("SELECT count(*) FROM migrate_history") == std::vector<std::string>{"1"});
}

TEST_CASE("status, current and history report position, in text and JSON", "[e2e][status]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"});

  auto st = p.run({"status", "--exit-code"});
  CHECK(st.exit_code == 3);
  CHECK(contains(st.out, "2 pending revisions"));
  auto sj = nlohmann::json::parse(p.run({"status", "--json"}).out);
  CHECK(sj["up_to_date"] == false);
  REQUIRE(sj["pending"].size() == 2);
  CHECK(sj["pending"][0]["revision"] == "a1");
  // Reading status must not create the database file.
  CHECK_FALSE(std::filesystem::exists(p.db()));

  auto cur0 = p.run({"current", "--check-heads"});
  CHECK(cur0.exit_code == 3);

  REQUIRE(p.run({"upgrade", "a1"}).exit_code == 0);
  auto cur = p.run({"current"});
  CHECK(cur.exit_code == 0);
  CHECK(cur.out == "a1\n");
  auto cj = nlohmann::json::parse(p.run({"current", "--json"}).out);
  CHECK(cj["current"][0]["revision"] == "a1");
  CHECK(cj["at_heads"] == false);

  auto hist = p.run({"history", "--indicate-current"});
  REQUIRE(hist.exit_code == 0);
  CHECK(hist.out == "a1 -> b2 (head), rev b2\n<base> -> a1 (current), rev a1\n");
  auto hj = nlohmann::json::parse(p.run({"history", "--json", "-i"}).out);
  REQUIRE(hj["revisions"].size() == 2);
  CHECK(hj["revisions"][0]["revision"] == "b2");
  CHECK(hj["revisions"][1]["is_current"] == true);

  REQUIRE(p.run({"upgrade", "heads"}).exit_code == 0);
  CHECK(p.run({"status", "--exit-code"}).exit_code == 0);
  CHECK(p.run({"current", "--check-heads"}).exit_code == 0);
  CHECK(p.run({"current"}).out == "b2 (head)\n");
}
