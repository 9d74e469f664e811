// --max-replica-lag: how far the primary's streaming standbys are behind,
// and a wait until none is more than the limit behind. Used before each
// backfill batch (engine.h) and between the steps of an upgrade
// (runner.h).
//
// The lag is the larger of two measures, both from the primary's
// pg_stat_replication:
//  - the standbys' replay_lag, the server's own measure. The server only
//    updates it when a standby's replay position passes one of its
//    samples, so a standby whose replay stopped (paused, or stuck on a
//    conflict) after a quiet spell keeps showing an old small value, or
//    none;
//  - so also the watch's own: at each check it notes the primary's WAL
//    position and the time. A standby that has not replayed up to a
//    position noted at time T is at least (now - T) behind, however its
//    replay_lag reads.
// The first wait knows nothing of what came before it, so it waits until
// every standby has replayed what the primary had written when it started
// (for a healthy standby, a moment): a standby stopped for an hour is seen
// as behind at once, not only after the limit has passed. No standby, or
// not PostgreSQL: no lag, no wait.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "db/database.h"

namespace migrate::backfill {

class ReplicaWatch {
 public:
  // `sql`: BatchSql::replica_positions_sql(), or nullopt (nothing to ask:
  // the watch never waits).
  ReplicaWatch(std::chrono::milliseconds max, std::optional<std::string> sql)
      : max_(max), sql_(std::move(sql)) {}

  // Returns once no standby is more than the limit behind, checking every
  // 100 ms; calls `waiting(lag_ms)` once, when it first finds one that is.
  // Throws migrate::Error (the role cannot see the standbys' positions, a
  // server error).
  void wait(db::Database& db, const std::function<void(long long lag_ms)>& waiting);

  std::chrono::milliseconds max() const { return max_; }

 private:
  using Clock = std::chrono::steady_clock;
  // One check (one query, in autocommit): the lag in ms, as above.
  long long check(db::Database& db);

  std::chrono::milliseconds max_;
  std::optional<std::string> sql_;
  // Positions noted and not yet replayed by every standby, oldest first.
  std::deque<std::pair<Clock::time_point, std::uint64_t>> unreplayed_;
  // The least replayed position at the last check (none: no standby).
  std::optional<std::uint64_t> replayed_;
  bool first_ = true;
};

}  // namespace migrate::backfill
