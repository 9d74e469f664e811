// Have the applied revisions' files changed since they were applied? Pure
// logic over the version table's heads, the history table and the script
// directory: no I/O of its own.
//
// "Applied" means the stored heads and everything below them in the graph
// (down_revisions and depends_on). Each applied revision is compared with
// the checksum of its most recent successful history row naming it:
//  - an `upgrade` or `accept` row gives the checksum to compare with;
//  - a `downgrade` or `stamp` row (or no row, or a row without a checksum)
//    means the revision's present application was not recorded with a file
//    checksum (e.g. `migrate stamp`): it is not checked.
// 'failed' rows are ignored: a failed step never applied its revision.
#pragma once

#include <string>
#include <vector>

#include "db/database.h"
#include "script/script_directory.h"

namespace migrate::runner {

// One applied revision whose file does not match what was applied.
struct ChecksumProblem {
  enum Kind { kChanged, kMissing };
  Kind kind = kChanged;
  std::string revision;
  std::string path;     // the file now; empty when it is missing
  std::string current;  // SHA-256 of the file now; empty when it is missing
  // The history row the file is compared with; all empty when there is none
  // (a missing file is reported with or without one).
  std::string recorded;            // its checksum
  std::string recorded_direction;  // "upgrade", "accept" or "adopt"
  std::string recorded_at;         // ISO 8601 UTC
  std::string recorded_by;         // user@host
};

struct ChecksumReport {
  std::vector<std::string> checked;    // applied, with a file and a recorded checksum
  std::vector<std::string> unchecked;  // applied, with a file, no checksum to compare with
  std::vector<ChecksumProblem> problems;
  bool ok() const { return problems.empty(); }
};

// Compares every applied revision with its file. A stored head the scripts
// do not know is reported as kMissing (what was below it cannot be known,
// so only the other heads' revisions are checked). Revisions are reported in
// the scripts' file order, unknown heads last.
ChecksumReport verify_checksums(const script::ScriptDirectory& scripts,
                                const std::vector<std::string>& heads,
                                const std::vector<db::HistoryEntry>& history);

// One line for a user: "revision ab12 (PATH) changed since it was applied on
// T by U: checksum was 1234…, is now 5678…", or "revision ab12 is applied but
// its file is missing from DIR (applied on T by U)".
std::string describe(const ChecksumProblem& problem, const script::ScriptDirectory& scripts);

// The first 12 hex digits of a checksum and "…", for messages.
std::string short_checksum(const std::string& checksum);

}  // namespace migrate::runner
