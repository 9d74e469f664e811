// End to end on a real SQLite file: init, revision, upgrade, downgrade,
// current, history, heads, status, through the real binary.
#include <nlohmann/json.hpp>

#include "e2e/project_fixture.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;

TEST_CASE("init creates the environment and refuses a non-empty directory", "[e2e][init]") {
  e2e::Project p;
  CHECK_THAT(testsupport::read_file(p.path("migrate.yaml")),
             Contains("script_location: migrations"));
  CHECK(std::filesystem::is_directory(p.versions()));
  CHECK(std::filesystem::is_regular_file(p.path("migrations/script.sql.tmpl")));

  testsupport::write_file(p.path("other/x.txt"), "x");
  auto r = p.run({"init", "other"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("other"));
  CHECK_THAT(r.err, Contains("not empty"));

  auto lt = p.run({"list-templates"});
  CHECK_THAT(lt, ExitedWith(0));
  for (const char* t : {"generic", "sqlite", "postgres"}) CHECK_THAT(lt.out, Contains(t));
}

TEST_CASE("revision chains new files onto the head", "[e2e][revision]") {
  e2e::Project p;
  auto r1 = p.run({"revision", "-m", "Create accounts!", "--rev-id", "aaaa0001"});
  REQUIRE_THAT(r1, ExitedWith(0));
  CHECK_THAT(r1.out, Contains("aaaa0001_create_accounts.sql"));
  auto r2 = p.run({"revision", "-m", "second"});
  REQUIRE_THAT(r2, ExitedWith(0));

  auto heads = p.run({"heads", "--json"});
  REQUIRE_THAT(heads, ExitedWith(0));
  auto j = nlohmann::json::parse(heads.out);
  REQUIRE(j["heads"].size() == 1);
  std::string head = j["heads"][0]["revision"];
  CHECK(head.size() == 12);
  CHECK(j["heads"][0]["down_revisions"] == nlohmann::json::array({"aaaa0001"}));
  CHECK(j["heads"][0]["message"] == "second");

  // A non-head parent needs --splice; with it a branch appears.
  auto bad = p.run({"revision", "-m", "x", "--head", "aaaa0001"});
  CHECK_THAT(bad, ExitedWith(1));
  CHECK_THAT(bad.err, Contains("--splice"));
  REQUIRE_THAT(p.run({"revision", "-m", "branch", "--head", "aaaa0001", "--splice", "--rev-id",
                      "bbbb0001", "--branch-label", "side"}),
               ExitedWith(0));
  auto two = nlohmann::json::parse(p.run({"heads", "--json"}).out);
  CHECK(two["heads"].size() == 2);

  // With two heads, a plain revision must say which head to follow.
  auto amb = p.run({"revision", "-m", "x"});
  CHECK_THAT(amb, ExitedWith(1));
  CHECK_THAT(amb.err, Contains("multiple heads"));
  REQUIRE_THAT(p.run({"revision", "-m", "on side", "--head", "side@head", "--rev-id", "bbbb0002",
                      "--depends-on", "aaaa0001"}),
               ExitedWith(0));
  auto show = p.run({"show", "bbbb0002"});
  REQUIRE_THAT(show, ExitedWith(0));
  CHECK_THAT(show.out, Contains("Parent: bbbb0001"));
  CHECK_THAT(show.out, Contains("Also depends on: aaaa0001"));

  // The duplicate id is refused and no file is overwritten.
  auto dup = p.run({"revision", "-m", "dup", "--rev-id", "bbbb0002", "--head", "bbbb0002"});
  CHECK_THAT(dup, ExitedWith(1));
}

TEST_CASE("upgrade and downgrade a chain, one transaction per step", "[e2e][upgrade]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"});
  p.add_table_rev("c3", {"b2"});

  auto up = p.run({"upgrade", "heads"});
  REQUIRE_THAT(up, ExitedWith(0));
  CHECK_THAT(up.out, Contains("Running upgrade <base> -> a1, rev a1"));
  CHECK_THAT(up.out, Contains("Running upgrade b2 -> c3, rev c3"));
  CHECK(p.tables() == std::vector<std::string>{"t_a1", "t_b2", "t_c3"});
  CHECK(p.version() == std::vector<std::string>{"c3"});

  // Every step is in the history with the file's SHA-256.
  auto hist = p.rows(
      "SELECT revision, direction, status, length(checksum), applied_by FROM "
      "migrate_history ORDER BY id");
  REQUIRE(hist.size() == 3);
  CHECK_THAT(hist[0], Contains("a1|upgrade|ok|64|"));
  CHECK_THAT(hist[0], Contains("@"));
  auto sum = testsupport::run_program(p.dir.path(), {"sha256sum", p.rev_path("b2")});
  auto stored = p.rows("SELECT checksum FROM migrate_history WHERE revision='b2'");
  REQUIRE(stored.size() == 1);
  CHECK(sum.out.substr(0, 64) == stored[0]);

  auto again = p.run({"upgrade", "heads"});
  CHECK_THAT(again, ExitedWith(0));
  CHECK_THAT(again.out, Contains("Nothing to do"));

  auto down = p.run({"downgrade", "-1"});
  REQUIRE_THAT(down, ExitedWith(0));
  CHECK_THAT(down.out, Contains("Running downgrade c3 -> b2"));
  CHECK(p.version() == std::vector<std::string>{"b2"});
  CHECK(p.tables() == std::vector<std::string>{"t_a1", "t_b2"});

  REQUIRE_THAT(p.run({"downgrade", "base"}), ExitedWith(0));
  CHECK(p.version().empty());
  CHECK(p.tables().empty());
  CHECK(p.rows("SELECT count(*) FROM migrate_history WHERE direction='downgrade'") ==
        std::vector<std::string>{"3"});

  // Relative and prefix targets.
  REQUIRE_THAT(p.run({"upgrade", "+2"}), ExitedWith(0));
  CHECK(p.version() == std::vector<std::string>{"b2"});
  REQUIRE_THAT(p.run({"upgrade", "c3"}), ExitedWith(0));
  CHECK(p.version() == std::vector<std::string>{"c3"});
  REQUIRE_THAT(p.run({"downgrade", "a1"}), ExitedWith(0));
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
  CHECK_THAT(r, ExitedWith(1));
  // Header is 6 lines, blank, marker on line 8: the section starts on line 9.
  CHECK_THAT(r.err, Contains(p.rev_path("b2") + ":11"));
  CHECK_THAT(r.err, Contains("no such table: no_such_table"));
  CHECK_THAT(r.out, Contains("Running upgrade <base> -> a1"));
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
  CHECK_THAT(st, ExitedWith(3));
  CHECK_THAT(st.out, Contains("2 pending revisions"));
  auto sj = nlohmann::json::parse(p.run({"status", "--json"}).out);
  CHECK(sj["up_to_date"] == false);
  REQUIRE(sj["pending"].size() == 2);
  CHECK(sj["pending"][0]["revision"] == "a1");
  // Reading status must not create the database file.
  CHECK_FALSE(std::filesystem::exists(p.db()));

  auto cur0 = p.run({"current", "--check-heads"});
  CHECK_THAT(cur0, ExitedWith(3));

  REQUIRE_THAT(p.run({"upgrade", "a1"}), ExitedWith(0));
  auto cur = p.run({"current"});
  CHECK_THAT(cur, ExitedWith(0));
  CHECK(cur.out == "a1\n");
  auto cj = nlohmann::json::parse(p.run({"current", "--json"}).out);
  CHECK(cj["current"][0]["revision"] == "a1");
  CHECK(cj["at_heads"] == false);

  auto hist = p.run({"history", "--indicate-current"});
  REQUIRE_THAT(hist, ExitedWith(0));
  CHECK(hist.out == "a1 -> b2 (head), rev b2\n<base> -> a1 (current), rev a1\n");
  auto hj = nlohmann::json::parse(p.run({"history", "--json", "-i"}).out);
  REQUIRE(hj["revisions"].size() == 2);
  CHECK(hj["revisions"][0]["revision"] == "b2");
  CHECK(hj["revisions"][1]["is_current"] == true);

  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  CHECK_THAT(p.run({"status", "--exit-code"}), ExitedWith(0));
  CHECK_THAT(p.run({"current", "--check-heads"}), ExitedWith(0));
  CHECK(p.run({"current"}).out == "b2 (head)\n");
}
