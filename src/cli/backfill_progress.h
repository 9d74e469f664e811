// What `upgrade` shows while a backfill runs, on stderr: on a terminal one
// live line rewritten in place (rows walked / estimated total, rate, ETA);
// otherwise a plain line every few seconds. Retries and throttling get a
// line of their own. With MIGRATE_BACKFILL_STATS=FILE, each committed batch
// appends a JSON line {"ms", "rows", "updated", "size", "attempts"} to FILE
// (bench/backfill_*.sh reads it).
#pragma once

#include <ostream>

#include "backfill/engine.h"

namespace migrate::cli {

// Events printing to `err`; `tty`: whether err is a terminal.
backfill::Events backfill_events(std::ostream& err, bool tty);

// "1,234,567 rows" style line of a progress report.
std::string describe_progress(const backfill::Progress& p);

}  // namespace migrate::cli
