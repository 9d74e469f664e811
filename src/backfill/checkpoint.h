// A backfill's checkpoint: one row per unfinished backfill revision in
// `migrate_backfill`, beside the version table (same schema). It is written
// in the same transaction as each batch, so a killed run resumes after the
// last committed batch; it is deleted in the transaction that moves the
// version table once the backfill is done, and by the revision's downgrade.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.h"

namespace migrate::backfill {

struct Checkpoint {
  std::string revision;
  std::string table;
  std::optional<std::string> position;  // JSON array of the last key done; none yet
  std::optional<std::string> bound;     // JSON array of the last key to do; none = empty table
  long long rows_updated = 0;           // rows the batches changed
  long long rows_walked = 0;            // keys the batches passed (filtered rows too)
  long long batches = 0;
  std::optional<long long> total_estimate;  // rows in the table when it started
  std::string started_at, updated_at;       // ISO 8601 UTC
};

// A row of BatchSql's checkpoint queries.
Checkpoint checkpoint_from_row(const std::vector<std::optional<std::string>>& row);

// Every unfinished backfill of the database (for `status`); empty when the
// checkpoint table (or the SQLite file) does not exist or cannot be read.
// Reads in a short transaction of its own.
std::vector<Checkpoint> read_checkpoints(db::Database& db);

// "12,345 of ~1,000,000 rows (1.2%)" style summary, for status lines.
std::string describe_checkpoint(const Checkpoint& c);

}  // namespace migrate::backfill
