// The SQL of a backfill, per dialect: key positions as JSON arrays and back
// as literals, the batch statements, the checkpoint table, the row estimate
// and (PostgreSQL) the replica lag. The engine (engine.h) only strings these
// together; the one place that looks at the dialect is make_batch_sql().
//
// A position (a key's values) travels as a JSON array: PostgreSQL writes
// each value as text (json_build_array(k::text, ...)), read back as quoted
// literals that the server casts to the column's type, so any type with a
// text form works (numeric keeps every digit); SQLite writes its native
// values (json_array), read back as numbers or quoted strings so that
// comparisons keep their type. BLOB keys are not supported on SQLite.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"
#include "script/backfill_spec.h"

namespace migrate::backfill {

class BatchSql {
 public:
  BatchSql(const db::Dialect& dialect, const script::BackfillSpec& spec,
           const db::TableNames& tables);
  virtual ~BatchSql() = default;

  // `schema.table` quoted, from the spec.
  const std::string& table() const { return table_; }
  const std::string& checkpoint_table() const { return checkpoint_; }

  // The last key of the table (the bound), one JSON column; no row when empty.
  std::string last_key_sql() const;
  // The batch's last key and how many keys it walks: the first `rows` keys
  // after `position` (nullopt = from the start), up to `bound`. One row
  // (json, count) or none when no key is left.
  std::string batch_end_sql(const std::optional<std::string>& position, const std::string& bound,
                            long long rows) const;
  // The `rows`-th key after `position` up to `bound` (one JSON column), no
  // row when fewer are left (then batch_end_sql finds the tail): the batch
  // walks exactly `rows` keys, and nothing needs counting. nullopt when the
  // dialect counts in batch_end_sql every time.
  virtual std::optional<std::string> full_batch_end_sql(const std::optional<std::string>& position,
                                                        const std::string& bound,
                                                        long long rows) const;
  // The UPDATE of the keys in (position, end], filtered by the spec's where;
  // nullopt when the spec sets nothing.
  std::optional<std::string> update_sql(const std::optional<std::string>& position,
                                        const std::string& end) const;
  // The copy of the keys in (position, end] into the spec's copy_to, rows
  // already there left alone; nullopt when the spec copies nothing.
  std::optional<std::string> copy_sql(const std::optional<std::string>& position,
                                      const std::string& end) const;

  // Checkpoint table (beside the version table).
  std::string create_checkpoint_sql() const;
  std::string read_checkpoint_sql(const std::string& revision) const;  // see checkpoint.h
  std::string read_all_checkpoints_sql() const;
  std::string insert_checkpoint_sql(const std::string& revision,
                                    const std::optional<std::string>& bound,
                                    std::optional<long long> estimate,
                                    const std::string& now) const;
  std::string advance_checkpoint_sql(const std::string& revision, const std::string& position,
                                     long long updated, long long walked,
                                     const std::string& now) const;
  std::string delete_checkpoint_sql(const std::string& revision) const;

  // A rough row count of the table (one value, may be NULL or negative).
  virtual std::string estimate_rows_sql() const = 0;
  // For ReplicaWatch (replica_watch.h), when the dialect has standbys to
  // ask: one row of the primary's WAL position, the least replayed position
  // of its standbys (NULL: none) as byte counts, the largest replay lag in
  // ms (may be NULL), the number of standbys, and whether the role may see
  // their positions.
  virtual std::optional<std::string> replica_positions_sql() const { return std::nullopt; }
  // The target time per batch when the revision sets none.
  virtual std::chrono::milliseconds default_batch_time() const {
    return std::chrono::milliseconds(150);
  }
  // The pause between batches when the revision sets none (the engine
  // takes it after each stretch of about batch_time of batches).
  virtual std::chrono::milliseconds default_pause(std::chrono::milliseconds /*batch_time*/) const {
    return std::chrono::milliseconds(0);
  }
  // The default pause after the lock was held for `held_ms` since the last
  // pause: at least `pause`, longer where a writer that waited that long
  // retries less often (SQLite's busy handler).
  virtual std::chrono::milliseconds default_pause_after(std::chrono::milliseconds pause,
                                                        double /*held_ms*/) const {
    return pause;
  }
  // Connection settings for the batches, restored after them: each with the
  // statement that reads it (one value) and the one that sets it.
  struct Setting {
    std::string read;
    std::function<std::string(const std::string&)> set;
    std::string value;  // during the batches
    // Only when this statement's one value is `only_if.second`.
    std::optional<std::pair<std::string, std::string>> only_if;
  };
  virtual std::vector<Setting> batch_settings() const { return {}; }
  // What the engine runs between batches, outside their transactions (the
  // SQLite WAL checkpoint); nullopt = nothing.
  virtual std::optional<std::string> checkpoint_sql() const { return std::nullopt; }
  // The last key up to `bound` and how many keys are left after `position`
  // (json or NULL, count): the batch end when fewer than a full batch are
  // left (full_batch_end_sql found none).
  std::string rest_sql(const std::optional<std::string>& position, const std::string& bound) const;

 protected:
  // SQL of the key columns as one JSON array value.
  virtual std::string key_json(const std::string& prefix) const = 0;
  // The JSON array `position` as a row of SQL literals: "(1, 'a')".
  virtual std::string literal_row(const std::string& position) const = 0;

  const db::Dialect& dialect_;
  const script::BackfillSpec& spec_;
  std::string table_, checkpoint_;
  std::string key_row_;    // ("k1", "k2")
  std::string key_order_;  // "k1", "k2"
  std::string key_desc_;   // "k1" DESC, "k2" DESC

  // `key > after AND key <= upto` (no lower bound when `after` is nullopt).
  std::string range(const std::optional<std::string>& after, const std::string& upto) const;
};

// The BatchSql of the database's dialect.
std::unique_ptr<BatchSql> make_batch_sql(const db::Dialect& dialect,
                                         const script::BackfillSpec& spec,
                                         const db::TableNames& tables);

}  // namespace migrate::backfill
