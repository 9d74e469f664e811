// --max-replica-lag against a real streaming standby of the test server
// (pg_basebackup -R, started by scripts/test.sh: scripts/pg-standby.sh),
// whose replay the test pauses: an upgrade waits before its next step, and
// a backfill between its batches, until replay resumes. One test case, so
// that no two tests pause and resume the one standby at once. Fails (never
// skips) when MIGRATE_TEST_PG_STANDBY_URL is not set.
#include <chrono>
#include <cstdlib>
#include <pqxx/pqxx>
#include <thread>

#include "e2e/backfill_fixture.h"
#include "e2e/pg_fixture.h"
#include "support/background_migrate.h"
#include "support/matchers.h"
#include "test_paths.h"

using Catch::Matchers::Contains;
using e2e::TempPgDatabase;
using testsupport::BackgroundMigrate;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

// What the primary says of its standbys and slots, for a failure message:
// a lag test that sees no standby would otherwise only say that migrate
// never waited.
std::string replication_state(const TempPgDatabase& db) {
  std::string out = "pg_stat_replication (state|replay_lsn|current):";
  for (const auto& r : db.rows("SELECT state, coalesce(replay_lsn::text, 'NULL'), "
                               "pg_current_wal_lsn() FROM pg_stat_replication"))
    out += " " + r;
  out += "\npg_replication_slots (name|active|restart_lsn):";
  for (const auto& r : db.rows("SELECT slot_name, active, coalesce(restart_lsn::text, 'NULL') "
                               "FROM pg_replication_slots"))
    out += " " + r;
  return out;
}

// Whether the primary lists a standby that streams and has reported where
// its replay is (waits up to 30 s: it may be reconnecting).
bool standby_streams(const TempPgDatabase& db) {
  for (int i = 0; i < 300; ++i) {
    if (db.rows("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' AND "
                "replay_lsn IS NOT NULL") != V{"0"})
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// The standby's replay paused for the scope (resumed on every way out).
// Paused, the standby does not start a new WAL receiver if its connection
// ends: so the pause starts only once it streams.
class ReplayPause {
 public:
  explicit ReplayPause(const TempPgDatabase& primary) {
    if (!standby_streams(primary)) FAIL("no standby streams\n" << replication_state(primary));
    const char* u = std::getenv("MIGRATE_TEST_PG_STANDBY_URL");
    REQUIRE(u != nullptr);  // scripts/test.sh starts the standby (scripts/pg-standby.sh)
    conn_.emplace(u);
    pqxx::nontransaction tx(*conn_);
    tx.exec("SELECT pg_wal_replay_pause()");
  }
  ~ReplayPause() { resume(); }
  ReplayPause(const ReplayPause&) = delete;
  ReplayPause& operator=(const ReplayPause&) = delete;
  void resume() {
    if (!conn_) return;
    try {
      pqxx::nontransaction tx(*conn_);
      tx.exec("SELECT pg_wal_replay_resume()");
    } catch (...) {
    }
    conn_.reset();
  }

 private:
  std::optional<pqxx::connection> conn_;
};

}  // namespace

TEST_CASE("pg replicas: --max-replica-lag holds steps and backfill batches while a standby lags",
          "[e2e][postgres][replica]") {
  SECTION("an upgrade waits before its next step") {
    TempPgDatabase db;
    e2e::Project p;
    p.add_table_rev("a1", {});
    p.add_table_rev("b2", {"a1"});
    p.add_table_rev("c3", {"b2"});
    ReplayPause pause(db);
    BackgroundMigrate run(p.path("migrate.yaml"), p.path("run"),
                          {"--url", db.url(), "upgrade", "head", "--max-replica-lag", "300ms"});
    // a1 ran (nothing waits before the first step); the standby has not
    // replayed it, and after 300 ms that is too far behind.
    if (!run.said("migrate: waiting before step b2 (upgrade): a standby's replay lag is "))
      FAIL("migrate did not wait for the standby\n" << run.err() << replication_state(db));
    CHECK_THAT(run.err(), Contains("(over --max-replica-lag 300ms)"));
    CHECK(db.version() == V{"a1"});
    pause.resume();
    const int exit_code = run.wait();
    INFO(run.err());
    CHECK(exit_code == 0);
    CHECK(db.version() == V{"c3"});
    CHECK(db.history_count() == 3);
  }
  SECTION("a backfill waits between its batches") {
    TempPgDatabase db;
    e2e::Project p;
    p.add({"a1",
           {},
           "CREATE TABLE t (id bigint PRIMARY KEY, old int, new int);\n"
           "INSERT INTO t SELECT i, i FROM generate_series(1, 2000) i;",
           "DROP TABLE t;"});
    e2e::add_backfill_rev(
        p, "b2", "a1", {"table: public.t", "key: [id]", "set: {new: old * 2}", "batch_rows: 100"});
    REQUIRE_THAT(e2e::run_pg(p, db, {"upgrade", "a1"}), ExitedWith(0));
    ReplayPause pause(db);
    BackgroundMigrate run(p.path("migrate.yaml"), p.path("run"),
                          {"--url", db.url(), "upgrade", "heads", "--max-replica-lag", "300ms"});
    if (!run.said("migrate: backfill of public.t: waiting, a standby's replay lag is "))
      FAIL("the backfill did not wait for the standby\n" << run.err() << replication_state(db));
    // Held back part-way: some batches done, not all.
    const int filled = std::stoi(db.rows("SELECT count(*) FROM t WHERE new IS NOT NULL")[0]);
    CHECK(filled >= 100);
    CHECK(filled < 2000);
    CHECK(db.version() == V{"a1"});
    pause.resume();
    const int exit_code = run.wait();
    INFO(run.err());
    CHECK(exit_code == 0);
    CHECK(db.rows("SELECT count(*) FROM t WHERE new = old * 2") == V{"2000"});
    CHECK(db.version() == V{"b2"});
  }
}
