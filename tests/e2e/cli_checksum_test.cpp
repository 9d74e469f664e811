// End to end on real SQLite files: applied revision files checked against the
// checksums in the history table (upgrade, downgrade, validate, --accept),
// and failed non-transactional steps shown by `status`.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "e2e/project_fixture.h"
#include "support/matchers.h"
#include "util/sha256.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

// Appends a comment: the SQL does the same, the checksum differs.
void touch_file(const std::string& path) {
  testsupport::write_file(path, testsupport::read_file(path) + "-- edited\n");
}

std::string file_sha(const std::string& path) {
  return migrate::util::sha256_hex(testsupport::read_file(path));
}

int history_rows(const e2e::Project& p) {
  return std::stoi(p.rows("SELECT count(*) FROM migrate_history")[0]);
}

}  // namespace

TEST_CASE("upgrade refuses when an applied file changed, naming it; --allow-changed proceeds",
          "[e2e][checksum]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"});
  REQUIRE_THAT(p.run({"upgrade", "a1"}), ExitedWith(0));
  const std::string old_sha = file_sha(p.rev_path("a1"));
  CHECK(p.rows("SELECT checksum FROM migrate_history") == V{old_sha});

  touch_file(p.rev_path("a1"));
  auto r = p.run({"upgrade", "heads"});
  CHECK_THAT(r, ExitedWith(1));
  INFO(r.err);
  CHECK_THAT(r.err, Contains("refusing to upgrade"));
  CHECK_THAT(r.err,
             Contains("revision a1 (" + p.rev_path("a1") + ") changed since it was applied on "));
  CHECK_THAT(r.err, Contains("checksum was " + old_sha.substr(0, 12)));
  CHECK_THAT(r.err, Contains("is now " + file_sha(p.rev_path("a1")).substr(0, 12)));
  CHECK_THAT(r.err, Contains("migrate validate --accept"));
  CHECK_THAT(r.err, Contains("--allow-changed"));
  CHECK_THAT(r.out, !Contains("Running upgrade"));
  // Nothing ran: same version, same tables, no new history row.
  CHECK(p.version() == V{"a1"});
  CHECK(p.tables() == V{"t_a1"});
  CHECK(history_rows(p) == 1);

  // Refused also when there is nothing to run: the database is still not
  // what the files say.
  CHECK_THAT(p.run({"upgrade", "a1"}), ExitedWith(1));

  r = p.run({"upgrade", "heads", "--allow-changed"});
  INFO(r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.err, Contains("warning: revision a1 ("));
  CHECK_THAT(r.out, Contains("Running upgrade a1 -> b2"));
  CHECK(p.version() == V{"b2"});
  CHECK(p.tables() == V{"t_a1", "t_b2"});
}

TEST_CASE("downgrade refuses when an applied file changed; --allow-changed proceeds",
          "[e2e][checksum]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"});
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  // The downgrade section of b2 is what changed.
  p.add({"b2", {"a1"}, "CREATE TABLE t_b2 (id INTEGER PRIMARY KEY);", "DROP TABLE t_b2; -- v2"});
  auto r = p.run({"downgrade", "base"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("refusing to downgrade"));
  CHECK_THAT(r.err, Contains("revision b2 ("));
  CHECK_THAT(r.err, !Contains("revision a1 ("));
  CHECK(p.version() == V{"b2"});
  CHECK(p.tables() == V{"t_a1", "t_b2"});

  r = p.run({"downgrade", "a1", "--allow-changed"});
  INFO(r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.err, Contains("warning: revision b2"));
  CHECK(p.version() == V{"a1"});
  // b2 is no longer applied: its file may say anything now.
  CHECK_THAT(p.run({"downgrade", "base"}), ExitedWith(0));
  CHECK(p.version().empty());
}

TEST_CASE("validate exits 3 on a changed file, --accept records it, then all pass",
          "[e2e][checksum]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"});
  p.add_table_rev("c3", {"b2"});
  REQUIRE_THAT(p.run({"upgrade", "b2"}), ExitedWith(0));

  auto v = p.run({"validate"});
  CHECK_THAT(v, ExitedWith(0));
  CHECK_THAT(v.out, Contains("OK: 2 applied revisions checked"));

  touch_file(p.rev_path("b2"));
  // A pending revision's file is not applied, so never checked.
  touch_file(p.rev_path("c3"));
  v = p.run({"validate"});
  CHECK_THAT(v, ExitedWith(3));
  CHECK_THAT(v.out, Contains("CHANGED: revision b2 (" + p.rev_path("b2") + ") changed since"));
  CHECK_THAT(v.out, !Contains("revision a1"));
  CHECK_THAT(v.out, !Contains("revision c3"));
  CHECK_THAT(v.err, Contains("1 applied revision no longer matches"));

  auto js = p.run({"validate", "--json"});
  CHECK_THAT(js, ExitedWith(3));
  auto j = nlohmann::json::parse(js.out);
  CHECK(j["ok"] == false);
  CHECK(j["checked"] == nlohmann::json::array({"a1", "b2"}));
  REQUIRE(j["problems"].size() == 1);
  CHECK(j["problems"][0]["kind"] == "changed");
  CHECK(j["problems"][0]["revision"] == "b2");
  CHECK(j["problems"][0]["current_checksum"] == file_sha(p.rev_path("b2")));
  CHECK(j["problems"][0]["recorded"]["checksum"] ==
        p.rows("SELECT checksum FROM migrate_history WHERE revision = 'b2'")[0]);
  CHECK(j["problems"][0]["recorded"]["direction"] == "upgrade");

  auto acc = p.run({"validate", "--accept"});
  INFO(acc.err);
  CHECK_THAT(acc, ExitedWith(0));
  CHECK_THAT(acc.out, Contains("ACCEPTED: revision b2"));
  CHECK_THAT(acc.out, Contains("OK: 1 checksum recorded as accepted"));
  // The audit trail: who accepted which checksum, and when.
  auto rows = p.rows(
      "SELECT revision, direction, checksum, status, applied_by <> '', started_at <> '', "
      "duration_ms = 0 FROM migrate_history WHERE direction = 'accept'");
  CHECK(rows == V{"b2|accept|" + file_sha(p.rev_path("b2")) + "|ok|1|1|1"});
  CHECK(p.version() == V{"b2"});

  CHECK_THAT(p.run({"validate"}), ExitedWith(0));
  // A second accept has nothing to do and writes nothing.
  int before = history_rows(p);
  acc = p.run({"validate", "--accept"});
  CHECK_THAT(acc, ExitedWith(0));
  CHECK_THAT(acc.out, Contains("nothing to accept"));
  CHECK(history_rows(p) == before);

  auto r = p.run({"upgrade", "heads"});
  INFO(r.err);
  CHECK_THAT(r, ExitedWith(0));
  CHECK(p.version() == V{"c3"});

  // Accepted is not forever: the next edit is caught again.
  touch_file(p.rev_path("b2"));
  v = p.run({"validate"});
  CHECK_THAT(v, ExitedWith(3));
  CHECK_THAT(v.out, Contains("changed since it was accepted on "));
}

TEST_CASE("a deleted applied file is reported by validate and upgrade", "[e2e][checksum]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"});
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  std::filesystem::remove(p.rev_path("b2"));

  auto v = p.run({"validate"});
  CHECK_THAT(v, ExitedWith(3));
  CHECK_THAT(v.out, Contains("MISSING: revision b2 is applied but has no file in " + p.versions()));
  CHECK_THAT(v.err, Contains("stamp --purge"));
  auto j = nlohmann::json::parse(p.run({"validate", "--json"}).out);
  REQUIRE(j["problems"].size() == 1);
  CHECK(j["problems"][0]["kind"] == "missing");
  CHECK(j["problems"][0]["path"].is_null());

  // --accept cannot accept a file that is not there.
  int before = history_rows(p);
  CHECK_THAT(p.run({"validate", "--accept"}), ExitedWith(3));
  CHECK(history_rows(p) == before);

  auto r = p.run({"upgrade", "heads"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("revision b2 is applied but has no file"));
  CHECK(p.version() == V{"b2"});
}

TEST_CASE("applied means heads, their ancestors and their dependencies", "[e2e][checksum]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("x1", {}, {"other"});
  p.add_table_rev("b2", {"a1"}, {}, {"x1"});
  REQUIRE_THAT(p.run({"upgrade", "b2"}), ExitedWith(0));
  CHECK(p.version() == V{"b2"});  // x1 applied as a dependency, not stored

  touch_file(p.rev_path("x1"));
  auto v = p.run({"validate"});
  CHECK_THAT(v, ExitedWith(3));
  CHECK_THAT(v.out, Contains("revision x1 ("));

  // A revision downgraded, edited and upgraded again is checked against its
  // new run, not its old one.
  REQUIRE_THAT(p.run({"validate", "--accept"}), ExitedWith(0));
  REQUIRE_THAT(p.run({"downgrade", "a1"}), ExitedWith(0));
  touch_file(p.rev_path("b2"));
  REQUIRE_THAT(p.run({"upgrade", "b2"}), ExitedWith(0));
  CHECK_THAT(p.run({"validate"}), ExitedWith(0));
}

TEST_CASE("stamped revisions are not checked until accepted", "[e2e][checksum]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"});

  // No database file: nothing applied, nothing checked, nothing created.
  auto v = p.run({"validate"});
  CHECK_THAT(v, ExitedWith(0));
  CHECK_THAT(v.out, Contains("OK: 0 applied revisions checked"));
  CHECK_THAT(p.run({"validate", "--accept"}), ExitedWith(0));
  CHECK_FALSE(std::filesystem::exists(p.db()));

  REQUIRE_THAT(p.run({"stamp", "a1"}), ExitedWith(0));
  touch_file(p.rev_path("a1"));
  v = p.run({"validate"});
  CHECK_THAT(v, ExitedWith(0));
  CHECK_THAT(v.out, Contains("Not checked (no checksum recorded"));
  CHECK_THAT(v.out, Contains("a1"));
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  CHECK(p.version() == V{"b2"});

  // --accept records a baseline for it; from then on it is checked.
  auto acc = p.run({"validate", "--accept"});
  CHECK_THAT(acc, ExitedWith(0));
  CHECK_THAT(acc.out, Contains("RECORDED: revision a1"));
  CHECK(p.rows("SELECT revision FROM migrate_history WHERE direction = 'accept'") == V{"a1"});
  CHECK_THAT(p.run({"validate"}).out, Contains("OK: 2 applied revisions checked"));
  touch_file(p.rev_path("a1"));
  CHECK_THAT(p.run({"validate"}), ExitedWith(3));
  CHECK_THAT(p.run({"upgrade", "heads"}), ExitedWith(1));
}

TEST_CASE("status shows an unresolved failed non-transactional step and exits 3 for it",
          "[e2e][checksum][status]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add({"b2",
         {"a1"},
         "CREATE TABLE t_b2 (id INTEGER PRIMARY KEY);\nCREATE TABLE t_b2 (id INTEGER);",
         "DROP TABLE t_b2;",
         {},
         {},
         "transactional: false"});
  REQUIRE_THAT(p.run({"upgrade", "a1"}), ExitedWith(0));
  CHECK_THAT(p.run({"status"}).out, !Contains("FAILED"));
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(1));
  CHECK(p.rows("SELECT revision, direction, status FROM migrate_history ORDER BY id") ==
        V{"a1|upgrade|ok", "b2|upgrade|failed"});

  auto s = p.run({"status"});
  CHECK_THAT(s, ExitedWith(0));
  CHECK_THAT(s.out, Contains("FAILED: upgrade b2 (non-transactional) at 20"));
  CHECK_THAT(s.out, Contains("the database may be partly changed"));
  auto js = p.run({"status", "--json"});
  auto j = nlohmann::json::parse(js.out);
  REQUIRE(j["failed_steps"].size() == 1);
  CHECK(j["failed_steps"][0]["revision"] == "b2");
  CHECK(j["failed_steps"][0]["direction"] == "upgrade");
  CHECK(j["failed_steps"][0]["checksum"] == file_sha(p.rev_path("b2")));
  auto ec = p.run({"status", "--exit-code"});
  CHECK_THAT(ec, ExitedWith(3));
  CHECK_THAT(ec.err, Contains("1 failed step is unresolved"));

  // Repaired by hand and re-run: the failure is settled.
  p.add({"b2",
         {"a1"},
         "CREATE TABLE t_b2 (id INTEGER PRIMARY KEY);",
         "DROP TABLE t_b2;",
         {},
         {},
         "transactional: false"});
  REQUIRE_THAT(testsupport::run_program(p.dir.path(), {"sqlite3", p.db(), "DROP TABLE t_b2"}),
               ExitedWith(0));
  auto r = p.run({"upgrade", "heads"});
  INFO(r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  s = p.run({"status"});
  CHECK_THAT(s.out, !Contains("FAILED"));
  CHECK(nlohmann::json::parse(p.run({"status", "--json"}).out)["failed_steps"].empty());
  CHECK_THAT(p.run({"status", "--exit-code"}), ExitedWith(0));
}

TEST_CASE("a stamp after a failed step settles it", "[e2e][checksum][status]") {
  e2e::Project p;
  p.add({"a1",
         {},
         "CREATE TABLE t_a1 (id INTEGER PRIMARY KEY);\nCREATE TABLE t_a1 (id INTEGER);",
         "DROP TABLE t_a1;",
         {},
         {},
         "transactional: false"});
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(1));
  CHECK_THAT(p.run({"status", "--exit-code"}), ExitedWith(3));
  // The user finished the step by hand and says so.
  REQUIRE_THAT(p.run({"stamp", "a1"}), ExitedWith(0));
  auto s = p.run({"status", "--exit-code"});
  CHECK_THAT(s, ExitedWith(0));
  CHECK_THAT(s.out, !Contains("FAILED"));
}

TEST_CASE("a stamp that only removes revisions (unstamp rows) settles a failed step too",
          "[e2e][checksum][status]") {
  e2e::Project p;
  p.add_table_rev("r0", {});
  p.add({"a1",
         {"r0"},
         "CREATE TABLE t_a1 (id INTEGER PRIMARY KEY);\nCREATE TABLE t_a1 (id INTEGER);",
         "DROP TABLE t_a1;",
         {},
         {},
         "transactional: false"});
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(1));
  CHECK_THAT(p.run({"status", "--exit-code"}), ExitedWith(3));
  // The user undid it all by hand, and takes r0 out of the version table.
  REQUIRE_THAT(p.run({"stamp", "base"}), ExitedWith(0));
  CHECK(p.rows("SELECT direction FROM migrate_history ORDER BY id DESC LIMIT 1") ==
        std::vector<std::string>{"unstamp"});
  auto s = p.run({"status", "--exit-code"});
  CHECK_THAT(s.out, !Contains("FAILED"));
}
