// End to end on the private PostgreSQL server (scripts/test.sh starts it):
// every test creates its own database, drives the real binary with --url
// pointing at it, and reads the result back with libpqxx. The tests fail
// (never skip) when MIGRATE_TEST_PG_URL is not set.
#include <cstdlib>
#include <pqxx/pqxx>

#include "test_paths.h"
#include "e2e/pg_fixture.h"
#include "support/matchers.h"

namespace {

using Catch::Matchers::Contains;
using e2e::TempPgDatabase;
using testsupport::ExitedWith;

// `migrate --url URL ARGS...` in the project.
testsupport::RunResult run(const e2e::Project& p, const TempPgDatabase& db,
                           std::vector<std::string> args) {
  return e2e::run_pg(p, db, std::move(args));
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("pg: upgrade and downgrade through a branch and a merge", "[e2e][postgres]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"});
  p.add_table_rev("c3", {"a1"});
  p.add_table_rev("m4", {"b2", "c3"});

  auto r = run(p, db, {"upgrade", "b2"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(db.version() == V{"b2"});
  CHECK(db.tables() == V{"t_a1", "t_b2"});

  r = run(p, db, {"upgrade", "heads"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.out, Contains("Running upgrade b2, c3 -> m4"));
  CHECK(db.version() == V{"m4"});
  CHECK(db.tables() == V{"t_a1", "t_b2", "t_c3", "t_m4"});

  auto cur = run(p, db, {"current"});
  REQUIRE_THAT(cur, ExitedWith(0));
  CHECK_THAT(cur.out, Contains("m4"));
  // postgres:// is the same backend.
  std::string short_scheme = "postgres://" + db.url().substr(std::string("postgresql://").size());
  cur = p.run({"--url", short_scheme, "current"});
  REQUIRE_THAT(cur, ExitedWith(0));
  CHECK_THAT(cur.out, Contains("m4"));

  // Unmerging: update m4 -> b2 and insert c3 (c3 is not below b2, so stays).
  r = run(p, db, {"downgrade", "b2"});
  INFO(r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(db.version() == V{"b2", "c3"});
  CHECK(db.tables() == V{"t_a1", "t_b2", "t_c3"});

  // Back to the branch point: one branch's row deleted, the other updated.
  r = run(p, db, {"downgrade", "a1"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(db.version() == V{"a1"});
  CHECK(db.tables() == V{"t_a1"});

  r = run(p, db, {"downgrade", "base"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(db.version().empty());
  CHECK(db.tables().empty());
  CHECK(db.history_count("status = 'ok'") == 8);
  CHECK(db.history_count("direction = 'downgrade'") == 4);
}

TEST_CASE("pg: a failing step rolls back whole and names file, line, DETAIL and HINT",
          "[e2e][postgres]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add({"a1", {}, "CREATE TABLE accounts (id integer PRIMARY KEY);", "DROP TABLE accounts;"});
  // Upgrade section starts on line 9 of the file (7 header lines, a blank
  // line, the marker), so the duplicate INSERT is on line 12.
  p.add({"b2",
         {"a1"},
         "CREATE TABLE t_b2 (id integer);\n"
         "INSERT INTO accounts VALUES (1);\n"
         "\n"
         "INSERT INTO accounts VALUES (1);\n",
         "DROP TABLE t_b2;"});
  auto r = run(p, db, {"upgrade", "heads"});
  CHECK_THAT(r, ExitedWith(1));
  INFO(r.err);
  CHECK_THAT(r.err, Contains(p.rev_path("b2") + ":12: step b2 (upgrade) failed"));
  CHECK_THAT(r.err, Contains("duplicate key value violates unique constraint"));
  CHECK_THAT(r.err, Contains("DETAIL:  Key (id)=(1) already exists."));
  CHECK_THAT(r.err, Contains("in: INSERT INTO accounts VALUES (1)"));
  // Nothing of b2 remains; a1 stays committed and recorded.
  CHECK(db.version() == V{"a1"});
  CHECK(db.rows("SELECT count(*) FROM accounts") == V{"0"});
  CHECK(db.rows("SELECT to_regclass('t_b2') IS NULL") == V{"t"});
  CHECK(db.history_count() == 1);

  // HINT (and the server's CONTEXT) come through too.
  p.add({"b2",
         {"a1"},
         "SELECT 1;\n"
         "DO $$ BEGIN RAISE EXCEPTION 'no way' USING DETAIL = 'some detail', HINT = 'try "
         "harder'; END $$;\n",
         ""});
  r = run(p, db, {"upgrade", "heads"});
  CHECK_THAT(r, ExitedWith(1));
  INFO(r.err);
  CHECK_THAT(r.err, Contains(p.rev_path("b2") + ":10: step b2 (upgrade) failed: no way"));
  CHECK_THAT(r.err, Contains("DETAIL:  some detail"));
  CHECK_THAT(r.err, Contains("HINT:  try harder"));
  CHECK(db.version() == V{"a1"});
}

TEST_CASE("pg: a failed first step leaves no version or history table", "[e2e][postgres]") {
  // The tables are created in the first step's transaction (docs/guarantees.md:
  // a failed transactional step leaves no trace).
  TempPgDatabase db;
  e2e::Project p;
  p.add({"a1", {}, "CREATE TABLE t_a (x int);\nCREATE TABLE t_a (y int);", "DROP TABLE t_a;"});
  p.add_table_rev("b2", {"a1"});
  auto r = run(p, db, {"upgrade", "heads"});
  REQUIRE_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("already exists"));
  CHECK(db.rows("SELECT to_regclass('migrate_version') IS NULL, to_regclass('migrate_history') IS "
                "NULL, to_regclass('t_a') IS NULL") == V{"t|t|t"});
  // Once a1 is right, one run creates them with it and goes on.
  p.add({"a1", {}, "CREATE TABLE t_a (x int);", "DROP TABLE t_a;"});
  REQUIRE_THAT(run(p, db, {"upgrade", "heads"}), ExitedWith(0));
  CHECK(db.version() == V{"b2"});
  CHECK(db.history_count() == 2);
}

TEST_CASE("pg: dollar-quoted bodies and BEGIN ATOMIC with semicolons run as one statement",
          "[e2e][postgres]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add({"a1",
         {},
         "CREATE TABLE t_log (msg text);\n"
         "CREATE FUNCTION log_twice(m text) RETURNS int LANGUAGE plpgsql AS $body$\n"
         "BEGIN\n"
         "  INSERT INTO t_log VALUES (m || ';');  -- a comment; with semicolons\n"
         "  INSERT INTO t_log VALUES ($$it's; done$$);\n"
         "  RETURN 2;\n"
         "END\n"
         "$body$;\n"
         "CREATE FUNCTION answer() RETURNS int LANGUAGE sql\n"
         "BEGIN ATOMIC\n"
         "  SELECT 41;\n"
         "  SELECT 42;\n"
         "END;\n"
         "SELECT log_twice('a;b'); /* trailing ; comment */",
         "DROP FUNCTION answer(); DROP FUNCTION log_twice(text); DROP TABLE t_log;"});
  auto r = run(p, db, {"upgrade", "heads"});
  INFO(r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(db.rows("SELECT msg FROM t_log ORDER BY msg") == V{"a;b;", "it's; done"});
  CHECK(db.rows("SELECT answer()") == V{"42"});
  REQUIRE_THAT(run(p, db, {"downgrade", "base"}), ExitedWith(0));
  CHECK(db.rows("SELECT to_regclass('t_log') IS NULL") == V{"t"});
}

TEST_CASE("pg: CONCURRENTLY is refused in a transactional step and runs with transactional: false",
          "[e2e][postgres]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add({"a1",
         {},
         "CREATE TABLE t_a (id integer);\nCREATE INDEX CONCURRENTLY t_a_id ON t_a (id);",
         "DROP TABLE t_a;"});
  auto r = run(p, db, {"upgrade", "heads"});
  CHECK_THAT(r, ExitedWith(1));
  INFO(r.err);
  CHECK_THAT(r.err,
             Contains(p.rev_path("a1") + ":10: CREATE INDEX CONCURRENTLY cannot run inside a "
                                         "transaction block"));
  CHECK_THAT(r.err, Contains("transactional: false"));
  // Refused before anything ran: not even the CREATE TABLE on line 9.
  CHECK(db.rows("SELECT to_regclass('t_a') IS NULL") == V{"t"});
  CHECK(db.version().empty());
  // Offline, the same refusal, and no half script on stdout.
  auto offline = run(p, db, {"upgrade", "heads", "--sql"});
  CHECK_THAT(offline, ExitedWith(1));
  CHECK_THAT(offline.err, Contains("transactional: false"));
  CHECK(offline.out.empty());

  p.add({"a1",
         {},
         "CREATE TABLE t_a (id integer);\nCREATE INDEX CONCURRENTLY t_a_id ON t_a (id);\nVACUUM "
         "t_a;",
         "DROP INDEX CONCURRENTLY t_a_id;\nDROP TABLE t_a;",
         {},
         {},
         "transactional: false"});
  r = run(p, db, {"upgrade", "heads"});
  INFO(r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(db.rows("SELECT indexname FROM pg_indexes WHERE tablename = 't_a'") == V{"t_a_id"});
  CHECK(db.version() == V{"a1"});
  CHECK(db.history_count("status = 'ok'") == 1);

  // A failing non-transactional step keeps what ran and is recorded 'failed'.
  p.add({"b2",
         {"a1"},
         "CREATE TABLE t_b (id integer);\nCREATE INDEX CONCURRENTLY t_b_x ON t_b (nope);",
         "DROP TABLE t_b;",
         {},
         {},
         "transactional: false"});
  auto failed = run(p, db, {"upgrade", "heads"});
  CHECK_THAT(failed, ExitedWith(1));
  INFO(failed.err);
  CHECK_THAT(failed.err,
             Contains(p.rev_path("b2") + ":11: step b2 (upgrade) failed: column \"nope\" does "
                                         "not exist"));
  CHECK_THAT(failed.err, Contains("not transactional"));
  CHECK(db.rows("SELECT to_regclass('t_b') IS NOT NULL") == V{"t"});
  CHECK(db.version() == V{"a1"});
  CHECK(db.rows("SELECT revision, status FROM migrate_history ORDER BY id") ==
        V{"a1|ok", "b2|failed"});
}

TEST_CASE("pg: version_table_schema must exist and holds both tables", "[e2e][postgres]") {
  TempPgDatabase db;
  e2e::Project p;
  testsupport::write_file(p.path("migrate.yaml"), testsupport::read_file(p.path("migrate.yaml")) +
                                                      "\nversion_table_schema: migs\n");
  p.add_table_rev("a1", {});
  auto r = run(p, db, {"upgrade", "heads"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("schema \"migs\" (version_table_schema) does not exist"));
  CHECK(db.tables().empty());

  db.exec("CREATE SCHEMA migs");
  r = run(p, db, {"upgrade", "heads"});
  INFO(r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(db.version("migs.migrate_version") == V{"a1"});
  CHECK(db.rows("SELECT count(*) FROM migs.migrate_history") == V{"1"});
  CHECK(db.rows("SELECT to_regclass('public.migrate_version') IS NULL") == V{"t"});
  auto cur = run(p, db, {"current"});
  CHECK_THAT(cur.out, Contains("a1"));
}

TEST_CASE("pg: offline --sql run by psql gives the same version table", "[e2e][postgres]") {
  TempPgDatabase online, offline;
  e2e::Project p;
  p.add({"a1",
         {},
         "CREATE TABLE t_a (id integer PRIMARY KEY, s text DEFAULT 'x;y');",
         "DROP TABLE t_a;"});
  p.add({"b2",
         {"a1"},
         "CREATE FUNCTION two() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 2; END; $$;",
         "DROP FUNCTION two();"});
  p.add({"c3",
         {"a1"},
         "CREATE INDEX CONCURRENTLY t_a_s ON t_a (s);",
         "DROP INDEX t_a_s;",
         {},
         {},
         "transactional: false"});
  p.add_table_rev("m4", {"b2", "c3"});

  auto sql = run(p, offline, {"upgrade", "heads", "--sql"});
  INFO(sql.err);
  REQUIRE_THAT(sql, ExitedWith(0));
  testsupport::write_file(p.path("up.sql"), sql.out);
  auto psql = testsupport::run_program(
      p.dir.path(), {"psql", offline.url(), "-q", "-v", "ON_ERROR_STOP=1", "-f", "up.sql"});
  INFO(psql.err);
  INFO(sql.out);
  REQUIRE_THAT(psql, ExitedWith(0));

  REQUIRE_THAT(run(p, online, {"upgrade", "heads"}), ExitedWith(0));
  CHECK(offline.version() == V{"m4"});
  CHECK(offline.version() == online.version());
  CHECK(offline.rows("SELECT two()") == V{"2"});
  CHECK(offline.rows("SELECT indexname FROM pg_indexes WHERE indexname = 't_a_s'") == V{"t_a_s"});
  CHECK(offline.rows("SELECT DISTINCT applied_by FROM migrate_history") == V{"offline"});
  CHECK(offline.history_count() == 4);
  // migrate reads the offline-built version table like its own.
  auto cur = run(p, offline, {"current"});
  CHECK_THAT(cur.out, Contains("m4"));
}

TEST_CASE("pg: four concurrent runs apply every step exactly once", "[e2e][postgres]") {
  TempPgDatabase db;
  e2e::Project p;
  const int n = 8;
  std::string prev;
  for (int i = 0; i < n; ++i) {
    std::string id = "r" + std::to_string(i);
    p.add({id, prev.empty() ? V{} : V{prev},
           "CREATE TABLE t_" + id + " (id integer);\nSELECT pg_sleep(0.02);",
           "DROP TABLE t_" + id + ";"});
    prev = id;
  }
  // Started together by one shell; each run's exit code lands in rcN.
  std::string script =
      "for i in 1 2 3 4; do (\"$0\" --url \"$1\" upgrade heads >out$i 2>err$i; echo $? >rc$i) & "
      "done; wait";
  auto r =
      testsupport::run_program(p.dir.path(), {"/bin/sh", "-c", script, MIGRATE_BINARY, db.url()},
                               {{"DATABASE_URL", ""}, {"MIGRATE_CONFIG", ""}});
  REQUIRE_THAT(r, ExitedWith(0));
  for (int i = 1; i <= 4; ++i) {
    INFO(testsupport::read_file(p.path("err" + std::to_string(i))));
    CHECK(testsupport::read_file(p.path("rc" + std::to_string(i))) == "0\n");
  }
  CHECK(db.history_count() == n);
  CHECK(db.rows("SELECT count(DISTINCT revision) FROM migrate_history") == V{std::to_string(n)});
  CHECK(db.version() == V{prev});
}

TEST_CASE("pg: a held run lock makes a run wait, say so once, and give up", "[e2e][postgres]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add_table_rev("a1", {});
  pqxx::connection holder(db.url());
  pqxx::nontransaction tx(holder);
  tx.exec(
      "SELECT pg_advisory_lock(hashtextextended('migrate run lock ' || 'public' || '.' || "
      "'migrate_version', 0))");
  auto r = run(p, db, {"upgrade", "heads", "--lock-wait", "500ms"});
  CHECK_THAT(r, ExitedWith(1));
  INFO(r.err);
  CHECK_THAT(r.err, Contains("waiting for another migrate run to finish"));
  CHECK(r.err.find("waiting for") == r.err.rfind("waiting for"));  // said once
  CHECK_THAT(r.err, Contains("another migrate run holds the run lock"));
  CHECK_THAT(r.err, Contains("server pid"));
  CHECK(db.rows("SELECT to_regclass('t_a1') IS NULL") == V{"t"});
  tx.exec(
      "SELECT pg_advisory_unlock(hashtextextended('migrate run lock ' || 'public' || '.' || "
      "'migrate_version', 0))");
  r = run(p, db, {"upgrade", "heads", "--lock-wait", "500ms"});
  CHECK_THAT(r, ExitedWith(0));
  CHECK(db.version() == V{"a1"});
}

TEST_CASE("pg: a wrong password is never echoed; the error names host, port and database",
          "[e2e][postgres]") {
  TempPgDatabase db;
  e2e::Project p;
  auto parsed = migrate::config::parse_database_url(db.url());
  const std::string secret = "wrong-Secret-4711";
  std::string bad = "postgresql://" + parsed.user + ":" + secret + "@" + parsed.host + ":" +
                    parsed.port + "/" + db.name();
  for (const auto& args : {V{"--url", bad, "current"}, V{"--url", bad, "upgrade", "heads"}}) {
    auto r = p.run(args);
    CHECK_THAT(r, ExitedWith(1));
    INFO(r.err);
    CHECK_THAT(r.out + r.err, !Contains(secret));
    CHECK_THAT(r.err, Contains("host " + parsed.host));
    CHECK_THAT(r.err, Contains("port " + parsed.port));
    CHECK_THAT(r.err, Contains("database " + db.name()));
    CHECK_THAT(r.err, Contains("password authentication failed"));
  }
}

TEST_CASE("pg: version updates must touch one row; stamp records history", "[e2e][postgres]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add_table_rev("a1", {});
  // A step that tampers with the version table: its UPDATE a1 -> b2 then
  // finds no row, and the whole step rolls back.
  p.add({"b2",
         {"a1"},
         "CREATE TABLE t_b2 (id int);\n-- migrate:lint-ignore delete-without-where the step "
         "empties the version table on purpose\nDELETE FROM migrate_version;",
         ""});
  REQUIRE_THAT(run(p, db, {"upgrade", "a1"}), ExitedWith(0));
  auto r = run(p, db, {"upgrade", "heads"});
  CHECK_THAT(r, ExitedWith(1));
  INFO(r.err);
  CHECK_THAT(r.err,
             Contains("step b2 (upgrade): UPDATE of version_num 'a1' to 'b2' in the version "
                      "table \"public\".\"migrate_version\" touched 0 rows, expected exactly 1"));
  CHECK(db.version() == V{"a1"});
  CHECK(db.rows("SELECT to_regclass('t_b2') IS NULL") == V{"t"});

  r = run(p, db, {"stamp", "b2"});
  INFO(r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(db.version() == V{"b2"});
  CHECK(db.rows("SELECT revision, direction FROM migrate_history ORDER BY id") ==
        V{"a1|upgrade", "a1|unstamp", "b2|stamp"});
  REQUIRE_THAT(run(p, db, {"stamp", "base"}), ExitedWith(0));
  CHECK(db.version().empty());
}

TEST_CASE("pg: a password passed as a percent-encoded query key connects and never shows",
          "[e2e][postgres]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add_table_rev("a1", {});
  // The server's password, moved from the user info to `?%70assword=`, a
  // spelling of `password` that libpq decodes.
  const char* password = std::getenv("MIGRATE_TEST_PG_PASSWORD");
  REQUIRE(password != nullptr);
  auto parsed = migrate::config::parse_database_url(db.url());
  std::string url = "postgresql://" + parsed.user + "@" + parsed.host + ":" + parsed.port + "/" +
                    db.name() + "?%70assword=" + password;
  auto up = p.run({"--url", url, "upgrade", "heads"});
  CHECK_THAT(up, ExitedWith(0));
  for (const auto& args : {V{"--url", url, "status"}, V{"--url", url, "status", "--json"},
                           V{"--url", url, "current", "--json"}}) {
    auto r = p.run(args);
    CHECK_THAT(r, ExitedWith(0));
    CHECK_THAT(r.out + r.err, !Contains(password));
  }
  CHECK_THAT(p.run({"--url", url, "status"}).out, Contains("%70assword=***"));
}
