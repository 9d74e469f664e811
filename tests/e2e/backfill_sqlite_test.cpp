// The backfill engine on SQLite, end to end through `migrate upgrade`: rows
// filled in batches, composite keys, the where filter, the bound, a SIGKILL
// and a resumed run, another writer holding the lock, downgrade.
#include <sqlite3.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "e2e/backfill_fixture.h"

using e2e::add_backfill_rev;
using e2e::Project;
using testsupport::ExitedWith;

namespace {

// Base revision: table t with `n` rows, id 1..n, old = id.
void add_base(const Project& p, int n, const std::string& extra_columns = "") {
  p.add({"a1",
         {},
         "CREATE TABLE t (id INTEGER PRIMARY KEY, old INTEGER, new INTEGER, hits INTEGER NOT NULL "
         "DEFAULT 0" +
             extra_columns +
             ");\nWITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < " +
             std::to_string(n) + ") INSERT INTO t (id, old) SELECT i, i FROM c;",
         "DROP TABLE t;"});
}

// Runs SQL on the project's database from a connection of the test's own.
void exec(const Project& p, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(p.db().c_str(), &db) == SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string message = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE(message == "");
  REQUIRE(rc == SQLITE_OK);
}

}  // namespace

TEST_CASE("sqlite backfill: every row filled in batches, version moved once done", "[backfill]") {
  Project p;
  add_base(p, 5000);
  add_backfill_rev(
      p, "b2", "a1",
      {"table: t", "key: [id]", "set:", "  new: old * 2", "  hits: hits + 1", "batch_rows: 100"});
  auto r = p.run({"upgrade", "heads"}, {{"MIGRATE_BACKFILL_STATS", p.path("stats.jsonl")}});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(r.out.find("Running upgrade a1 -> b2") != std::string::npos);
  CHECK(r.err.find("backfill t: 5000 rows of ~5000 (100.0%), 5000 updated") != std::string::npos);
  CHECK(p.rows("SELECT count(*), sum(new = old * 2), min(hits), max(hits) FROM t") ==
        std::vector<std::string>{"5000|5000|1|1"});
  CHECK(p.version() == std::vector<std::string>{"b2"});
  // Done: the checkpoint is gone with the version move; one history row.
  CHECK(p.rows("SELECT count(*) FROM migrate_backfill") == std::vector<std::string>{"0"});
  CHECK(p.rows("SELECT count(*) FROM migrate_history WHERE revision = 'b2'") ==
        std::vector<std::string>{"1"});
  // Several batches, the first of batch_rows, none larger than twice the one before.
  std::string stats = testsupport::read_file(p.path("stats.jsonl"));
  CHECK(stats.rfind("{\"ms\": ", 0) == 0);
  CHECK(stats.find("\"size\": 100,") != std::string::npos);
  CHECK(std::count(stats.begin(), stats.end(), '\n') >= 3);
}

TEST_CASE("sqlite backfill: composite key and where filter", "[backfill]") {
  Project p;
  p.add({"a1",
         {},
         "CREATE TABLE t (a INTEGER NOT NULL, b TEXT NOT NULL, old INTEGER, new INTEGER, PRIMARY "
         "KEY (a, b));\nWITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < "
         "300) INSERT INTO t SELECT i % 7, 'k' || i, i, NULL FROM c;",
         "DROP TABLE t;"});
  add_backfill_rev(
      p, "b2", "a1",
      {"table: t", "key: [a, b]", "set: {new: old + 1}", "where: old % 2 = 0", "batch_rows: 7"});
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  CHECK(p.rows("SELECT count(*) FROM t WHERE old % 2 = 0 AND new = old + 1") ==
        std::vector<std::string>{"150"});
  CHECK(p.rows("SELECT count(*) FROM t WHERE old % 2 = 1 AND new IS NULL") ==
        std::vector<std::string>{"150"});
}

TEST_CASE("sqlite backfill: rows inserted during the run are past the bound", "[backfill]") {
  Project p;
  add_base(p, 2000);
  add_backfill_rev(p, "b2", "a1",
                   {"table: t", "key: [id]", "set: {new: old * 2}", "batch_rows: 50",
                    "batch_time: 10s", "pause: 2ms"});
  std::atomic<bool> stop{false};
  std::atomic<int> inserted{0};
  // Starts once a1 is applied (the table exists), inserts until the run ends.
  REQUIRE_THAT(p.run({"upgrade", "a1"}), ExitedWith(0));
  std::thread writer([&] {
    int id = 100000;
    while (!stop) {
      exec(p, "INSERT INTO t (id, old) VALUES (" + std::to_string(id++) + ", 1)");
      ++inserted;
      // An application's pace: SQLite's lock is not fair, and a writer
      // taking it back at once would starve every other writer.
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  auto r = p.run({"upgrade", "heads"});
  stop = true;
  writer.join();
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(inserted > 0);
  CHECK(p.rows("SELECT count(*) FROM t WHERE id <= 2000 AND new = old * 2") ==
        std::vector<std::string>{"2000"});
  // The rows up to the bound (the last key when it started) are filled,
  // those past it are left to the triggers (there are none here).
  CHECK(p.rows("SELECT count(*) FROM t WHERE new IS NULL AND id < (SELECT max(id) FROM t WHERE "
               "new IS NOT NULL)") == std::vector<std::string>{"0"});
  CHECK(p.rows("SELECT count(*) > 0 FROM t WHERE new IS NULL") == std::vector<std::string>{"1"});
}

// Batches committed so far; 0 while the checkpoint table cannot be read yet
// (not created, or the file locked by the run), which a poll may meet.
int batches_done(const Project& p) {
  auto rows = p.rows("SELECT coalesce(max(batches), 0) FROM migrate_backfill");
  return rows.empty() ? 0 : std::stoi(rows[0]);
}

TEST_CASE("sqlite backfill: SIGKILL mid-way, then a resumed run does no row twice", "[backfill]") {
  Project p;
  add_base(p, 3000);
  add_backfill_rev(p, "b2", "a1",
                   {"table: t", "key: [id]", "set: {new: old * 2, hits: hits + 1}",
                    "batch_rows: 20", "batch_time: 10s", "pause: 30ms"});
  REQUIRE_THAT(p.run({"upgrade", "a1"}), ExitedWith(0));
  {
    e2e::BackgroundRun run(p.dir.path(), {"upgrade", "heads"});
    REQUIRE(e2e::wait_until([&] { return batches_done(p) >= 3; }));
    run.kill();
  }
  auto walked = std::stoll(p.rows("SELECT rows_walked FROM migrate_backfill")[0]);
  CHECK(walked > 0);
  CHECK(walked < 3000);
  CHECK(p.version() == std::vector<std::string>{"a1"});  // not done: not moved
  CHECK(p.rows("SELECT count(*) FROM t WHERE hits = 1")[0] == std::to_string(walked));

  auto r = p.run({"upgrade", "heads"});
  REQUIRE_THAT(r, ExitedWith(0));
  // Every row exactly once: the killed batch rolled back, nothing before it redone.
  CHECK(p.rows("SELECT count(*), min(hits), max(hits), sum(new = old * 2) FROM t") ==
        std::vector<std::string>{"3000|1|1|3000"});
  CHECK(p.version() == std::vector<std::string>{"b2"});
}

// In WAL mode the batches run with synchronous = NORMAL and the engine's own
// checkpoints between them: a killed run still loses no committed batch
// (the WAL is in the OS's cache) and its resumed run does no row twice.
TEST_CASE("sqlite backfill: WAL mode, SIGKILL mid-way, resumed without a row twice", "[backfill]") {
  Project p;
  add_base(p, 3000);
  add_backfill_rev(p, "b2", "a1",
                   {"table: t", "key: [id]", "set: {new: old * 2, hits: hits + 1}",
                    "batch_rows: 20", "batch_time: 10s", "pause: 30ms"});
  REQUIRE_THAT(p.run({"upgrade", "a1"}), ExitedWith(0));
  exec(p, "PRAGMA journal_mode = WAL");
  {
    e2e::BackgroundRun run(p.dir.path(), {"upgrade", "heads"});
    REQUIRE(e2e::wait_until([&] { return batches_done(p) >= 3; }));
    run.kill();
  }
  auto walked = std::stoll(p.rows("SELECT rows_walked FROM migrate_backfill")[0]);
  CHECK(walked > 0);
  CHECK(walked < 3000);
  CHECK(p.rows("SELECT count(*) FROM t WHERE hits = 1")[0] == std::to_string(walked));

  auto r = p.run({"upgrade", "heads"}, {{"MIGRATE_BACKFILL_STATS", p.path("stats.jsonl")}});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(p.rows("SELECT count(*), min(hits), max(hits), sum(new = old * 2) FROM t") ==
        std::vector<std::string>{"3000|1|1|3000"});
  CHECK(p.version() == std::vector<std::string>{"b2"});
  CHECK(p.rows("PRAGMA journal_mode") == std::vector<std::string>{"wal"});
  // Each batch's line says where its time went, the checkpoint after it included.
  std::string stats = testsupport::read_file(p.path("stats.jsonl"));
  CHECK(stats.find("\"commit_ms\": ") != std::string::npos);
  CHECK(stats.find("\"checkpoint_ms\": ") != std::string::npos);
}

TEST_CASE("sqlite backfill: another writer holding the lock is waited for", "[backfill]") {
  Project p;
  add_base(p, 500);
  add_backfill_rev(p, "b2", "a1", {"table: t", "key: [id]", "set: {new: old * 2}"});
  REQUIRE_THAT(p.run({"upgrade", "a1"}), ExitedWith(0));
  std::atomic<bool> holding{false};
  std::thread holder([&] {
    sqlite3* db = nullptr;
    sqlite3_open(p.db().c_str(), &db);
    sqlite3_exec(db, "BEGIN IMMEDIATE; UPDATE t SET old = old WHERE id = 1", nullptr, nullptr,
                 nullptr);
    holding = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  });
  while (!holding) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto r = p.run({"upgrade", "heads"});
  holder.join();
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(p.rows("SELECT sum(new = old * 2) FROM t") == std::vector<std::string>{"500"});
}

TEST_CASE("sqlite backfill: downgrade clears a stopped backfill's checkpoint", "[backfill]") {
  Project p;
  add_base(p, 1000);
  add_backfill_rev(p, "b2", "a1",
                   {"table: t", "key: [id]", "set: {new: old * 2, hits: hits + 1}",
                    "batch_rows: 10", "batch_time: 10s", "pause: 30ms"});
  REQUIRE_THAT(p.run({"upgrade", "a1"}), ExitedWith(0));
  {
    e2e::BackgroundRun run(p.dir.path(), {"upgrade", "heads"});
    REQUIRE(e2e::wait_until([&] { return batches_done(p) >= 2; }));
    run.kill();
  }
  CHECK(p.rows("SELECT count(*) FROM migrate_backfill") == std::vector<std::string>{"1"});
  // Down below the backfill's parent and up again: a fresh table, a fresh start.
  REQUIRE_THAT(p.run({"downgrade", "base"}), ExitedWith(0));
  CHECK(p.rows("SELECT count(*) FROM migrate_backfill") == std::vector<std::string>{"0"});
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  CHECK(p.rows("SELECT count(*), min(hits), max(hits) FROM t") ==
        std::vector<std::string>{"1000|1|1"});
}

TEST_CASE("sqlite backfill: header errors name the line", "[backfill]") {
  Project p;
  add_base(p, 1);
  add_backfill_rev(p, "b2", "a1", {"table: t", "key: [id]", "set: {id: 1}"});
  auto r = p.run({"upgrade", "heads"});
  REQUIRE_THAT(r, ExitedWith(1));
  CHECK(r.err.find("b2_rev.sql:9: `backfill`: `set` writes the key column `id`") !=
        std::string::npos);
}
