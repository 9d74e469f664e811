// End to end through a real PgBouncer in transaction pooling mode, started
// by scripts/test.sh (scripts/pgbouncer.sh) in front of the private server:
// why a session advisory lock cannot be the run lock there, that migrate
// recognizes the pooler and takes its lease lock instead, that concurrent
// runners apply every step once, that a killed runner's lock frees after
// its lease, that the lease is renewed through a long non-transactional
// step, and that a run whose lock was taken over stops at its next
// transaction. Fails (never skips) when MIGRATE_TEST_PGBOUNCER_URL is not set.
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <future>
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

namespace {

// The test database, reached through PgBouncer.
std::string bouncer_url(const TempPgDatabase& db) {
  const char* u = std::getenv("MIGRATE_TEST_PGBOUNCER_URL");
  REQUIRE(u != nullptr);  // scripts/test.sh starts PgBouncer (scripts/pgbouncer.sh)
  return migrate::config::parse_database_url(u).with_dbname(db.name());
}

testsupport::RunResult run_bouncer(const e2e::Project& p, const TempPgDatabase& db,
                                   std::vector<std::string> args) {
  args.insert(args.begin(), {"--url", bouncer_url(db)});
  return p.run(args);
}

// Polls `sql` on the test database (directly) until it returns `want`, for
// up to 30 s.
bool wait_for(const TempPgDatabase& db, const std::string& sql, const V& want) {
  for (int i = 0; i < 300; ++i) {
    if (db.rows(sql) == want) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// A step of the test database in its pg_sleep (the statement text in
// pg_stat_activity is the whole message, cut at 1 kB: not searched).
const char* const kSleeping =
    "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = "
    "current_database()";

}  // namespace

TEST_CASE("pg pooler: through PgBouncer a session advisory lock is taken twice and left behind",
          "[e2e][postgres][pooler]") {
  // What migrate's default run lock would do there, shown on the server:
  // the two clients' statements run in one pooled server session, so both
  // "hold" the lock, and it stays after both have gone.
  TempPgDatabase db;
  const std::string url = bouncer_url(db);
  {
    pqxx::connection a(url), b(url);
    pqxx::nontransaction ta(a);
    pqxx::row ra = ta.exec1("SELECT pg_try_advisory_lock(4242), pg_backend_pid()");
    ta.commit();
    pqxx::nontransaction tb(b);
    pqxx::row rb = tb.exec1("SELECT pg_try_advisory_lock(4242), pg_backend_pid()");
    tb.commit();
    CHECK(ra[0].as<bool>());
    CHECK(rb[0].as<bool>());  // a second holder: the lock excludes nobody
    CHECK(ra[1].as<int>() == rb[1].as<int>());
    // What migrate recognizes the pooler by: the process id announced at
    // connect is PgBouncer's own, not the server's.
    CHECK(a.backendpid() != ra[1].as<int>());
  }
  // Both clients are gone; the lock is still held, by a pooled session.
  CHECK(db.rows("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND "
                "database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND "
                "granted") == V{"1"});
}

TEST_CASE("pg pooler: concurrent runners through PgBouncer apply every step exactly once",
          "[e2e][postgres][pooler]") {
  TempPgDatabase db;
  e2e::Project p;
  // Each step logs itself and takes a moment, so the runners overlap.
  p.add({"a1", {}, "CREATE TABLE t_log (rev text NOT NULL);", "DROP TABLE t_log;"});
  std::string prev = "a1";
  for (const char* id : {"b2", "c3", "d4", "e5"}) {
    p.add({id,
           {prev},
           std::string("INSERT INTO t_log VALUES ('") + id + "'); SELECT pg_sleep(0.2);",
           std::string("DELETE FROM t_log WHERE rev = '") + id + "';"});
    prev = id;
  }
  // Outside a transaction: a second run of it would fail (the index exists).
  p.add({"f6",
         {"e5"},
         "CREATE INDEX CONCURRENTLY t_log_rev ON t_log (rev);\nINSERT INTO t_log VALUES ('f6');",
         "DROP INDEX CONCURRENTLY t_log_rev;",
         {},
         {},
         "transactional: false"});

  constexpr int kRunners = 4;
  std::vector<std::future<testsupport::RunResult>> runs;
  for (int i = 0; i < kRunners; ++i)
    runs.push_back(std::async(std::launch::async, [&] {
      return run_bouncer(p, db, {"upgrade", "head", "--lock-wait", "60s"});
    }));
  int waited = 0;
  for (auto& f : runs) {
    testsupport::RunResult r = f.get();
    INFO(r.err);
    CHECK_THAT(r, ExitedWith(0));
    // Recognized without being told (no `pooler:` in migrate.yaml).
    CHECK_THAT(r.err, Contains("is reached through a connection pooler"));
    if (r.err.find("waiting for another migrate run to finish") != std::string::npos) ++waited;
  }
  CHECK(waited >= 1);
  CHECK(db.rows("SELECT rev, count(*) FROM t_log GROUP BY rev ORDER BY rev") ==
        V{"b2|1", "c3|1", "d4|1", "e5|1", "f6|1"});
  CHECK(db.rows("SELECT revision, count(*) FROM migrate_history WHERE direction = 'upgrade' "
                "GROUP BY revision ORDER BY revision") ==
        V{"a1|1", "b2|1", "c3|1", "d4|1", "e5|1", "f6|1"});
  CHECK(db.version() == V{"f6"});
  // Every runner gave its lock back.
  CHECK(db.rows("SELECT count(*) FROM migrate_run_lock") == V{"0"});
  // No session advisory lock was left in the pooled sessions of this
  // database (pg_locks is the whole server's: other tests run beside this).
  CHECK(db.rows("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND "
                "database = (SELECT oid FROM pg_database WHERE datname = current_database())") ==
        V{"0"});
}

TEST_CASE("pg pooler: a runner killed holding the lock frees it after its lease",
          "[e2e][postgres][pooler]") {
  TempPgDatabase db;
  e2e::Project p;
  e2e::add_config(p, "pooler: transaction\nrun_lock_lease: 2s\n");
  db.exec("CREATE TABLE t_flag (id integer)");
  // Sleeps while t_flag exists: the first runner is killed in it, the
  // second finds it gone.
  p.add({"a1",
         {},
         "SELECT pg_sleep(CASE WHEN to_regclass('t_flag') IS NULL THEN 0 ELSE 30 END);\n"
         "CREATE TABLE t_a1 (id integer);",
         "DROP TABLE t_a1;"});
  {
    BackgroundMigrate first(p.path("migrate.yaml"), p.path("first"),
                            {"--url", bouncer_url(db), "upgrade", "head"});
    REQUIRE(wait_for(db, kSleeping, V{"1"}));
    first.kill_now();
    CHECK(first.wait() == 128 + SIGKILL);
  }
  db.exec("DROP TABLE t_flag");
  // Its row stays until the lease runs out.
  CHECK(db.rows("SELECT count(*) FROM migrate_run_lock") == V{"1"});
  auto r = run_bouncer(p, db, {"upgrade", "head", "--lock-wait", "30s"});
  INFO(r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.err, Contains("waiting for another migrate run to finish"));
  CHECK_THAT(r.err, Contains("its lease ends in"));
  CHECK(db.version() == V{"a1"});
  CHECK(db.history_count("revision = 'a1'") == 1);
  CHECK(db.rows("SELECT count(*) FROM migrate_run_lock") == V{"0"});
}

TEST_CASE("pg pooler: the lease is renewed through a long non-transactional step",
          "[e2e][postgres][pooler]") {
  // A step outside a transaction holds no row lock: only the renewals keep
  // a second runner (here started well after the lease would have run out)
  // from taking the lock and running the step again.
  TempPgDatabase db;
  e2e::Project p;
  e2e::add_config(p, "pooler: transaction\nrun_lock_lease: 1s\n");
  p.add({"a1",
         {},
         "SELECT pg_sleep(3);\nCREATE TABLE t_a1 (id integer);",
         "DROP TABLE t_a1;",
         {},
         {},
         "transactional: false"});
  BackgroundMigrate first(p.path("migrate.yaml"), p.path("first"),
                          {"--url", bouncer_url(db), "upgrade", "head"});
  REQUIRE(wait_for(db, kSleeping, V{"1"}));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto second = run_bouncer(p, db, {"upgrade", "head", "--lock-wait", "30s"});
  const int first_exit = first.wait();
  INFO(first.err());
  INFO(second.err);
  CHECK(first_exit == 0);
  CHECK_THAT(second, ExitedWith(0));
  CHECK_THAT(second.err, Contains("waiting for another migrate run to finish"));
  CHECK_THAT(first.err(), Contains("step a1 (upgrade) runs outside a transaction through a "
                                   "transaction pooler"));
  CHECK(db.history_count("revision = 'a1'") == 1);
  CHECK(db.version() == V{"a1"});
}

TEST_CASE("pg pooler: a run whose lock was taken over stops at its next transaction",
          "[e2e][postgres][pooler]") {
  TempPgDatabase db;
  e2e::Project p;
  e2e::add_config(p, "pooler: transaction\n");
  p.add_table_rev("a1", {});
  // Outside a transaction, b2 waits for an advisory lock the test holds:
  // the run holds no row lock then, and the test takes its lock over.
  p.add({"b2",
         {"a1"},
         "SELECT pg_advisory_xact_lock(777);\nCREATE TABLE t_b2 (id integer);",
         "DROP TABLE t_b2;",
         {},
         {},
         "transactional: false"});
  p.add_table_rev("c3", {"b2"});
  pqxx::connection gate(db.url());
  pqxx::nontransaction gate_tx(gate);
  gate_tx.exec("SELECT pg_advisory_lock(777)");
  BackgroundMigrate run(p.path("migrate.yaml"), p.path("run"),
                        {"--url", bouncer_url(db), "upgrade", "head"});
  REQUIRE(
      wait_for(db,
               "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
               "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
               V{"1"}));
  db.exec("UPDATE migrate_run_lock SET owner = 'another run'");
  gate_tx.exec("SELECT pg_advisory_unlock(777)");
  const int exit_code = run.wait();
  INFO(run.err());
  CHECK(exit_code == 1);
  // b2's bookkeeping transaction refuses: its statements ran (outside a
  // transaction nothing can undo them), its version change is not recorded.
  CHECK_THAT(run.err(), Contains("step b2 (upgrade): this run no longer holds the run lock on "
                                 "\"public\".\"migrate_version\""));
  CHECK_THAT(run.err(), Contains("its statements ran and stay applied, but its version change "
                                 "was not recorded"));
  CHECK(db.version() == V{"a1"});
  CHECK(db.rows("SELECT count(*) FROM pg_tables WHERE tablename = 't_c3'") == V{"0"});
  CHECK(db.history_count("revision = 'c3'") == 0);
  // The lock stays the other run's.
  CHECK(db.rows("SELECT owner FROM migrate_run_lock") == V{"another run"});
}

TEST_CASE("pg pooler: pooler: session keeps the advisory lock; a bad value is refused",
          "[e2e][postgres][pooler]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add_table_rev("a1", {});
  e2e::add_config(p, "pooler: session\n");
  auto r = e2e::run_pg(p, db, {"upgrade", "head"});
  INFO(r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(db.rows("SELECT to_regclass('migrate_run_lock') IS NULL") == V{"t"});

  e2e::add_config(p, "pooler: transactions\n");
  auto bad = e2e::run_pg(p, db, {"current"});
  CHECK_THAT(bad, ExitedWith(1));
  CHECK_THAT(bad.err, Contains("`pooler` must be auto, transaction or session, not "
                               "'transactions'"));
  e2e::add_config(p, "pooler: auto\nrun_lock_lease: 500ms\n");
  auto short_lease = e2e::run_pg(p, db, {"current"});
  CHECK_THAT(short_lease, ExitedWith(1));
  CHECK_THAT(short_lease.err, Contains("`run_lock_lease` must be at least 1s"));
}

TEST_CASE("pg pooler: a target's search_path holds per transaction through PgBouncer",
          "[e2e][postgres][pooler]") {
  TempPgDatabase db;
  db.exec("CREATE SCHEMA tenant_a");
  e2e::Project p;
  // Schema per tenant, written once for the single target.
  e2e::add_config(p, "version_table_schema: tenant_a\nsearch_path: tenant_a\n");
  p.add({"a1", {}, "CREATE TABLE accounts (id integer PRIMARY KEY);", "DROP TABLE accounts;"});
  p.add({"b2", {"a1"}, "INSERT INTO accounts VALUES (1);", "DELETE FROM accounts;"});
  auto up = run_bouncer(p, db, {"upgrade", "b2"});
  INFO(up.err);
  REQUIRE_THAT(up, ExitedWith(0));
  CHECK(db.rows("SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname <> "
                "'pg_catalog' AND schemaname <> 'information_schema' ORDER BY 1") ==
        V{"tenant_a.accounts", "tenant_a.migrate_history", "tenant_a.migrate_run_lock",
          "tenant_a.migrate_version"});
  CHECK(db.rows("SELECT count(*) FROM tenant_a.accounts") == V{"1"});
  // Set for each transaction alone (SET LOCAL): the server session migrate
  // used goes back to the pool with the server's search_path, for the
  // pooler's next client (PgBouncer hands the last used one out first).
  {
    pqxx::connection c(bouncer_url(db));
    pqxx::nontransaction tx(c);
    CHECK(std::string(tx.exec("SHOW search_path")[0][0].c_str()) == "\"$user\", public");
  }

  // Outside a transaction the pooler may change server sessions between
  // statements, where nothing migrate SETs holds: refused before it runs.
  p.add({"c3",
         {"b2"},
         "CREATE INDEX CONCURRENTLY accounts_id ON accounts (id);",
         "DROP INDEX CONCURRENTLY accounts_id;",
         {},
         {},
         "transactional: false"});
  auto refused = run_bouncer(p, db, {"upgrade", "c3"});
  CHECK_THAT(refused, ExitedWith(1));
  CHECK_THAT(refused.err, Contains("step c3 (upgrade) is not transactional (transactional: false) "
                                   "and this database is reached through a transaction pooler"));
  CHECK_THAT(refused.err, Contains("step c3 (upgrade) was not run"));
  CHECK(db.rows("SELECT count(*) FROM pg_indexes WHERE indexname = 'accounts_id'") == V{"0"});
  CHECK(db.rows("SELECT version_num FROM tenant_a.migrate_version") == V{"b2"});
  CHECK(db.rows("SELECT count(*) FROM tenant_a.migrate_run_lock") == V{"0"});
  // A direct connection runs it.
  REQUIRE_THAT(e2e::run_pg(p, db, {"upgrade", "c3"}), ExitedWith(0));
  CHECK(db.rows("SELECT schemaname FROM pg_indexes WHERE indexname = 'accounts_id'") ==
        V{"tenant_a"});
}

TEST_CASE("pg pooler: a dry run through PgBouncer creates no lock table",
          "[e2e][postgres][pooler]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add_table_rev("a1", {});
  auto dry = run_bouncer(p, db, {"upgrade", "head", "--dry-run"});
  INFO(dry.err);
  CHECK_THAT(dry, ExitedWith(0));
  CHECK_THAT(dry.out, Contains("a1"));
  // A dry run leaves the database as it found it.
  CHECK(db.rows("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == V{"0"});
  // Once a real run has made the lock table, a dry run takes the lease.
  REQUIRE_THAT(run_bouncer(p, db, {"upgrade", "head"}), ExitedWith(0));
  p.add_table_rev("b2", {"a1"});
  CHECK_THAT(run_bouncer(p, db, {"upgrade", "head", "--dry-run"}), ExitedWith(0));
  CHECK(db.rows("SELECT count(*) FROM migrate_run_lock") == V{"0"});
  CHECK(db.version() == V{"a1"});
}
