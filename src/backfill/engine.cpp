#include "backfill/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "util/clock.h"
#include "util/error.h"

namespace migrate::backfill {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

std::string ms_text(long long ms) { return std::to_string(ms) + "ms"; }

const char* conflict_name(db::WorkConflict::Kind kind) {
  switch (kind) {
    case db::WorkConflict::kLockTimeout:
      return "lock timeout";
    case db::WorkConflict::kDeadlock:
      return "deadlock";
    case db::WorkConflict::kStatementTimeout:
      return "statement timeout";
    case db::WorkConflict::kBusy:
      return "database busy";
  }
  return "conflict";
}

}  // namespace

Options options_for(const script::BackfillSpec& spec, Options base) {
  if (spec.batch_rows) base.batch_rows = *spec.batch_rows;
  if (spec.batch_time) base.batch_time = *spec.batch_time;
  if (spec.pause) base.pause = *spec.pause;
  return base;
}

Engine::Engine(db::Database& db, const script::BackfillSpec& spec, std::string revision,
               Options options, Events events)
    : db_(db),
      spec_(spec),
      revision_(std::move(revision)),
      options_(std::move(options)),
      events_(std::move(events)),
      sql_(make_batch_sql(db.dialect(), spec, db.tables())),
      size_(std::max(1LL, options_.batch_rows)),
      batch_time_(options_.batch_time.value_or(sql_->default_batch_time())),
      pause_(options_.pause.value_or(sql_->default_pause(batch_time_))),
      pause_every_batch_(options_.pause.has_value()) {
  if (options_.max_replica_lag)
    replicas_.emplace(*options_.max_replica_lag, sql_->replica_positions_sql());
  const long long target = batch_time_.count();
  if (options_.lock_timeout.empty()) options_.lock_timeout = ms_text(std::max(50LL, target));
  if (options_.statement_timeout.empty())
    options_.statement_timeout = ms_text(std::max(2000LL, 20 * target));
}

void Engine::ensure_checkpoint_table(db::Database& db) {
  script::BackfillSpec none;
  none.table = "-";
  auto work = db.begin_work({});
  work->exec(make_batch_sql(db.dialect(), none, db.tables())->create_checkpoint_sql());
  work->commit();
}

std::string Engine::delete_checkpoint_sql(db::Database& db, const std::string& revision) {
  script::BackfillSpec none;
  none.table = "-";
  return make_batch_sql(db.dialect(), none, db.tables())->delete_checkpoint_sql(revision);
}

Checkpoint Engine::start(const std::vector<db::Statement>& first_statements, bool transactional) {
  db::WorkOptions wopts;
  wopts.lock_timeout = options_.lock_timeout;
  // The row estimate of a first start is read before its transaction: on
  // SQLite it is a count of every row, which every writer would wait for
  // under BEGIN IMMEDIATE's write lock. Only progress reads it.
  // It is outside the retries below, and optional: a conflict (a busy
  // database, a lock or statement timeout) leaves the run without an
  // estimate rather than failing it.
  std::optional<long long> estimate;
  try {
    db::WorkOptions autocommit;
    autocommit.transaction = false;
    auto read = db_.begin_work(autocommit);
    if (read->exec(sql_->read_checkpoint_sql(revision_)).rows.empty()) {
      auto est = read->exec(sql_->estimate_rows_sql());
      if (!est.rows.empty() && est.rows[0][0]) estimate = std::stoll(*est.rows[0][0]);
    }
  } catch (const db::WorkConflict& e) {
    if (events_.note)
      events_.note(fmt::format("backfill of {}: the row estimate hit a {}; going on without it",
                               spec_.table, conflict_name(e.kind)));
  }
  for (int attempt = 1;; ++attempt) {
    try {
      auto work = db_.begin_work(wopts);
      auto r = work->exec(sql_->read_checkpoint_sql(revision_));
      if (!r.rows.empty()) {
        work->commit();
        return checkpoint_from_row(r.rows[0]);
      }
      if (transactional) {
        for (const auto& st : first_statements) work->exec(st.sql);
      } else if (!first_statements.empty()) {
        // Outside any transaction, before the one that stores the bound.
        work.reset();
        db::WorkOptions autocommit;
        autocommit.transaction = false;
        auto each = db_.begin_work(autocommit);
        for (const auto& st : first_statements) each->exec(st.sql);
        each.reset();
        work = db_.begin_work(wopts);
        if (!work->exec(sql_->read_checkpoint_sql(revision_)).rows.empty())
          throw Error("another run started this backfill meanwhile");
      }
      auto last = work->exec(sql_->last_key_sql());
      std::optional<std::string> bound;
      if (!last.rows.empty()) bound = last.rows[0][0];
      const std::string now = util::iso8601_utc_now();
      work->exec(sql_->insert_checkpoint_sql(revision_, bound, estimate, now));
      auto again = work->exec(sql_->read_checkpoint_sql(revision_));
      work->commit();
      return checkpoint_from_row(again.rows.at(0));
    } catch (const db::WorkConflict& e) {
      if (attempt >= options_.max_attempts) throw;
      if (events_.note)
        events_.note(fmt::format("backfill of {}: start hit a {}, trying again ({}/{})",
                                 spec_.table, conflict_name(e.kind), attempt,
                                 options_.max_attempts));
      std::this_thread::sleep_for(std::chrono::milliseconds(100 * attempt));
    } catch (const Error& e) {
      throw Error(fmt::format("backfill of {} (revision {}): cannot start: {}", spec_.table,
                              revision_, e.what()));
    }
  }
}

namespace {

// The batches' connection settings (BatchSql::batch_settings) while it
// lives, back to what they were after: the runner goes on with this
// connection.
class BatchSettings {
 public:
  BatchSettings(db::Database& db, const BatchSql& sql) : db_(db) {
    try {
      for (auto& s : sql.batch_settings()) {
        if (s.only_if) {
          auto c = autocommit().exec(s.only_if->first);
          if (c.rows.empty() || c.rows[0][0] != s.only_if->second) continue;
        }
        auto r = autocommit().exec(s.read);
        if (r.rows.empty() || !r.rows[0][0]) continue;
        autocommit().exec(s.set(s.value));
        restore_.push_back(s.set(*r.rows[0][0]));
      }
    } catch (...) {
      // No destructor runs for a constructor that throws: the settings
      // already changed go back here.
      restore();
      throw;
    }
  }
  ~BatchSettings() { restore(); }
  BatchSettings(const BatchSettings&) = delete;
  BatchSettings& operator=(const BatchSettings&) = delete;

 private:
  void restore() noexcept {
    for (const auto& sql : restore_) {
      try {
        autocommit().exec(sql);
      } catch (...) {
        // A setting lives only as long as the connection: nothing to undo
        // in the database.
      }
    }
    restore_.clear();
  }

  db::Work& autocommit() {
    db::WorkOptions o;
    o.transaction = false;
    work_ = db_.begin_work(o);
    return *work_;
  }
  db::Database& db_;
  std::unique_ptr<db::Work> work_;
  std::vector<std::string> restore_;
};

}  // namespace

Progress Engine::run(const std::vector<db::Statement>& first_statements, bool transactional) {
  started_ = Clock::now();
  Checkpoint cp = start(first_statements, transactional);
  walked_at_start_ = cp.rows_walked;
  if (cp.bound) {
    BatchSettings settings(db_, *sql_);
    while (batch(cp)) {
      between_batches();
      if (events_.batch) events_.batch(stat_);
      report(cp, false);
      if (replicas_)
        replicas_->wait(db_, [&](long long lag) {
          if (events_.note)
            events_.note(
                fmt::format("backfill of {}: waiting, a standby's replay lag is {}ms (over "
                            "--max-replica-lag {}ms)",
                            spec_.table, lag, replicas_->max().count()));
        });
    }
  }
  report(cp, true);
  Progress p;
  p.revision = revision_;
  p.table = spec_.table;
  p.rows_walked = cp.rows_walked;
  p.rows_updated = cp.rows_updated;
  p.batches = cp.batches;
  p.done = true;
  p.elapsed_s = ms_since(started_) / 1000;
  return p;
}

void Engine::between_batches() {
  // The default pause is there for writers waiting for the lock (SQLite):
  // what they wait through is the time the lock was held since the last
  // pause, so the first, short batches run back to back up to about
  // batch_time, and one pause follows.
  held_ms_ += stat_.ms;
  const double target = static_cast<double>(batch_time_.count());
  const bool pause = pause_.count() > 0 && (pause_every_batch_ || held_ms_ + next_ms_ > target);
  stat_.checkpoint_ms = 0;
  if (!pause && pause_.count() > 0) return;  // the checkpoint waits for the pause
  const auto pause_for = pause_every_batch_ ? pause_ : sql_->default_pause_after(pause_, held_ms_);
  held_ms_ = 0;
  if (auto checkpoint = sql_->checkpoint_sql()) {
    const auto t0 = Clock::now();
    db::WorkOptions autocommit;
    autocommit.transaction = false;
    try {
      db_.begin_work(autocommit)->exec(*checkpoint);
    } catch (const db::WorkConflict&) {
      // Another connection is checkpointing: the WAL is in hand.
    }
    stat_.checkpoint_ms = ms_since(t0);
  }
  if (!pause) return;
  const auto left = committed_ + pause_for - Clock::now();
  if (left > Clock::duration::zero()) std::this_thread::sleep_for(left);
}

bool Engine::batch(Checkpoint& cp) {
  db::WorkOptions wopts;
  wopts.lock_timeout = options_.lock_timeout;
  wopts.statement_timeout = options_.statement_timeout;
  wopts.backfill_flag = true;
  for (int attempt = 1;; ++attempt) {
    try {
      const auto asked = Clock::now();
      auto work = db_.begin_work(wopts);
      const auto t0 = Clock::now();
      // The batch's last key and how many keys it walks: the size_-th key
      // when that many are left, else the last (on PostgreSQL: counted).
      std::optional<std::string> last;
      long long walked = size_;
      std::optional<std::string> end_sql;
      if (auto full = sql_->full_batch_end_sql(cp.position, *cp.bound, size_)) {
        auto end = work->exec(*full);
        if (!end.rows.empty()) last = end.rows[0][0];
        if (!last) end_sql = sql_->rest_sql(cp.position, *cp.bound);
      } else {
        end_sql = sql_->batch_end_sql(cp.position, *cp.bound, size_);
      }
      if (end_sql) {
        auto end = work->exec(*end_sql);
        if (end.rows.empty() || !end.rows[0][0]) {
          work->commit();
          return false;
        }
        last = *end.rows[0][0];
        walked = std::stoll(end.rows[0][1].value_or("0"));
      }
      const auto t1 = Clock::now();
      long long updated = 0;
      if (auto update = sql_->update_sql(cp.position, *last))
        updated += work->exec(*update).affected;
      if (auto copy = sql_->copy_sql(cp.position, *last)) updated += work->exec(*copy).affected;
      work->exec(
          sql_->advance_checkpoint_sql(revision_, *last, updated, walked, util::iso8601_utc_now()));
      const auto t2 = Clock::now();
      work->commit();
      committed_ = Clock::now();
      const double ms = ms_since(t0);
      cp.position = *last;
      cp.rows_walked += walked;
      cp.rows_updated += updated;
      ++cp.batches;
      const auto between = [](Clock::time_point a, Clock::time_point b) {
        return std::chrono::duration<double, std::milli>(b - a).count();
      };
      stat_ = {ms,
               walked,
               updated,
               size_,
               attempt,
               between(asked, t0),
               between(t0, t1),
               between(t1, t2),
               between(t2, committed_),
               0};
      // Towards batch_time: the cost of a row is the slower of this batch's
      // and a moving average (one fast batch on cached pages proves little,
      // and a shared machine's noise must not push the next batch past the
      // target), and the size at most doubles from one batch to the next.
      if (walked > 0) {
        const double per_row = std::max(ms, 0.1) / static_cast<double>(walked);
        ms_per_row_ = ms_per_row_ > 0 ? 0.7 * ms_per_row_ + 0.3 * per_row : per_row;
        if (walked == size_) {
          const double target = static_cast<double>(batch_time_.count());
          const double ideal = target / std::max(per_row, ms_per_row_);
          size_ = static_cast<long long>(std::min(ideal, 2.0 * static_cast<double>(size_)));
          size_ = std::clamp(size_, 1LL, options_.max_batch_rows);
        }
        next_ms_ = static_cast<double>(size_) * std::max(per_row, ms_per_row_);
      }
      return true;
    } catch (const db::WorkConflict& e) {
      if (e.kind == db::WorkConflict::kStatementTimeout) size_ = std::max(1LL, size_ / 2);
      if (attempt >= options_.max_attempts)
        throw Error(fmt::format(
            "backfill of {} (revision {}): a batch failed {} times, the last with a {}: {}\nThe "
            "{} rows done so far are kept; run `migrate upgrade` again to resume.",
            spec_.table, revision_, attempt, conflict_name(e.kind), e.what(), cp.rows_walked));
      // 100 ms doubling, at most 5 s, times [0.5, 1.5): backfills started
      // together do not retry in step.
      rng_state_ = rng_state_ * 1103515245u + 12345u;
      const double jitter = 0.5 + static_cast<double>((rng_state_ >> 8) % 1000) / 1000.0;
      const double base = std::min(5000.0, 100.0 * std::pow(2.0, attempt - 1));
      const auto delay = std::chrono::milliseconds(static_cast<long long>(base * jitter));
      if (events_.note)
        events_.note(fmt::format("backfill of {}: batch hit a {} ({}), retry {}/{} in {}ms",
                                 spec_.table, conflict_name(e.kind), e.what(), attempt,
                                 options_.max_attempts - 1, delay.count()));
      std::this_thread::sleep_for(delay);
    } catch (const Error& e) {
      throw Error(fmt::format(
          "backfill of {} (revision {}), batch after key {}: {}\nThe {} rows done so far are "
          "kept; fix the cause and run `migrate upgrade` again to resume.",
          spec_.table, revision_, cp.position.value_or("(start)"), e.what(), cp.rows_walked));
    }
  }
}

void Engine::report(const Checkpoint& cp, bool done) {
  if (!events_.progress) return;
  Progress p;
  p.revision = revision_;
  p.table = spec_.table;
  p.rows_walked = cp.rows_walked;
  p.rows_updated = cp.rows_updated;
  p.batches = cp.batches;
  p.total_estimate = cp.total_estimate;
  p.elapsed_s = ms_since(started_) / 1000;
  const long long walked = cp.rows_walked - walked_at_start_;
  if (p.elapsed_s > 0) p.rate = static_cast<double>(walked) / p.elapsed_s;
  if (p.rate > 0 && p.total_estimate && *p.total_estimate > p.rows_walked)
    p.eta_s = static_cast<double>(*p.total_estimate - p.rows_walked) / p.rate;
  p.done = done;
  events_.progress(p);
}

}  // namespace migrate::backfill
