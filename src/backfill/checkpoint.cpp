#include "backfill/checkpoint.h"

#include <fmt/format.h>

#include "backfill/batch_sql.h"

namespace migrate::backfill {

namespace {

long long number(const std::optional<std::string>& v) { return v ? std::stoll(*v) : 0; }

}  // namespace

Checkpoint checkpoint_from_row(const std::vector<std::optional<std::string>>& row) {
  Checkpoint c;
  c.revision = row.at(0).value_or("");
  c.table = row.at(1).value_or("");
  c.position = row.at(2);
  c.bound = row.at(3);
  c.rows_updated = number(row.at(4));
  c.rows_walked = number(row.at(5));
  c.batches = number(row.at(6));
  if (row.at(7)) c.total_estimate = std::stoll(*row.at(7));
  c.started_at = row.at(8).value_or("");
  c.updated_at = row.at(9).value_or("");
  return c;
}

std::vector<Checkpoint> read_checkpoints(db::Database& db) {
  // Only the table's name matters here: a spec for nothing.
  script::BackfillSpec none;
  none.table = "-";
  auto sql = make_batch_sql(db.dialect(), none, db.tables());
  std::vector<Checkpoint> out;
  db::WorkResult r;
  try {
    auto work = db.begin_work({});
    r = work->exec(sql->read_all_checkpoints_sql());
    work->commit();
  } catch (const Error&) {
    // No checkpoint table (no backfill ever started here), or no database
    // file yet: nothing to show.
    return out;
  }
  for (const auto& row : r.rows) out.push_back(checkpoint_from_row(row));
  return out;
}

std::string describe_checkpoint(const Checkpoint& c) {
  std::string total;
  if (c.total_estimate && *c.total_estimate > 0)
    total = fmt::format(
        " of ~{} ({:.1f}%)", *c.total_estimate,
        100.0 * static_cast<double>(c.rows_walked) / static_cast<double>(*c.total_estimate));
  return fmt::format("backfill of {}: {} rows walked{}, {} updated, {} batches, last at {}",
                     c.table, c.rows_walked, total, c.rows_updated, c.batches, c.updated_at);
}

}  // namespace migrate::backfill
