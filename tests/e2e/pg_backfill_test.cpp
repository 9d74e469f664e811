// The backfill engine on PostgreSQL, end to end through `migrate upgrade`:
// rows filled in batches under migrate.backfill = 'on', composite keys, the
// where filter, the bound while the table grows, a SIGKILL and a resumed
// run, row locks held by another session (retried), a GENERATED ALWAYS
// identity key, downgrade, and `status`.
#include <atomic>
#include <catch2/catch.hpp>
#include <pqxx/pqxx>
#include <thread>

#include "e2e/backfill_fixture.h"
#include "e2e/pg_fixture.h"

using e2e::add_backfill_rev;
using e2e::Project;
using e2e::run_pg;
using e2e::TempPgDatabase;
using testsupport::ExitedWith;

namespace {

// Base revision: t(id GENERATED ALWAYS identity, old, new, hits, flagged)
// with `n` rows; a trigger records in `flagged` whether the writer set
// migrate.backfill, as the expand phase's triggers test it.
void add_base(const Project& p, int n) {
  p.add({"a1",
         {},
         "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, old int, new int, "
         "hits int NOT NULL DEFAULT 0, flagged boolean);\n"
         "INSERT INTO t (old) SELECT i FROM generate_series(1, " +
             std::to_string(n) +
             ") i;\n"
             "CREATE FUNCTION t_flag() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
             "NEW.flagged := coalesce(current_setting('migrate.backfill', true) = 'on', false); "
             "RETURN NEW; END $$;\n"
             "CREATE TRIGGER t_flag BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION t_flag();",
         "DROP TABLE t; DROP FUNCTION t_flag();"});
}

}  // namespace

TEST_CASE("pg backfill: every row filled, flagged, key untouched; version moved once done",
          "[backfill]") {
  TempPgDatabase db;
  Project p;
  add_base(p, 5000);
  add_backfill_rev(p, "b2", "a1",
                   {"table: public.t", "key: [id]", "set:", "  new: old * 2", "  hits: hits + 1",
                    "batch_rows: 100"});
  auto r = run_pg(p, db, {"upgrade", "heads"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(r.err.find("backfill public.t: 5000 rows of ~5000 (100.0%), 5000 updated") !=
        std::string::npos);
  CHECK(db.rows("SELECT count(*), sum((new = old * 2)::int), min(hits), max(hits), "
                "bool_and(flagged), min(id), max(id), sum((id = old)::int) FROM t") ==
        std::vector<std::string>{"5000|5000|1|1|t|1|5000|5000"});
  CHECK(db.version() == std::vector<std::string>{"b2"});
  CHECK(db.rows("SELECT count(*) FROM migrate_backfill") == std::vector<std::string>{"0"});
  CHECK(db.history_count("revision = 'b2'") == 1);
  // The setting was LOCAL to each batch: an application write is not flagged.
  db.exec("UPDATE t SET old = old WHERE id = 1");
  CHECK(db.rows("SELECT flagged FROM t WHERE id = 1") == std::vector<std::string>{"f"});
}

TEST_CASE("pg backfill: composite text key and where filter", "[backfill]") {
  TempPgDatabase db;
  Project p;
  p.add({"a1",
         {},
         "CREATE TABLE t (a int NOT NULL, b text NOT NULL, old int, new int, PRIMARY KEY (a, b));\n"
         "INSERT INTO t SELECT i % 7, 'k''' || i, i FROM generate_series(1, 300) i;",
         "DROP TABLE t;"});
  add_backfill_rev(
      p, "b2", "a1",
      {"table: t", "key: [a, b]", "set: {new: old + 1}", "where: old % 2 = 0", "batch_rows: 7"});
  REQUIRE_THAT(run_pg(p, db, {"upgrade", "heads"}), ExitedWith(0));
  CHECK(db.rows("SELECT count(*) FROM t WHERE old % 2 = 0 AND new = old + 1") ==
        std::vector<std::string>{"150"});
  CHECK(db.rows("SELECT count(*) FROM t WHERE old % 2 = 1 AND new IS NULL") ==
        std::vector<std::string>{"150"});
}

TEST_CASE("pg backfill: ends at the bound although the table grows", "[backfill]") {
  TempPgDatabase db;
  Project p;
  add_base(p, 3000);
  add_backfill_rev(p, "b2", "a1",
                   {"table: t", "key: [id]", "set: {new: old * 2}", "batch_rows: 50",
                    "batch_time: 10s", "pause: 2ms"});
  REQUIRE_THAT(run_pg(p, db, {"upgrade", "a1"}), ExitedWith(0));
  std::atomic<bool> stop{false};
  std::atomic<int> inserted{0};
  std::thread writer([&] {
    pqxx::connection c(db.url());
    while (!stop) {
      pqxx::nontransaction tx(c);
      tx.exec("INSERT INTO t (old) VALUES (1)");
      ++inserted;
    }
  });
  auto r = run_pg(p, db, {"upgrade", "heads"});
  stop = true;
  writer.join();
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(inserted > 0);
  CHECK(db.rows("SELECT count(*) FROM t WHERE id <= 3000 AND new = old * 2") ==
        std::vector<std::string>{"3000"});
  // The rows up to the bound (the last key when it started) are filled,
  // those past it are left to the triggers (there are none here).
  CHECK(db.rows("SELECT count(*) FROM t WHERE new IS NULL AND id < (SELECT max(id) FROM t WHERE "
                "new IS NOT NULL)") == std::vector<std::string>{"0"});
  CHECK(db.rows("SELECT count(*) > 0 FROM t WHERE new IS NULL") == std::vector<std::string>{"t"});
}

TEST_CASE("pg backfill: SIGKILL mid-way, then a resumed run does no row twice", "[backfill]") {
  TempPgDatabase db;
  Project p;
  add_base(p, 3000);
  add_backfill_rev(p, "b2", "a1",
                   {"table: t", "key: [id]", "set: {new: old * 2, hits: hits + 1}",
                    "batch_rows: 20", "batch_time: 10s", "pause: 30ms"});
  REQUIRE_THAT(run_pg(p, db, {"upgrade", "a1"}), ExitedWith(0));
  {
    e2e::BackgroundRun run(p.dir.path(), {"--url", db.url(), "upgrade", "heads"});
    REQUIRE(e2e::wait_until([&] {
      return std::stoi(db.rows("SELECT coalesce(max(batches), 0) FROM migrate_backfill")[0]) >= 3;
    }));
    run.kill();
  }
  const std::string walked = db.rows("SELECT rows_walked FROM migrate_backfill")[0];
  CHECK(std::stoll(walked) > 0);
  CHECK(std::stoll(walked) < 3000);
  CHECK(db.version() == std::vector<std::string>{"a1"});
  // Committed batches and the checkpoint agree.
  CHECK(db.rows("SELECT count(*) FROM t WHERE hits = 1")[0] == walked);
  // status shows the unfinished backfill, in text and JSON.
  auto st = run_pg(p, db, {"status"});
  CHECK(st.out.find("backfill of t: " + walked + " rows walked") != std::string::npos);
  auto js = run_pg(p, db, {"status", "--json"});
  CHECK(js.out.find("\"rows_walked\": " + walked) != std::string::npos);

  REQUIRE_THAT(run_pg(p, db, {"upgrade", "heads"}), ExitedWith(0));
  CHECK(db.rows("SELECT count(*), min(hits), max(hits), sum((new = old * 2)::int) FROM t") ==
        std::vector<std::string>{"3000|1|1|3000"});
  CHECK(db.version() == std::vector<std::string>{"b2"});
}

TEST_CASE("pg backfill: rows locked by another session are retried, then done", "[backfill]") {
  TempPgDatabase db;
  Project p;
  add_base(p, 2000);
  add_backfill_rev(p, "b2", "a1", {"table: t", "key: [id]", "set: {new: old * 2}"});
  REQUIRE_THAT(run_pg(p, db, {"upgrade", "a1"}), ExitedWith(0));
  std::atomic<bool> locked{false};
  std::thread holder([&] {
    pqxx::connection c(db.url());
    pqxx::work tx(c);
    tx.exec("SELECT * FROM t WHERE id BETWEEN 10 AND 20 FOR UPDATE");
    locked = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    tx.commit();
  });
  while (!locked) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto r = run_pg(p, db, {"upgrade", "heads"});
  holder.join();
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(r.err.find("batch hit a lock timeout") != std::string::npos);
  CHECK(db.rows("SELECT sum((new = old * 2)::int) FROM t") == std::vector<std::string>{"2000"});
}

TEST_CASE("pg backfill: downgrade below it clears a stopped backfill's checkpoint", "[backfill]") {
  TempPgDatabase db;
  Project p;
  add_base(p, 1000);
  add_backfill_rev(p, "b2", "a1",
                   {"table: t", "key: [id]", "set: {new: old * 2, hits: hits + 1}",
                    "batch_rows: 10", "batch_time: 10s", "pause: 30ms"});
  REQUIRE_THAT(run_pg(p, db, {"upgrade", "a1"}), ExitedWith(0));
  {
    e2e::BackgroundRun run(p.dir.path(), {"--url", db.url(), "upgrade", "heads"});
    REQUIRE(e2e::wait_until([&] {
      return std::stoi(db.rows("SELECT coalesce(max(batches), 0) FROM migrate_backfill")[0]) >= 2;
    }));
    run.kill();
  }
  CHECK(db.rows("SELECT count(*) FROM migrate_backfill") == std::vector<std::string>{"1"});
  REQUIRE_THAT(run_pg(p, db, {"downgrade", "base"}), ExitedWith(0));
  CHECK(db.rows("SELECT count(*) FROM migrate_backfill") == std::vector<std::string>{"0"});
  REQUIRE_THAT(run_pg(p, db, {"upgrade", "heads"}), ExitedWith(0));
  CHECK(db.rows("SELECT count(*), min(hits), max(hits) FROM t") ==
        std::vector<std::string>{"1000|1|1"});
}
