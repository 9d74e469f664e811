#include "runner/backfill_step.h"

#include <chrono>

namespace migrate::runner {

bool touches_backfill(const script::ScriptDirectory& scripts, const std::string& revision,
                      bool upgrade) {
  if (scripts.file(revision).phase == script::Phase::kBackfill) return true;
  if (upgrade) return false;
  for (const auto& child : scripts.graph().children(revision))
    if (scripts.file(child).phase == script::Phase::kBackfill) return true;
  return false;
}

std::string stale_checkpoints_sql(db::Database& db, const script::ScriptDirectory& scripts,
                                  const std::string& revision) {
  std::string sql;
  auto add = [&](const std::string& id) {
    sql += backfill::Engine::delete_checkpoint_sql(db, id) + "; ";
  };
  if (scripts.file(revision).phase == script::Phase::kBackfill) add(revision);
  for (const auto& child : scripts.graph().children(revision))
    if (scripts.file(child).phase == script::Phase::kBackfill) add(child);
  return sql;
}

double run_backfill_step(db::Database& db, const script::RevisionFile& file,
                         const db::PlannedStep& planned, const BackfillSettings& settings) {
  const auto t0 = std::chrono::steady_clock::now();
  const db::StepSpec& spec = planned.spec;
  std::vector<db::Statement> first = db.dialect().split(spec.sql, spec.first_line, spec.file);
  backfill::Engine engine(db, *file.backfill, file.id,
                          backfill::options_for(*file.backfill, settings.options), settings.events);
  engine.run(first, spec.transactional);
  // The last short transaction: version table, history, checkpoint gone.
  db::StepSpec last = spec;
  last.sql = backfill::Engine::delete_checkpoint_sql(db, file.id) + ";";
  last.transactional = true;
  last.first_line = spec.first_line;
  db.run_step(last, planned.expected_heads_before);
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace migrate::runner
