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
  // Copy batches (an online table rebuild, e.g. SQLite's): each batch also
  // runs INSERT INTO copy_to (columns) SELECT expressions FROM table WHERE
  // <the batch's keys> ON CONFLICT (key) DO NOTHING: rows not in copy_to yet
  // are copied (the triggers keep those already there up to date). `copy`
  // maps copy_to's columns to SQL expressions over the table's row; it has
  // the key columns. Either `set` or `copy` may be empty, not both.
  std::string copy_to;
  std::vector<std::pair<std::string, std::string>> copy;
  // Tuning; unset = the engine's defaults (backfill/engine.h).
  std::optional<long long> batch_rows;                  // initial batch size
  std::optional<std::chrono::milliseconds> batch_time;  // target time per batch
  std::optional<std::chrono::milliseconds> pause;       // between batches
};

// Parses the mapping (YAML text). Throws migrate::Error "PATH:LINE: `backfill`:
// ..." for a missing `table`, an empty `key` or `set`, an unknown key, a bad
// number or time value, or a `set` column that is also a key column (the
// backfill never writes the key), `copy` without `copy_to` (or the other
// way round), a `copy` without the key columns, neither `set` nor `copy`.
BackfillSpec parse_backfill_spec(const std::string& yaml, const std::string& path, int line);

}  // namespace migrate::script
