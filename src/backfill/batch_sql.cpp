#include "backfill/batch_sql.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "util/error.h"

namespace migrate::backfill {

namespace {

constexpr const char* kCheckpointTable = "migrate_backfill";

// `schema.table` or `table`, each part quoted.
std::string quote_table(const db::Dialect& d, const std::string& name) {
  const auto dot = name.find('.');
  if (dot == std::string::npos) return d.quote_ident(name);
  return d.quote_ident(name.substr(0, dot)) + "." + d.quote_ident(name.substr(dot + 1));
}

nlohmann::json parse_position(const std::string& position) {
  nlohmann::json j = nlohmann::json::parse(position, nullptr, false);
  if (!j.is_array())
    throw Error("backfill: a stored key position is not a JSON array: " + position);
  return j;
}

class PostgresBatchSql : public BatchSql {
 public:
  using BatchSql::BatchSql;
  std::string estimate_rows_sql() const override {
    // reltuples is -1 (or 0) before the first ANALYZE: then count.
    return fmt::format(
        "SELECT CASE WHEN reltuples > 0 THEN reltuples::bigint ELSE (SELECT count(*) FROM {}) END "
        "FROM pg_class WHERE oid = to_regclass({})",
        table_, dialect_.quote_literal(table_));
  }
  std::optional<std::string> replica_positions_sql() const override {
    return std::string(
        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text, min(pg_wal_lsn_diff("
        "replay_lsn, '0/0'))::text, (extract(epoch FROM max(replay_lag)) * 1000)::float8::text, "
        "count(*)::text, pg_has_role('pg_read_all_stats', 'MEMBER')::text FROM "
        "pg_stat_replication");
  }

 protected:
  std::string key_json(const std::string& prefix) const override {
    std::string out = "json_build_array(";
    for (std::size_t i = 0; i < spec_.key.size(); ++i) {
      if (i) out += ", ";
      out += prefix + dialect_.quote_ident(spec_.key[i]) + "::text";
    }
    return out + ")::text";
  }
  std::string literal_row(const std::string& position) const override {
    std::string out = "(";
    bool first = true;
    for (const auto& v : parse_position(position)) {
      if (!first) out += ", ";
      first = false;
      out += dialect_.quote_literal(v.is_string() ? v.get<std::string>() : v.dump());
    }
    return out + ")";
  }
};

class SqliteBatchSql : public BatchSql {
 public:
  using BatchSql::BatchSql;
  std::string estimate_rows_sql() const override { return "SELECT count(*) FROM " + table_; }
  // SQLite's lock is not fair: a writer waiting in its busy handler
  // (sqlite3_busy_timeout's) tries again 0, 1, 3, 8, 18, 33, 53, 78, 103,
  // 128, 178, 228 ms after its first try, then every 100 ms, and would find
  // the lock taken again at once after every COMMIT. The engine leaves it
  // free for a pause after each batch_time of batches. A pause longer than
  // the 25 ms between the tries from 53 to 128 ms is certain to meet one of
  // them, and the early tries cover the rest of a cycle of up to 128 + pause
  // ms: 100 ms of batches and 30 ms of pause let a writer in within 130 ms,
  // at 77% of the time for the batches. (150 and 50 do within 178 ms, but
  // only just: a few ms of jitter and the writer's tries fall 100 ms apart,
  // in step with the batches, for seconds. Pauses of a few ms let most
  // tries miss them.) bench/backfill_sqlite.sh measures it.
  std::chrono::milliseconds default_batch_time() const override {
    return std::chrono::milliseconds(100);
  }
  std::chrono::milliseconds default_pause(std::chrono::milliseconds batch_time) const override {
    return std::max(std::chrono::milliseconds(5), batch_time * 3 / 10);
  }
  // A writer that has waited longer than 128 ms tries 50 ms apart (to 228
  // ms), then 100 ms apart: after a stretch that held the lock that long
  // (a batch slower than its target: the machine, a cold cache), a 30 ms
  // pause can fall between two of its tries, and it then waits through the
  // next batch and the next, in step (measured: 530 ms once in 10M rows,
  // batch p99 142 ms). The pause is made to cover its next try: the longest
  // gap between tries up to `held_ms`, plus 5 ms for the writer's sleeps
  // running late. The writer then waits at most about held_ms + that gap.
  std::chrono::milliseconds default_pause_after(std::chrono::milliseconds pause,
                                                double held_ms) const override {
    const auto cover = held_ms <= 128 ? 30 : held_ms <= 228 ? 55 : 105;
    return std::max(pause, std::chrono::milliseconds(cover));
  }

  // In WAL mode the committing connection copies the WAL back into the
  // database once it holds more than wal_autocheckpoint pages, inside its
  // COMMIT but after the write lock is released. The engine turns that off
  // for its own connection and checkpoints right after each batch: the same
  // work at the same moment, but timed apart from the batch (whose time is
  // the write lock's) and counted in the pause, during which a waiting
  // writer gets the lock. (A writer's commit still checkpoints if the WAL is
  // past its limit, as it would anyway.)
  //
  // synchronous = NORMAL: in WAL mode a commit then writes the WAL without
  // fsync (the checkpoint syncs it, between batches, outside the lock). A
  // power loss or an OS crash may lose the last batches, never corrupt the
  // file; each batch's checkpoint row is in its own transaction, so the lost
  // batches' positions go with them and the next run redoes them (`set` is
  // idempotent). A killed process loses nothing (the WAL is in the OS's
  // cache). The version move after the last batch commits with the
  // connection's own setting again, and its fsync covers every frame before.
  std::vector<Setting> batch_settings() const override {
    const auto pragma = [](const char* name) {
      return [name](const std::string& v) { return std::string("PRAGMA ") + name + " = " + v; };
    };
    return {{"PRAGMA wal_autocheckpoint", pragma("wal_autocheckpoint"), "0", std::nullopt},
            {"PRAGMA synchronous", pragma("synchronous"), "1",
             std::make_pair(std::string("PRAGMA journal_mode"), std::string("wal"))}};
  }
  std::optional<std::string> checkpoint_sql() const override {
    return std::string("PRAGMA wal_checkpoint(PASSIVE)");
  }

  // SQLite materialises the window query's subquery and sorts it again to
  // find its last row: per key, that cost 2.5 times the batch's UPDATE
  // (bench/backfill_sqlite.sh). An OFFSET only steps through the key's
  // index (for an INTEGER PRIMARY KEY, the table's own b-tree).
  std::optional<std::string> full_batch_end_sql(const std::optional<std::string>& position,
                                                const std::string& bound,
                                                long long rows) const override {
    return fmt::format("SELECT {} FROM {} WHERE {} ORDER BY {} LIMIT 1 OFFSET {}", key_json(""),
                       table_, range(position, bound), key_order_, std::max(0LL, rows - 1));
  }

 protected:
  std::string key_json(const std::string& prefix) const override {
    std::string out = "json_array(";
    for (std::size_t i = 0; i < spec_.key.size(); ++i) {
      if (i) out += ", ";
      out += prefix + dialect_.quote_ident(spec_.key[i]);
    }
    return out + ")";
  }
  std::string literal_row(const std::string& position) const override {
    std::string out = "(";
    bool first = true;
    for (const auto& v : parse_position(position)) {
      if (!first) out += ", ";
      first = false;
      out += v.is_string() ? dialect_.quote_literal(v.get<std::string>()) : v.dump();
    }
    return out + ")";
  }
};

}  // namespace

BatchSql::BatchSql(const db::Dialect& dialect, const script::BackfillSpec& spec,
                   const db::TableNames& tables)
    : dialect_(dialect),
      spec_(spec),
      table_(quote_table(dialect, spec.table)),
      checkpoint_(dialect.qualified(tables, kCheckpointTable)) {
  for (std::size_t i = 0; i < spec.key.size(); ++i) {
    const std::string k = dialect.quote_ident(spec.key[i]);
    if (i) {
      key_order_ += ", ";
      key_desc_ += ", ";
    }
    key_order_ += k;
    key_desc_ += k + " DESC";
  }
  key_row_ = "(" + key_order_ + ")";
}

std::string BatchSql::range(const std::optional<std::string>& after,
                            const std::string& upto) const {
  std::string out;
  if (after) out = key_row_ + " > " + literal_row(*after) + " AND ";
  return out + key_row_ + " <= " + literal_row(upto);
}

std::string BatchSql::last_key_sql() const {
  return fmt::format("SELECT {} FROM {} ORDER BY {} LIMIT 1", key_json(""), table_, key_desc_);
}

std::string BatchSql::batch_end_sql(const std::optional<std::string>& position,
                                    const std::string& bound, long long rows) const {
  // The keys come from the key's index in order; the window count says how
  // many the batch walks, for progress.
  return fmt::format(
      "SELECT {}, count(*) OVER () FROM (SELECT {} FROM {} WHERE {} ORDER BY {} LIMIT {}) b "
      "ORDER BY {} LIMIT 1",
      key_json("b."), key_order_, table_, range(position, bound), key_order_, rows, key_desc_);
}

std::optional<std::string> BatchSql::full_batch_end_sql(
    const std::optional<std::string>& /*position*/, const std::string& /*bound*/,
    long long /*rows*/) const {
  return std::nullopt;
}

std::string BatchSql::rest_sql(const std::optional<std::string>& position,
                               const std::string& bound) const {
  return fmt::format(
      "SELECT (SELECT {} FROM {} WHERE {} ORDER BY {} LIMIT 1), (SELECT count(*) "
      "FROM {} WHERE {})",
      key_json(""), table_, range(position, bound), key_desc_, table_, range(position, bound));
}

std::optional<std::string> BatchSql::update_sql(const std::optional<std::string>& position,
                                                const std::string& end) const {
  if (spec_.set.empty()) return std::nullopt;
  std::string sets;
  for (const auto& [column, expr] : spec_.set) {
    if (!sets.empty()) sets += ", ";
    sets += dialect_.quote_ident(column) + " = " + expr;
  }
  std::string sql = fmt::format("UPDATE {} SET {} WHERE {}", table_, sets, range(position, end));
  if (!spec_.where.empty()) sql += " AND (" + spec_.where + ")";
  return sql;
}

std::optional<std::string> BatchSql::copy_sql(const std::optional<std::string>& position,
                                              const std::string& end) const {
  if (spec_.copy.empty()) return std::nullopt;
  std::string columns, values;
  for (const auto& [column, expr] : spec_.copy) {
    columns += (columns.empty() ? "" : ", ") + dialect_.quote_ident(column);
    values += (values.empty() ? "" : ", ") + expr;
  }
  // The conflict target is the key, so a row that breaks another unique
  // constraint of copy_to fails the batch instead of being skipped. (The
  // WHERE also keeps SQLite from reading ON CONFLICT as a join's ON.)
  return fmt::format("INSERT INTO {} ({}) SELECT {} FROM {} WHERE {} ON CONFLICT ({}) DO NOTHING",
                     quote_table(dialect_, spec_.copy_to), columns, values, table_,
                     range(position, end), key_order_);
}

std::string BatchSql::create_checkpoint_sql() const {
  return fmt::format(
      "CREATE TABLE IF NOT EXISTS {} (\n"
      "  revision VARCHAR(64) NOT NULL PRIMARY KEY,\n"
      "  table_name TEXT NOT NULL,\n"
      "  position TEXT,\n"
      "  bound TEXT,\n"
      "  rows_updated BIGINT NOT NULL DEFAULT 0,\n"
      "  rows_walked BIGINT NOT NULL DEFAULT 0,\n"
      "  batches BIGINT NOT NULL DEFAULT 0,\n"
      "  total_estimate BIGINT,\n"
      "  started_at TEXT NOT NULL,\n"
      "  updated_at TEXT NOT NULL)",
      checkpoint_);
}

namespace {
constexpr const char* kColumns =
    "revision, table_name, position, bound, rows_updated, rows_walked, batches, total_estimate, "
    "started_at, updated_at";
}

std::string BatchSql::read_checkpoint_sql(const std::string& revision) const {
  return fmt::format("SELECT {} FROM {} WHERE revision = {}", kColumns, checkpoint_,
                     dialect_.quote_literal(revision));
}

std::string BatchSql::read_all_checkpoints_sql() const {
  return fmt::format("SELECT {} FROM {} ORDER BY revision", kColumns, checkpoint_);
}

std::string BatchSql::insert_checkpoint_sql(const std::string& revision,
                                            const std::optional<std::string>& bound,
                                            std::optional<long long> estimate,
                                            const std::string& now) const {
  return fmt::format(
      "INSERT INTO {} (revision, table_name, position, bound, total_estimate, started_at, "
      "updated_at) VALUES ({}, {}, NULL, {}, {}, {}, {})",
      checkpoint_, dialect_.quote_literal(revision), dialect_.quote_literal(spec_.table),
      bound ? dialect_.quote_literal(*bound) : "NULL",
      estimate ? std::to_string(*estimate) : "NULL", dialect_.quote_literal(now),
      dialect_.quote_literal(now));
}

std::string BatchSql::advance_checkpoint_sql(const std::string& revision,
                                             const std::string& position, long long updated,
                                             long long walked, const std::string& now) const {
  return fmt::format(
      "UPDATE {} SET position = {}, rows_updated = rows_updated + {}, rows_walked = rows_walked "
      "+ {}, batches = batches + 1, updated_at = {} WHERE revision = {}",
      checkpoint_, dialect_.quote_literal(position), updated, walked, dialect_.quote_literal(now),
      dialect_.quote_literal(revision));
}

std::string BatchSql::delete_checkpoint_sql(const std::string& revision) const {
  return fmt::format("DELETE FROM {} WHERE revision = {}", checkpoint_,
                     dialect_.quote_literal(revision));
}

std::unique_ptr<BatchSql> make_batch_sql(const db::Dialect& dialect,
                                         const script::BackfillSpec& spec,
                                         const db::TableNames& tables) {
  if (dialect.name() == "postgresql")
    return std::make_unique<PostgresBatchSql>(dialect, spec, tables);
  return std::make_unique<SqliteBatchSql>(dialect, spec, tables);
}

}  // namespace migrate::backfill
