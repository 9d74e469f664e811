// End to end on the private PostgreSQL server: several transactional steps
// sent in one message. Each step must stay its own transaction with its own
// history row and timing; a failure part-way keeps the steps before it and
// starts none after it; a lock timeout retries from the step that hit it; a
// non-transactional step splits the run; and the run costs a round trip per
// batch, not per step (counted by a proxy); a connection lost part-way
// leaves the committed steps and says which steps were in flight. Server
// errors libpqxx throws as other exception types (a deadlock, dblink's
// class 08), a step that runs RESET ALL, and a message the server cannot
// parse keep all of that true. Fails (never skips) when
// MIGRATE_TEST_PG_URL is not set.
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "e2e/pg_fixture.h"
#include "e2e/pg_session_helpers.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using e2e::TempPgDatabase;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

std::string rid(int i) { return fmt::format("r{:03}", i); }

// A chain r001 -> r002 -> ... -> r<n>, each creating table t_r<i>.
void add_chain(const e2e::Project& p, int n) {
  for (int i = 1; i <= n; ++i) p.add_table_rev(rid(i), i == 1 ? V{} : V{rid(i - 1)});
}

int count_lines_with(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++n;
  return n;
}

}  // namespace

TEST_CASE("pg: a long run of small steps takes a round trip per batch, not per step",
          "[e2e][postgres][batch]") {
  TempPgDatabase db;
  e2e::Project p;
  const int n = 120;
  add_chain(p, n);
  migrate::config::DatabaseUrl real = migrate::config::parse_database_url(db.url());
  const int port = e2e::free_port();
  std::string url = db.url();
  url.replace(url.find(":" + real.port + "/"), real.port.size() + 1, ":" + std::to_string(port));
  e2e::TcpProxy proxy(port, std::stoi(real.port));
  proxy.wait_listening();

  auto r = p.run({"--url", url, "upgrade", "head"});
  INFO(r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  const long run_turns = proxy.client_turns();
  // The same command with nothing to do: connecting, the run lock, reading
  // the version table and the history.
  REQUIRE_THAT(p.run({"--url", url, "upgrade", "head"}), ExitedWith(0));
  const long setup_turns = proxy.client_turns() - run_turns;
  // The 120 steps take three messages (50 + 50 + 20), and the upgrade
  // gate's server facts one (cli/lint_gate.h); at one step per message they
  // would take 120, at 10 per message 12.
  INFO("client turns: " << run_turns << ", of which setting up about " << setup_turns);
  CHECK(run_turns - setup_turns <= 4);
  CHECK(db.version() == V{rid(n)});
  CHECK(count_lines_with(r.out, "Running upgrade") == n);
  CHECK_THAT(r.out, Contains("Running upgrade r119 -> r120"));
  // One transaction and one history row per step, in plan order.
  CHECK(db.history_count("status = 'ok' AND direction = 'upgrade'") == n);
  auto order = db.rows("SELECT revision FROM migrate_history ORDER BY id");
  REQUIRE(order.size() == static_cast<std::size_t>(n));
  for (int i = 1; i <= n; ++i) CHECK(order[i - 1] == rid(i));
  CHECK(db.rows("SELECT count(DISTINCT xmin::text) FROM migrate_history") == V{std::to_string(n)});
}

TEST_CASE("pg: steps in one message keep their own start time and duration",
          "[e2e][postgres][batch]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add({"a2", {"a1"}, "SELECT pg_sleep(0.4);", "SELECT 1;"});
  p.add_table_rev("a3", {"a2"});
  auto r = e2e::run_pg(p, db, {"upgrade", "head"});
  INFO(r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  // The server gives every transaction of a message the message's arrival
  // as now(): a step timed from now() would include the steps before it.
  CHECK(db.rows("SELECT revision, duration_ms >= 400, duration_ms < 300 FROM migrate_history "
                "ORDER BY id") == V{"a1|f|t", "a2|t|f", "a3|f|t"});
  CHECK(db.rows("SELECT (SELECT started_at FROM migrate_history WHERE revision = 'a3') - "
                "(SELECT started_at FROM migrate_history WHERE revision = 'a2') >= interval "
                "'400 ms'") == V{"t"});
  // The progress line shows the same duration.
  CHECK_THAT(r.out, Contains("Running upgrade a1 -> a2, rev a2  (4"));
}

TEST_CASE("pg: a failure part-way through a message keeps the steps before it, runs none after",
          "[e2e][postgres][batch]") {
  TempPgDatabase db;
  e2e::Project p;
  add_chain(p, 54);
  // The upgrade section starts on line 9: the failing INSERT is on line 10.
  p.add({rid(55),
         {rid(54)},
         "CREATE TABLE t_r055 (id integer);\nINSERT INTO nope VALUES (1);",
         "DROP TABLE t_r055;"});
  for (int i = 56; i <= 60; ++i) p.add_table_rev(rid(i), {rid(i - 1)});

  auto r = e2e::run_pg(p, db, {"upgrade", "head"});
  INFO(r.err);
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains(p.rev_path("r055") +
                             ":10: step r055 (upgrade) failed: relation \"nope\" does not exist"));
  CHECK_THAT(r.err, Contains("the step was rolled back"));
  // 54 steps committed (the first message's 50 and four of the second's)
  // and were reported; r055 rolled back whole; r056 never started.
  CHECK(db.version() == V{rid(54)});
  CHECK(db.history_count() == 54);
  CHECK(count_lines_with(r.out, "Running upgrade") == 54);
  CHECK_THAT(r.out, Contains("Running upgrade r053 -> r054"));
  CHECK(db.rows("SELECT to_regclass('t_r054') IS NOT NULL, to_regclass('t_r055') IS NULL, "
                "to_regclass('t_r056') IS NULL") == V{"t|t|t"});

  // Fixed, the run goes on from r055.
  p.add({rid(55), {rid(54)}, "CREATE TABLE t_r055 (id integer);", "DROP TABLE t_r055;"});
  auto again = e2e::run_pg(p, db, {"upgrade", "head"});
  INFO(again.err);
  REQUIRE_THAT(again, ExitedWith(0));
  CHECK(count_lines_with(again.out, "Running upgrade") == 6);
  CHECK(db.version() == V{rid(60)});
  CHECK(db.history_count() == 60);

  // And all the way down again, in batches too.
  auto down = e2e::run_pg(p, db, {"downgrade", "base"});
  INFO(down.err);
  REQUIRE_THAT(down, ExitedWith(0));
  CHECK(count_lines_with(down.out, "Running downgrade") == 60);
  CHECK(db.version().empty());
  CHECK(db.tables().empty());
}

TEST_CASE("pg: a lock timeout in the middle of a message retries from that step",
          "[e2e][postgres][batch][locking]") {
  TempPgDatabase db;
  e2e::Project p;
  e2e::add_config(p, "lock_timeout: 200ms\nlock_retries: 5\n");
  db.exec("CREATE TABLE t_locked (id integer)");
  p.add_table_rev("a1", {});
  p.add_table_rev("a2", {"a1"});
  p.add({"a3",
         {"a2"},
         "ALTER TABLE t_locked ADD COLUMN note text;",
         "ALTER TABLE t_locked DROP note;"});
  p.add_table_rev("a4", {"a3"});

  // Released one second after migrate is seen waiting for the lock.
  e2e::LockHolder holder(db, "t_locked", std::chrono::milliseconds(1000));
  auto r = e2e::run_pg(p, db, {"upgrade", "head"});
  holder.release();
  INFO(r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.err, Contains("step a3 (upgrade): waited 200ms for a lock on table \"t_locked\" "
                             "(lock_timeout); retry 1/5 in "));
  CHECK_THAT(r.err, !Contains("step a1"));
  CHECK_THAT(r.err, !Contains("step a2"));
  // Every step ran exactly once, in order; a1 and a2 were not sent again.
  CHECK(db.rows("SELECT revision FROM migrate_history ORDER BY id") == V{"a1", "a2", "a3", "a4"});
  CHECK(db.version() == V{"a4"});
  CHECK(count_lines_with(r.out, "Running upgrade") == 4);
}

TEST_CASE("pg: a non-transactional step between transactional ones runs on its own",
          "[e2e][postgres][batch]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("a2", {"a1"});
  p.add({"a3",
         {"a2"},
         "CREATE INDEX CONCURRENTLY t_a2_id ON t_a2 (id);",
         "DROP INDEX CONCURRENTLY t_a2_id;",
         {},
         {},
         "transactional: false"});
  p.add_table_rev("a4", {"a3"});
  p.add_table_rev("a5", {"a4"});
  auto r = e2e::run_pg(p, db, {"upgrade", "head"});
  INFO(r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(db.rows("SELECT revision, status FROM migrate_history ORDER BY id") ==
        V{"a1|ok", "a2|ok", "a3|ok", "a4|ok", "a5|ok"});
  CHECK(db.rows("SELECT indexname FROM pg_indexes WHERE indexname = 't_a2_id'") == V{"t_a2_id"});
  CHECK(db.tables() == V{"t_a1", "t_a2", "t_a4", "t_a5"});
}

TEST_CASE(
    "pg: a later step the server would refuse in a transaction stops the run before any "
    "step runs",
    "[e2e][postgres][batch]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add({"a2", {"a1"}, "CREATE INDEX CONCURRENTLY t_a1_id ON t_a1 (id);", "SELECT 1;"});
  auto r = e2e::run_pg(p, db, {"upgrade", "head"});
  INFO(r.err);
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err,
             Contains(p.rev_path("a2") + ":9: CREATE INDEX CONCURRENTLY cannot run inside a "));
  CHECK_THAT(r.err, Contains("transactional: false"));
  CHECK(db.version().empty());
  CHECK(db.tables().empty());
  CHECK(r.out.empty());
}

TEST_CASE("pg: a connection lost in the middle of a message keeps what committed and says so",
          "[e2e][postgres][batch]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add(
      {"a2", {"a1"}, "CREATE TABLE t_a2 (id integer);\nSELECT pg_sleep(20);", "DROP TABLE t_a2;"});
  p.add_table_rev("a3", {"a2"});

  // Another session ends migrate's backend while a2 sleeps.
  std::atomic<bool> terminated{false};
  std::thread killer([&] {
    pqxx::connection c(db.url());
    for (int i = 0; i < 400 && !terminated; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      pqxx::nontransaction q(c);
      // (Found by what it waits for: pg_stat_activity keeps only the
      // start of a long message's text.)
      terminated = q.exec(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                        "wait_event = 'PgSleep' AND datname = current_database()")
                       .size() == 1;
    }
  });
  auto r = e2e::run_pg(p, db, {"upgrade", "head"});
  killer.join();
  INFO(r.err);
  REQUIRE(terminated);
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("lost the connection to the server: the server closed it"));
  // a1's COMMIT reached migrate before a2 started (the NOTICE between
  // steps flushes it), so it is reported; a2 and a3 are unknown.
  CHECK_THAT(r.err, Contains("steps a2 to a3 were sent together"));
  CHECK_THAT(r.err, Contains("1 step of this run committed before it and stays applied: a1"));
  // a1 committed before the message reached a2; a2 rolled back whole.
  CHECK(db.version() == V{"a1"});
  CHECK(db.tables() == V{"t_a1"});

  p.add({"a2", {"a1"}, "CREATE TABLE t_a2 (id integer);", "DROP TABLE t_a2;"});
  auto again = e2e::run_pg(p, db, {"upgrade", "head"});
  INFO(again.err);
  CHECK_THAT(again, ExitedWith(0));
  CHECK(db.version() == V{"a3"});
  CHECK(db.history_count() == 3);
}

TEST_CASE("pg: a step chosen to break a deadlock is retried", "[e2e][postgres][batch][locking]") {
  TempPgDatabase db;
  e2e::Project p;
  // Longer than deadlock_timeout (1 s), so the deadlock is found first.
  e2e::add_config(p, "lock_timeout: 10s\nlock_retries: 3\n");
  db.exec("CREATE TABLE t_x (id integer); CREATE TABLE t_y (id integer)");
  p.add_table_rev("a1", {});
  p.add({"a2",
         {"a1"},
         "LOCK TABLE t_y IN ACCESS EXCLUSIVE MODE;\nSELECT pg_sleep(0.3);\n"
         "LOCK TABLE t_x IN ACCESS EXCLUSIVE MODE;",
         "SELECT 1;"});
  p.add_table_rev("a3", {"a2"});

  // Another session takes t_x, waits for migrate to hold t_y and wait for
  // t_x, then asks for t_y: a deadlock, which the server breaks by rolling
  // back migrate's step (its wait began first). The session then commits.
  std::atomic<bool> done{false};
  std::thread other([&] {
    pqxx::connection c(db.url());
    pqxx::connection watcher(db.url());
    pqxx::work tx(c);
    tx.exec("LOCK TABLE t_x IN ACCESS EXCLUSIVE MODE");
    for (int i = 0; i < 400; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
      pqxx::nontransaction q(watcher);
      if (!q.exec("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = "
                  "current_database()")
               .empty())
        break;
    }
    // Well after migrate's wait began, so that its deadlock check (after
    // deadlock_timeout) runs first and picks migrate's step.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    try {
      tx.exec("LOCK TABLE t_y IN ACCESS EXCLUSIVE MODE");
      tx.commit();
    } catch (const std::exception&) {
      // Had the server picked this session instead, migrate goes on at once.
    }
    done = true;
  });
  auto r = e2e::run_pg(p, db, {"upgrade", "head"});
  other.join();
  INFO(r.err);
  REQUIRE(done);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.err, Contains("step a2 (upgrade): deadlocked with another session over a lock on "
                             "table \"t_x\" (the server rolled the step back); retry 1/3 in "));
  CHECK(db.rows("SELECT revision FROM migrate_history ORDER BY id") == V{"a1", "a2", "a3"});
  CHECK(db.version() == V{"a3"});
}

TEST_CASE("pg: a server error libpqxx reports as a broken connection is a step failure",
          "[e2e][postgres][batch]") {
  TempPgDatabase db;
  e2e::Project p;
  db.exec("CREATE EXTENSION dblink");
  const int port = e2e::free_port();
  p.add_table_rev("a1", {});
  p.add_table_rev("a2", {"a1"});
  // dblink raises SQLSTATE 08001 for the remote server it cannot reach;
  // this connection is fine. Line 10 of the file.
  p.add({"a3",
         {"a2"},
         "CREATE TABLE t_a3 (id integer);\nSELECT dblink_connect('host=127.0.0.1 port=" +
             std::to_string(port) + " dbname=x connect_timeout=2');",
         "DROP TABLE t_a3;"});
  auto r = e2e::run_pg(p, db, {"upgrade", "head"});
  INFO(r.err);
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err,
             Contains(p.rev_path("a3") + ":10: step a3 (upgrade) failed: could not establish "
                                         "connection"));
  CHECK_THAT(r.err, Contains("the step was rolled back"));
  CHECK_THAT(r.err, !Contains("lost the connection"));
  // a1 and a2 committed in the same message, and were reported.
  CHECK(count_lines_with(r.out, "Running upgrade") == 2);
  CHECK(db.version() == V{"a2"});
  CHECK(db.tables() == V{"t_a1", "t_a2"});
}

TEST_CASE("pg: a step may RESET ALL", "[e2e][postgres][batch]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add({"a2",
         {"a1"},
         "SET work_mem = '8MB';\nRESET ALL;\nCREATE TABLE t_a2 (id integer);",
         "DROP TABLE t_a2;"});
  p.add_table_rev("a3", {"a2"});
  auto r = e2e::run_pg(p, db, {"upgrade", "head"});
  INFO(r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(db.version() == V{"a3"});
  CHECK(db.rows("SELECT revision, duration_ms >= 0 FROM migrate_history ORDER BY id") ==
        V{"a1|t", "a2|t", "a3|t"});
}

TEST_CASE("pg: when the server cannot parse a message, the failing step's own error is shown",
          "[e2e][postgres][batch]") {
  TempPgDatabase db;
  e2e::Project p;
  // With standard_conforming_strings off, the server reads '\\' in 'C:\\'
  // as an escape, while libpg_query (which split the steps) does not: the
  // server cannot parse a message holding a3, and libpqxx then runs the
  // statements one by one.
  db.exec("ALTER DATABASE " + db.name() + " SET standard_conforming_strings = off");
  p.add_table_rev("a1", {});
  p.add({"a2",
         {"a1"},
         "CREATE TABLE t_a2 (id integer);\nINSERT INTO nope VALUES (1);",
         "DROP TABLE t_a2;"});
  p.add({"a3", {"a2"}, "SELECT 'C:\\';", "SELECT 1;"});
  auto r = e2e::run_pg(p, db, {"upgrade", "head"});
  INFO(r.err);
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains(p.rev_path("a2") +
                             ":10: step a2 (upgrade) failed: relation \"nope\" does not exist"));
  CHECK(db.version() == V{"a1"});
  CHECK(db.tables() == V{"t_a1"});

  // With a2 fixed, a3 fails on its own text, and a2 stays applied.
  p.add({"a2", {"a1"}, "CREATE TABLE t_a2 (id integer);", "DROP TABLE t_a2;"});
  auto again = e2e::run_pg(p, db, {"upgrade", "head"});
  INFO(again.err);
  CHECK_THAT(again, ExitedWith(1));
  CHECK_THAT(again.err, Contains(p.rev_path("a3") + ":9: step a3 (upgrade) failed: "));
  CHECK(db.version() == V{"a2"});
}
