// End to end on the private PostgreSQL server: migrate on a live database.
// lock_timeout and retries against a second session holding a table lock,
// the per-revision header overrides, statement_timeout, SET LOCAL in
// offline scripts, --wait for a server that is not up yet, and a migrate
// process killed in the middle of a step. Fails (never skips) when
// MIGRATE_TEST_PG_URL is not set.
#include <signal.h>

#include <chrono>
#include <pqxx/pqxx>
#include <thread>

#include "e2e/pg_fixture.h"
#include "e2e/pg_session_helpers.h"
#include "support/background_migrate.h"
#include "support/matchers.h"
#include "test_paths.h"

using Catch::Matchers::Contains;
using e2e::TempPgDatabase;
using testsupport::BackgroundMigrate;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

TEST_CASE("pg: a step blocked by a table lock retries and succeeds once the holder commits",
          "[e2e][postgres][locking]") {
  TempPgDatabase db;
  e2e::Project p;
  e2e::add_config(p, "lock_timeout: 200ms\nlock_retries: 5\n");
  db.exec("CREATE TABLE t_locked (id integer)");
  p.add(
      {"a1", {}, "ALTER TABLE t_locked ADD COLUMN note text;", "ALTER TABLE t_locked DROP note;"});

  // Released one second after migrate is seen waiting for the lock.
  e2e::LockHolder holder(db, "t_locked", std::chrono::milliseconds(1000));
  auto r = e2e::run_pg(p, db, {"upgrade", "head"});
  holder.release();
  INFO(r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.err, Contains("step a1 (upgrade): waited 200ms for a lock on table \"t_locked\" "
                             "(lock_timeout); retry 1/5 in "));
  CHECK(db.version() == V{"a1"});
  CHECK(db.rows("SELECT count(*) FROM information_schema.columns WHERE table_name = 't_locked' "
                "AND column_name = 'note'") == V{"1"});
  // One history row: the failed attempts rolled back whole.
  CHECK(db.history_count() == 1);
}

TEST_CASE("pg: when the retries run out the step fails, names the table and changes nothing",
          "[e2e][postgres][locking]") {
  TempPgDatabase db;
  e2e::Project p;
  e2e::add_config(p, "lock_timeout: 200ms\nlock_retries: 1\n");
  db.exec("CREATE TABLE t_locked (id integer)");
  p.add_table_rev("a1", {});
  // Upgrade section starts on line 9, so the ALTER is on line 10.
  p.add({"b2",
         {"a1"},
         "CREATE TABLE t_b2 (id integer);\nALTER TABLE t_locked ADD COLUMN note text;",
         "DROP TABLE t_b2;"});
  REQUIRE_THAT(e2e::run_pg(p, db, {"upgrade", "a1"}), ExitedWith(0));

  e2e::LockHolder holder(db, "t_locked");  // never released before migrate gives up
  auto r = e2e::run_pg(p, db, {"upgrade", "head"});
  INFO(r.err);
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("retry 1/1 in "));
  CHECK_THAT(r.err, !Contains("retry 2/"));
  CHECK_THAT(r.err, Contains(p.rev_path("b2") +
                             ":10: step b2 (upgrade) failed: canceling statement due to lock "
                             "timeout"));
  CHECK_THAT(r.err, Contains("in: ALTER TABLE t_locked ADD COLUMN note text"));
  CHECK_THAT(r.err,
             Contains("waited 200ms for a lock on table \"t_locked\" (lock_timeout), 2 times "
                      "(lock_retries: 1)"));
  // The session still sitting on the lock is named.
  CHECK_THAT(r.err, Contains("AccessExclusiveLock on t_locked"));
  CHECK_THAT(r.err, Contains("(the step was rolled back)"));
  holder.release();
  CHECK(db.version() == V{"a1"});
  CHECK(db.tables() == V{"t_a1", "t_locked"});
  CHECK(db.rows("SELECT count(*) FROM information_schema.columns WHERE table_name = 't_locked' "
                "AND column_name = 'note'") == V{"0"});
  CHECK(db.history_count("revision = 'b2'") == 0);
}

TEST_CASE("pg: a revision's lock_timeout header overrides migrate.yaml",
          "[e2e][postgres][locking]") {
  TempPgDatabase db;
  e2e::Project p;
  // migrate.yaml would wait a minute, with no retries.
  e2e::add_config(p, "lock_timeout: 1min\nlock_retries: 0\n");
  db.exec("CREATE TABLE t_locked (id integer)");
  p.add({"a1", {}, "SELECT count(*) FROM t_locked;", "", {}, {}, "lock_timeout: 100ms"});
  e2e::LockHolder holder(db, "t_locked");
  auto r = e2e::run_pg(p, db, {"upgrade", "head"});
  INFO(r.err);
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("waited 100ms for a lock on table \"t_locked\" (lock_timeout), 1 time "
                             "(lock_retries: 0)"));
  CHECK_THAT(r.err, !Contains("retry"));
  holder.release();
  // The tables were to come with the first step's transaction: gone with it.
  CHECK(db.rows("SELECT count(*) FROM pg_tables WHERE tablename = 'migrate_version'") == V{"0"});
  CHECK(db.version().empty());
}

TEST_CASE("pg: a non-transactional step that hits lock_timeout is not retried",
          "[e2e][postgres][locking]") {
  TempPgDatabase db;
  e2e::Project p;
  e2e::add_config(p, "lock_timeout: 100ms\nlock_retries: 3\n");
  db.exec("CREATE TABLE t_locked (id integer)");
  p.add({"a1",
         {},
         "CREATE TABLE IF NOT EXISTS t_first (id integer);\n"
         "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_locked_id ON t_locked (id);",
         "",
         {},
         {},
         "transactional: false"});
  e2e::LockHolder holder(db, "t_locked");
  auto r = e2e::run_pg(p, db, {"upgrade", "head"});
  INFO(r.err);
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, !Contains("retry 1/"));
  CHECK_THAT(r.err, Contains(p.rev_path("a1") + ":11: step a1 (upgrade) failed"));
  CHECK_THAT(r.err, Contains("a lock on table \"t_locked\""));
  CHECK_THAT(r.err, Contains("is never retried"));
  holder.release();
  // The statement before the failing one ran and stays; the step is on
  // record as failed.
  CHECK(db.tables() == V{"t_first", "t_locked"});
  CHECK(db.version().empty());
  CHECK(db.history_count("revision = 'a1' AND status = 'failed'") == 1);
  // Once the lock is gone, a rerun of the same file completes.
  auto again = e2e::run_pg(p, db, {"upgrade", "head"});
  INFO(again.err);
  CHECK_THAT(again, ExitedWith(0));
  CHECK(db.version() == V{"a1"});
  CHECK(db.rows("SELECT count(*) FROM pg_indexes WHERE indexname = 't_locked_id'") == V{"1"});
}

TEST_CASE("pg: statement_timeout stops a long statement and rolls the step back",
          "[e2e][postgres][locking]") {
  TempPgDatabase db;
  e2e::Project p;
  e2e::add_config(p, "statement_timeout: 300ms\n");
  p.add({"a1", {}, "CREATE TABLE t_slow (id integer);\nSELECT pg_sleep(5);", "DROP TABLE t_slow;"});
  auto r = e2e::run_pg(p, db, {"upgrade", "head"});
  INFO(r.err);
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains(p.rev_path("a1") +
                             ":10: step a1 (upgrade) failed: canceling statement due to statement "
                             "timeout"));
  CHECK_THAT(r.err, Contains("in: SELECT pg_sleep(5)"));
  CHECK_THAT(r.err, Contains("statement_timeout is 300ms"));
  CHECK(db.tables().empty());
  CHECK(db.version().empty());

  // The header gives this revision more time than migrate.yaml does.
  p.add({"a1",
         {},
         "CREATE TABLE t_slow (id integer);\nSELECT pg_sleep(0.5);",
         "DROP TABLE t_slow;",
         {},
         {},
         "statement_timeout: 10s"});
  r = e2e::run_pg(p, db, {"upgrade", "head"});
  INFO(r.err);
  CHECK_THAT(r, ExitedWith(0));
  CHECK(db.tables() == V{"t_slow"});
}

TEST_CASE("pg: offline --sql sets the timeouts per step and still runs in psql",
          "[e2e][postgres][locking]") {
  TempPgDatabase db;
  e2e::Project p;
  e2e::add_config(p, "lock_timeout: 3s\nstatement_timeout: 1min\n");
  p.add_table_rev("a1", {});
  p.add({"b2",
         {"a1"},
         "CREATE TABLE t_b2 (id integer);",
         "DROP TABLE t_b2;",
         {},
         {},
         "lock_timeout: 100ms"});
  p.add({"c3",
         {"b2"},
         "CREATE INDEX CONCURRENTLY t_b2_id ON t_b2 (id);",
         "DROP INDEX t_b2_id;",
         {},
         {},
         "transactional: false"});
  auto sql = e2e::run_pg(p, db, {"upgrade", "heads", "--sql"});
  INFO(sql.err);
  REQUIRE_THAT(sql, ExitedWith(0));
  INFO(sql.out);
  CHECK_THAT(
      sql.out,
      Contains("BEGIN;\nSET LOCAL lock_timeout = '3s';\nSET LOCAL statement_timeout = '1min';\n"
               "CREATE TABLE t_a1"));
  CHECK_THAT(sql.out,
             Contains("BEGIN;\nSET LOCAL lock_timeout = '100ms';\nSET LOCAL statement_timeout = "
                      "'1min';\nCREATE TABLE t_b2"));
  // Outside a transaction: SET, then RESET after the step.
  CHECK_THAT(sql.out,
             Contains("SET lock_timeout = '3s';\nSET statement_timeout = '1min';\nCREATE INDEX "
                      "CONCURRENTLY"));
  CHECK_THAT(sql.out, Contains("RESET lock_timeout;\nRESET statement_timeout;\n"));

  testsupport::write_file(p.path("up.sql"), sql.out);
  auto psql = testsupport::run_program(
      p.dir.path(), {"psql", db.url(), "-q", "-v", "ON_ERROR_STOP=1", "-f", "up.sql"});
  INFO(psql.err);
  REQUIRE_THAT(psql, ExitedWith(0));
  CHECK(db.version() == V{"c3"});
  CHECK(db.tables() == V{"t_a1", "t_b2"});
}

TEST_CASE("pg: --wait on a port where nothing listens gives up, naming the server",
          "[e2e][postgres][wait]") {
  e2e::Project p;
  const int port = e2e::free_port();
  const std::string url =
      "postgresql://postgres:not-this-secret@127.0.0.1:" + std::to_string(port) + "/appdb";

  // Without --wait: one try, no waiting line.
  auto once = p.run({"--url", url, "current"});
  CHECK_THAT(once, ExitedWith(1));
  CHECK_THAT(once.err, !Contains("waiting for the database"));

  auto r = p.run({"--url", url, "--wait=1s", "current"});
  INFO(r.err);
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("waiting for the database at 127.0.0.1:" + std::to_string(port) +
                             "/appdb (up to 1 s) ..."));
  CHECK_THAT(r.err, Contains("port " + std::to_string(port)));
  CHECK_THAT(r.err, Contains("database appdb"));
  CHECK_THAT(r.err, Contains("gave up after waiting"));
  CHECK_THAT(r.err + r.out, !Contains("not-this-secret"));

  // wait_timeout in migrate.yaml asks for waiting too.
  e2e::add_config(p, "wait_timeout: 500ms\n");
  auto cfg = p.run({"--url", url, "current"});
  CHECK_THAT(cfg, ExitedWith(1));
  CHECK_THAT(cfg.err, Contains("waiting for the database at 127.0.0.1:" + std::to_string(port)));
  // A bare --wait (before or after the command) waits up to wait_timeout.
  auto bare = p.run({"--url", url, "current", "--wait"});
  CHECK_THAT(bare, ExitedWith(1));
  CHECK_THAT(bare.err, Contains("/appdb (up to 0.5 s) ..."));

  // A bare number is ambiguous; a bad --wait is a usage error.
  CHECK_THAT(p.run({"--url", url, "--wait=30", "current"}), ExitedWith(2));
}

TEST_CASE("pg: --wait connects once the server comes up", "[e2e][postgres][wait]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add_table_rev("a1", {});
  migrate::config::DatabaseUrl real = migrate::config::parse_database_url(db.url());
  const int port = e2e::free_port();
  // The same database, reached through a port that opens 1.5 s from now.
  std::string late_url = db.url();
  late_url.replace(late_url.find(":" + real.port + "/"), real.port.size() + 1,
                   ":" + std::to_string(port));
  e2e::TcpProxy proxy(port, std::stoi(real.port), std::chrono::milliseconds(1500));
  auto r = p.run({"--url", late_url, "--wait=30s", "upgrade", "head"});
  INFO(r.err);
  CHECK_THAT(r, ExitedWith(0));
  CHECK_THAT(r.err, Contains("waiting for the database at 127.0.0.1:" + std::to_string(port) + "/" +
                             db.name()));
  CHECK(db.version() == V{"a1"});
}

TEST_CASE("pg: migrate killed in the middle of a step leaves the step undone",
          "[e2e][postgres][kill]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add_table_rev("a1", {});
  // Sleeps only while the marker table exists, so the same file completes
  // once the test drops the marker.
  p.add({"b2",
         {"a1"},
         "CREATE TABLE t_b2 (id integer);\n"
         "SELECT pg_sleep(CASE WHEN to_regclass('marker') IS NULL THEN 0 ELSE 30 END);",
         "DROP TABLE t_b2;"});
  REQUIRE_THAT(e2e::run_pg(p, db, {"upgrade", "a1"}), ExitedWith(0));
  db.exec("CREATE TABLE marker ()");

  {
    BackgroundMigrate child(p.path("migrate.yaml"), p.path("child"),
                            {"--url", db.url(), "upgrade", "head"});
    const std::string sleeping =
        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(CASE%' "
        "AND state = 'active' AND datname = current_database() AND pid <> pg_backend_pid()";
    bool seen = false;
    for (int i = 0; i < 300 && !seen; ++i) {  // up to 30 s
      seen = db.rows(sleeping) == V{"1"};
      if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    INFO(child.err());
    REQUIRE(seen);
    child.kill_now();
    CHECK(child.wait() == 128 + SIGKILL);
    // The server notices the lost client (client_connection_check_interval)
    // and ends the backend, rolling the step back.
    bool gone = false;
    for (int i = 0; i < 200 && !gone; ++i) {  // up to 20 s
      gone = db.rows(sleeping) == V{"0"};
      if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(gone);
  }
  CHECK(db.rows("SELECT to_regclass('t_b2') IS NULL") == V{"t"});
  CHECK(db.version() == V{"a1"});
  CHECK(db.history_count("revision = 'b2'") == 0);

  // The run lock died with the session: a new run goes through.
  db.exec("DROP TABLE marker");
  auto r = e2e::run_pg(p, db, {"upgrade", "head"});
  INFO(r.err);
  CHECK_THAT(r, ExitedWith(0));
  CHECK(db.version() == V{"b2"});
  CHECK(db.tables() == V{"t_a1", "t_b2"});
}
