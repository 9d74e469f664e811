// Failed steps that nobody has dealt with yet, from the history table. Only a
// non-transactional step leaves a 'failed' row (a transactional one rolls back
// whole, its row included), and its statements before the failing one stay
// applied: the database may be partly changed, which `migrate status` says.
#pragma once

#include <string>
#include <vector>

#include "db/database.h"

namespace migrate::runner {

// The 'failed' rows not followed by a successful row of the same revision
// and direction (the step re-run) or by any stamp or "settle" row (the
// version table set or confirmed by hand after a repair), oldest first.
std::vector<db::HistoryEntry> unresolved_failures(const std::vector<db::HistoryEntry>& history);

// "FAILED: upgrade ab12 (non-transactional) at T, by U: the database may be
// partly changed; fix it by hand, then re-run the step, or settle this with
// `migrate stamp current` ...".
std::string describe_failure(const db::HistoryEntry& failed);

}  // namespace migrate::runner
