// End to end on PostgreSQL: `upgrade --dry-run` names the rows each
// statement affected, the locks it took (from the session's pg_locks) and
// the tables and indexes it rewrote (relfilenode changed), then rolls back:
// nothing persists, history included.
#include <nlohmann/json.hpp>

#include "test_paths.h"
#include "e2e/pg_fixture.h"
#include "support/matchers.h"
#include "util/strings.h"

namespace {

using Catch::Matchers::Contains;
using e2e::TempPgDatabase;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

testsupport::RunResult run(const e2e::Project& p, const TempPgDatabase& db,
                           std::vector<std::string> args) {
  return e2e::run_pg(p, db, std::move(args));
}

}  // namespace

TEST_CASE("pg dry run: rows, locks and rewrites per statement; nothing persists",
          "[e2e][postgres][dry_run]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add({"a1",
         {},
         "CREATE TABLE accounts (id integer PRIMARY KEY, balance integer NOT NULL);\n"
         "INSERT INTO accounts SELECT g, g FROM generate_series(1, 10) g;",
         "DROP TABLE accounts;"});
  p.add({"b2",
         {"a1"},
         "UPDATE accounts SET balance = 0 WHERE id <= 3;\n"
         "ALTER TABLE accounts ALTER COLUMN balance TYPE bigint;\n"
         "CREATE TABLE fresh (id integer);",
         "DROP TABLE fresh;"});
  p.add({"c3",
         {"b2"},
         "CREATE INDEX CONCURRENTLY accounts_balance ON accounts (balance);",
         "DROP INDEX CONCURRENTLY accounts_balance;",
         {},
         {},
         "transactional: false"});
  REQUIRE_THAT(run(p, db, {"upgrade", "a1"}), ExitedWith(0));
  const V history_before = db.rows("SELECT count(*) FROM migrate_history");

  auto r = run(p, db, {"upgrade", "head", "--dry-run"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.out, Contains("Running upgrade a1 -> b2, rev b2  [dry run]"));
  CHECK_THAT(r.out, Contains("line 9: UPDATE accounts SET balance = 0 WHERE id <= 3\n    3 rows\n"
                             "    locks: RowExclusiveLock on public.accounts"));
  CHECK_THAT(r.out, Contains("line 10: ALTER TABLE accounts ALTER COLUMN balance TYPE bigint\n"
                             "    0 rows\n    locks: AccessExclusiveLock on public.accounts"));
  CHECK_THAT(r.out, Contains("rewrote: table public.accounts, index public.accounts_pkey"));
  // A table the step creates is locked by it, but blocks nobody: not listed.
  CHECK_THAT(r.out, Contains("line 11: CREATE TABLE fresh (id integer)\n    0 rows\n"));
  CHECK_THAT(r.out, Contains("Skipped upgrade b2 -> c3, rev c3 (transactional: false"));

  // docs/safety.md shows this dry run: its statement lines are these.
  const std::string docs =
      testsupport::read_file(std::string(MIGRATE_REPO_DIR) + "/docs/safety.md");
  const std::size_t example = docs.find("<!-- dry-run-example -->");
  REQUIRE(example != std::string::npos);
  const std::size_t body = docs.find('\n', docs.find("```", example)) + 1;
  const std::string shown = docs.substr(body, docs.find("```", body) - body);
  int checked = 0;
  for (const auto& line : migrate::util::split(shown, '\n')) {
    if (line.rfind("  ", 0) != 0) continue;
    CHECK_THAT(r.out, Contains(line + "\n"));
    ++checked;
  }
  CHECK(checked >= 7);

  // Nothing persisted: data, type, tables, version, history.
  CHECK(db.version() == V{"a1"});
  CHECK(db.rows("SELECT count(*) FROM accounts WHERE balance = 0") == V{"0"});
  CHECK(db.rows("SELECT data_type FROM information_schema.columns WHERE table_name = 'accounts' "
                "AND column_name = 'balance'") == V{"integer"});
  CHECK(db.rows("SELECT to_regclass('fresh') IS NULL") == V{"t"});
  CHECK(db.rows("SELECT count(*) FROM migrate_history") == history_before);

  auto j = run(p, db, {"upgrade", "head", "--dry-run", "--json"});
  REQUIRE_THAT(j, ExitedWith(0));
  auto doc = nlohmann::json::parse(j.out);
  REQUIRE(doc["steps"].size() == 2);
  const auto& alter = doc["steps"][0]["statements"][1];
  CHECK(alter["line"] == 10);
  CHECK(alter["rows"] == 0);
  bool exclusive = false;
  for (const auto& l : alter["locks"])
    exclusive |= l["mode"] == "AccessExclusiveLock" && l["relation"] == "public.accounts";
  CHECK(exclusive);
  CHECK(alter["rewrites"][0] == "table public.accounts");
  CHECK(doc["steps"][0]["statements"][0]["rewrites"].empty());
  CHECK(doc["steps"][1]["skipped"] == true);
}

TEST_CASE("pg dry run: a violated row guard and a failing statement exit 1, each step alone",
          "[e2e][postgres][dry_run]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add({"a1",
         {},
         "CREATE TABLE sessions (id integer);\nINSERT INTO sessions SELECT generate_series(1, 5);",
         "DROP TABLE sessions;"});
  p.add({"b2", {"a1"}, "-- migrate:expect-rows 0\nTRUNCATE sessions;", ""});
  p.add({"c3", {"b2"}, "UPDATE sessions SET id = id + 1;\nINSERT INTO missing VALUES (1);", ""});
  REQUIRE_THAT(run(p, db, {"upgrade", "a1"}), ExitedWith(0));
  auto r = run(p, db, {"upgrade", "head", "--dry-run"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.out, Contains("line 10: TRUNCATE sessions\n    5 rows"));
  CHECK_THAT(r.out, Contains("b2_rev.sql:10: step b2 (upgrade): row guard violated: expect-rows 0 "
                             "(line 9), but the statement affected 5 rows"));
  // c3 ran in its own transaction, on the 5 rows b2 did not really remove.
  CHECK_THAT(r.out, Contains("line 9: UPDATE sessions SET id = id + 1\n    5 rows"));
  CHECK_THAT(r.out, Contains("c3_rev.sql:10: step c3 (upgrade) failed: relation \"missing\" does "
                             "not exist"));
  CHECK_THAT(r.err, Contains("dry run: 2 steps failed (nothing was committed)"));
  CHECK(db.rows("SELECT count(*) FROM sessions") == V{"5"});
  CHECK(db.version() == V{"a1"});
}
