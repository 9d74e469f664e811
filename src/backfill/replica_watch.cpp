#include "backfill/replica_watch.h"

#include <algorithm>
#include <thread>

#include "util/error.h"

namespace migrate::backfill {

namespace {

std::optional<long double> number(const std::optional<std::string>& text) {
  if (!text || text->empty()) return std::nullopt;
  try {
    return std::stold(*text);
  } catch (const std::exception&) {
    throw Error("unexpected value from pg_stat_replication: '" + *text + "'");
  }
}

// Noted positions kept at most (a standby stopped for days, checked every
// 100 ms): the oldest is kept, it alone sets the lag.
constexpr std::size_t kMaxNoted = 4096;

}  // namespace

long long ReplicaWatch::check(db::Database& db) {
  if (!sql_) return 0;
  db::WorkOptions autocommit;
  autocommit.transaction = false;
  const db::WorkResult r = db.begin_work(autocommit)->exec(*sql_);
  if (r.rows.empty() || r.rows[0].size() < 5) return 0;
  const auto& row = r.rows[0];
  // Without pg_read_all_stats (pg_monitor) a role sees the standbys but not
  // their positions: every standby would pass for caught up.
  if (!row[1] && row[3] && *row[3] != "0" && row[4] && *row[4] == "false")
    throw Error(db.describe() +
                ": --max-replica-lag cannot see how far the standbys are: pg_stat_replication "
                "shows their positions only to superusers and members of pg_read_all_stats "
                "(GRANT pg_monitor TO the migrating role)");
  const auto current = number(row[0]);
  const auto replayed = number(row[1]);  // the least of the standbys'
  const auto server_lag = number(row[2]);
  const auto now = Clock::now();
  if (!current || !replayed) {
    unreplayed_.clear();  // no standby (now)
    replayed_.reset();
    return 0;
  }
  const auto replayed_pos = static_cast<std::uint64_t>(*replayed);
  replayed_ = replayed_pos;
  const auto current_pos = static_cast<std::uint64_t>(*current);
  if (replayed_pos < current_pos &&
      (unreplayed_.empty() || unreplayed_.back().second < current_pos)) {
    if (unreplayed_.size() >= kMaxNoted) unreplayed_.erase(unreplayed_.begin() + 1);
    unreplayed_.emplace_back(now, current_pos);
  }
  while (!unreplayed_.empty() && unreplayed_.front().second <= replayed_pos)
    unreplayed_.pop_front();
  long long lag = server_lag ? static_cast<long long>(*server_lag) : 0;
  if (!unreplayed_.empty())
    lag = std::max<long long>(
        lag, std::chrono::duration_cast<std::chrono::milliseconds>(now - unreplayed_.front().first)
                 .count());
  return lag;
}

void ReplicaWatch::wait(db::Database& db, const std::function<void(long long)>& waiting) {
  bool said = false;
  // The first wait also waits for what the primary had written when it
  // started (see the header): the position its first check noted.
  std::optional<std::uint64_t> start;
  for (;;) {
    const long long lag = check(db);
    if (first_ && !start && !unreplayed_.empty()) start = unreplayed_.back().second;
    const bool caught_up = !start || !replayed_ || *replayed_ >= *start;
    if (lag <= max_.count() && caught_up) break;
    if (lag > max_.count() && !said && waiting) {
      waiting(lag);
      said = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  first_ = false;
}

}  // namespace migrate::backfill
