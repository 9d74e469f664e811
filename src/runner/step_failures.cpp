#include "runner/step_failures.h"

#include <fmt/format.h>

#include <algorithm>

namespace migrate::runner {

std::vector<db::HistoryEntry> unresolved_failures(const std::vector<db::HistoryEntry>& history) {
  std::vector<db::HistoryEntry> open;
  for (const auto& row : history) {  // in id order
    if (row.status == "failed") {
      open.push_back(row);
      continue;
    }
    if (row.status != "ok") continue;
    // Any stamp says the version table was set by hand (one that removed a
    // revision writes only "unstamp" rows; one that changed nothing, "settle").
    if (row.direction == "stamp" || row.direction == "unstamp" || row.direction == "settle") {
      open.clear();
      continue;
    }
    // Re-running the step successfully settles every earlier failure of it.
    auto same_step = [&row](const db::HistoryEntry& f) {
      return f.revision == row.revision && f.direction == row.direction;
    };
    open.erase(std::remove_if(open.begin(), open.end(), same_step), open.end());
  }
  return open;
}

std::string describe_failure(const db::HistoryEntry& f) {
  return fmt::format(
      "FAILED: {} {} (non-transactional) at {}, by {}: the database may be partly changed; fix it "
      "by hand, then re-run the step, or settle this with `migrate stamp current` (or a stamp to "
      "the revision the database is at)",
      f.direction, f.revision, f.started_at, f.applied_by);
}

}  // namespace migrate::runner
