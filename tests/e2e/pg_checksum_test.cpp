// End to end on the private PostgreSQL server: applied revision files checked
// against the history table's checksums, `validate --accept`, and failed
// non-transactional steps shown by `status`. Fails (never skips) when
// MIGRATE_TEST_PG_URL is not set.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <random>

#include "config/url.h"
#include "e2e/pg_fixture.h"
#include "support/matchers.h"
#include "util/sha256.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

using e2e::run_pg;
using e2e::TempPgDatabase;

void touch_file(const std::string& path) {
  testsupport::write_file(path, testsupport::read_file(path) + "-- edited\n");
}

std::string file_sha(const std::string& path) {
  return migrate::util::sha256_hex(testsupport::read_file(path));
}

void add_pg_table_rev(const e2e::Project& p, const std::string& id, std::vector<std::string> down) {
  p.add({id, down, "CREATE TABLE t_" + id + " (id integer PRIMARY KEY);",
         "DROP TABLE t_" + id + ";"});
}

}  // namespace

TEST_CASE("pg: a changed applied file stops upgrade and downgrade until allowed or accepted",
          "[e2e][postgres][checksum]") {
  TempPgDatabase db;
  e2e::Project p;
  add_pg_table_rev(p, "a1", {});
  add_pg_table_rev(p, "b2", {"a1"});
  add_pg_table_rev(p, "c3", {"b2"});
  REQUIRE_THAT(run_pg(p, db, {"upgrade", "a1"}), ExitedWith(0));
  CHECK(db.rows("SELECT checksum FROM migrate_history") == V{file_sha(p.rev_path("a1"))});
  CHECK_THAT(run_pg(p, db, {"validate"}), ExitedWith(0));

  touch_file(p.rev_path("a1"));
  auto r = run_pg(p, db, {"upgrade", "heads"});
  CHECK_THAT(r, ExitedWith(1));
  INFO(r.err);
  CHECK_THAT(r.err, Contains("refusing to upgrade"));
  CHECK_THAT(r.err,
             Contains("revision a1 (" + p.rev_path("a1") + ") changed since it was applied on "));
  CHECK(db.version() == V{"a1"});
  CHECK(db.tables() == V{"t_a1"});
  CHECK(db.history_count() == 1);

  r = run_pg(p, db, {"upgrade", "b2", "--allow-changed"});
  INFO(r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.err, Contains("warning: revision a1 ("));
  CHECK(db.version() == V{"b2"});

  // Downgrade checks too.
  r = run_pg(p, db, {"downgrade", "a1"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("refusing to downgrade"));
  CHECK(db.version() == V{"b2"});

  auto v = run_pg(p, db, {"validate"});
  CHECK_THAT(v, ExitedWith(3));
  CHECK_THAT(v.out, Contains("CHANGED: revision a1 ("));
  auto j = nlohmann::json::parse(run_pg(p, db, {"validate", "--json"}).out);
  REQUIRE(j["problems"].size() == 1);
  CHECK(j["problems"][0]["revision"] == "a1");
  CHECK(j["checked"] == nlohmann::json::array({"a1", "b2"}));

  auto acc = run_pg(p, db, {"validate", "--accept"});
  INFO(acc.err);
  CHECK_THAT(acc, ExitedWith(0));
  CHECK(db.rows("SELECT revision, direction, checksum, status, applied_by <> '', "
                "duration_ms = 0 FROM migrate_history WHERE direction = 'accept'") ==
        V{"a1|accept|" + file_sha(p.rev_path("a1")) + "|ok|t|t"});
  CHECK_THAT(run_pg(p, db, {"validate"}), ExitedWith(0));
  r = run_pg(p, db, {"upgrade", "heads"});
  INFO(r.err);
  CHECK_THAT(r, ExitedWith(0));
  CHECK(db.version() == V{"c3"});

  // A deleted applied file.
  std::filesystem::remove(p.rev_path("c3"));
  v = run_pg(p, db, {"validate"});
  CHECK_THAT(v, ExitedWith(3));
  CHECK_THAT(v.out, Contains("MISSING: revision c3 is applied but has no file"));
  CHECK_THAT(run_pg(p, db, {"upgrade", "heads"}), ExitedWith(1));
}

TEST_CASE("pg: a failed non-transactional step is recorded and shown by status until re-run",
          "[e2e][postgres][checksum][status]") {
  TempPgDatabase db;
  e2e::Project p;
  add_pg_table_rev(p, "a1", {});
  p.add({"b2",
         {"a1"},
         "CREATE TABLE t_b (id integer);\nCREATE INDEX CONCURRENTLY t_b_x ON t_b (nope);",
         "DROP TABLE t_b;",
         {},
         {},
         "transactional: false"});
  REQUIRE_THAT(run_pg(p, db, {"upgrade", "a1"}), ExitedWith(0));
  REQUIRE_THAT(run_pg(p, db, {"upgrade", "heads"}), ExitedWith(1));
  CHECK(db.rows("SELECT revision, direction, status FROM migrate_history ORDER BY id") ==
        V{"a1|upgrade|ok", "b2|upgrade|failed"});

  auto s = run_pg(p, db, {"status"});
  CHECK_THAT(s, ExitedWith(0));
  CHECK_THAT(s.out, Contains("FAILED: upgrade b2 (non-transactional) at 20"));
  auto j = nlohmann::json::parse(run_pg(p, db, {"status", "--json"}).out);
  REQUIRE(j["failed_steps"].size() == 1);
  CHECK(j["failed_steps"][0]["revision"] == "b2");
  CHECK(j["failed_steps"][0]["direction"] == "upgrade");
  auto ec = run_pg(p, db, {"status", "--exit-code"});
  CHECK_THAT(ec, ExitedWith(3));
  CHECK_THAT(ec.err, Contains("failed step is unresolved"));

  // Fixed (the file and the half-made table), then re-run.
  p.add({"b2",
         {"a1"},
         "CREATE TABLE t_b (id integer);\nCREATE INDEX CONCURRENTLY t_b_x ON t_b (id);",
         "DROP TABLE t_b;",
         {},
         {},
         "transactional: false"});
  db.rows("DROP TABLE t_b");
  auto r = run_pg(p, db, {"upgrade", "heads"});
  INFO(r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  s = run_pg(p, db, {"status", "--exit-code"});
  CHECK_THAT(s, ExitedWith(0));
  CHECK_THAT(s.out, !Contains("FAILED"));
  CHECK(nlohmann::json::parse(run_pg(p, db, {"status", "--json"}).out)["failed_steps"].empty());
}
