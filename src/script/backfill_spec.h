// The `backfill:` section of a `phase: backfill` revision's header
// (/work/wt/BACKFILL-FORMAT.md, docs/zero-downtime.md): which table, the key
// the batches walk, the columns to fill and how, an optional filter, and
// the engine's tuning. Pure: no database.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace migrate::script {

struct BackfillSpec {
  std::string table;             // `table` or `schema.table`, as written
  std::vector<std::string> key;  // primary key or unique NOT NULL columns, in index order
  // column -> SQL expression over the row's columns, in the header's order.
  std::vector<std::pair<std::string, std::string>> set;
  std::string where;  // optional filter; empty = every row
  // Tuning; unset = the engine's defaults (backfill/engine.h).
  std::optional<long long> batch_rows;                  // initial batch size
  std::optional<std::chrono::milliseconds> batch_time;  // target time per batch
  std::optional<std::chrono::milliseconds> pause;       // between batches
};

// Parses the mapping (YAML text). Throws migrate::Error "PATH:LINE: `backfill`:
// ..." for a missing `table`, an empty `key` or `set`, an unknown key, a bad
// number or time value, or a `set` column that is also a key column (the
// backfill never writes the key).
BackfillSpec parse_backfill_spec(const std::string& yaml, const std::string& path, int line);

}  // namespace migrate::script
