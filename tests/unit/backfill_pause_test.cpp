// The backfill's default pause on SQLite (BatchSql::default_pause_after)
// against a model of the writer it is there for: a connection in
// sqlite3_busy_timeout's handler, which tries again after sleeping 1, 2, 5,
// 10, 15, 20, 25, 25, 25, 50, 50, then 100 ms at a time (sqlite3.c,
// sqliteDefaultBusyCallback). Property: a writer that started waiting at any
// moment of a stretch that held the lock for `held` ms makes a try during
// the pause that follows, even with each of its sleeps running up to 0.5 ms
// late; so it waits at most the stretch plus that pause.
#include <catch2/catch.hpp>
#include <chrono>
#include <vector>

#include "backfill/batch_sql.h"
#include "db/sqlite/sqlite_dialect.h"
#include "script/backfill_spec.h"

namespace {

using std::chrono::milliseconds;

std::unique_ptr<migrate::backfill::BatchSql> sqlite_batch_sql() {
  static const migrate::db::sqlite::SqliteDialect dialect;
  migrate::script::BackfillSpec spec;
  spec.table = "t";
  spec.key = {"id"};
  spec.set = {{"new", "old * 2"}};
  return migrate::backfill::make_batch_sql(dialect, spec, migrate::db::TableNames{});
}

// The times (ms after its first try) at which the writer tries again, each
// sleep running `late` ms over, up to `until`.
std::vector<double> tries(double late, double until) {
  static const int delays[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
  std::vector<double> out{0};
  double t = 0;
  for (int i = 0; t <= until; ++i) {
    t += delays[i < 12 ? i : 11] + late;
    out.push_back(t);
  }
  return out;
}

// Whether a writer that began waiting `waited` ms before the pause starts
// tries during [0, pause] of it.
bool meets(double waited, double pause, double late) {
  for (double t : tries(late, waited + pause + 1))
    if (t >= waited && t <= waited + pause) return true;
  return false;
}

}  // namespace

TEST_CASE("backfill pause: a SQLite writer that waited through any stretch tries during the pause",
          "[backfill]") {
  const auto sql = sqlite_batch_sql();
  const milliseconds base = sql->default_pause(sql->default_batch_time());
  CHECK(base == milliseconds(30));
  for (int held = 1; held <= 600; ++held) {
    const auto pause = sql->default_pause_after(base, held);
    for (double late : {0.0, 0.2, 0.5})
      for (double waited = 0; waited <= held; waited += 0.25)
        if (!meets(waited, static_cast<double>(pause.count()), late))
          FAIL("held " << held << " ms, the writer waited " << waited << " ms, sleeps " << late
                       << " ms late: no try during the pause of " << pause.count() << " ms");
  }
}

TEST_CASE("backfill pause: 30 ms after a stretch of the target, longer only when it overran",
          "[backfill]") {
  const auto sql = sqlite_batch_sql();
  CHECK(sql->default_pause_after(milliseconds(30), 100) == milliseconds(30));
  CHECK(sql->default_pause_after(milliseconds(30), 128) == milliseconds(30));
  CHECK(sql->default_pause_after(milliseconds(30), 150) == milliseconds(55));
  CHECK(sql->default_pause_after(milliseconds(30), 400) == milliseconds(105));
  // A longer default (a longer batch_time) is kept.
  CHECK(sql->default_pause_after(milliseconds(60), 150) == milliseconds(60));
}
