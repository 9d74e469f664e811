#include "runner/runner.h"

#include <fmt/format.h>

#include <chrono>

namespace migrate::runner {

namespace {

std::string comma_list(const std::vector<std::string>& ids) {
  if (ids.empty()) return "<base>";
  return fmt::format("{}", fmt::join(ids, ", "));
}

}  // namespace

std::string describe_step(const StepReport& r) {
  std::string line = fmt::format("Running {} {} -> {}", r.step.upgrade ? "upgrade" : "downgrade",
                                 comma_list(r.from), comma_list(r.to));
  if (!r.message.empty()) line += ", " + r.message;
  return line;
}

StepReport report_for(const script::ScriptDirectory& scripts, const graph::Step& step) {
  const auto& file = scripts.file(step.revision);
  StepReport r;
  r.step = step;
  r.message = file.message;
  // Like Alembic, progress names the versioned parents only; dependencies are
  // ordering, not position in the version table.
  if (step.upgrade) {
    r.from = file.down_revisions;
    r.to = {file.id};
  } else {
    r.from = {file.id};
    r.to = file.down_revisions;
  }
  return r;
}

Runner::Runner(db::Database& db, const script::ScriptDirectory& scripts, Progress on_step,
               std::chrono::milliseconds lock_wait)
    : db_(db), scripts_(scripts), on_step_(std::move(on_step)), lock_wait_(lock_wait) {}

std::vector<StepReport> Runner::upgrade(const std::string& target) { return run(true, target); }

std::vector<StepReport> Runner::downgrade(const std::string& target) { return run(false, target); }

std::vector<StepReport> Runner::run(bool upgrade, const std::string& target) {
  const auto& graph = scripts_.graph();
  auto lock = db_.lock(lock_wait_);
  db_.ensure_tables();
  // Read only after the lock is ours: another runner may have moved the
  // database while we waited.
  std::vector<std::string> heads = db_.current_heads();
  std::vector<graph::Step> plan =
      upgrade ? graph.upgrade_plan(heads, target) : graph.downgrade_plan(heads, target);

  graph::HeadMaintainer maintainer(graph, heads);
  std::vector<StepReport> done;
  for (const auto& step : plan) {
    const auto& file = scripts_.file(step.revision);
    std::vector<std::string> before(maintainer.heads().begin(), maintainer.heads().end());

    db::StepSpec spec;
    spec.revision = file.id;
    spec.upgrade = step.upgrade;
    spec.sql = step.upgrade ? file.upgrade_sql : file.downgrade_sql;
    spec.first_line = step.upgrade ? file.upgrade_line : file.downgrade_line;
    spec.file = file.path;
    spec.transactional = file.transactional;
    spec.version_ops = maintainer.apply(step);
    spec.checksum = file.checksum();

    auto start = std::chrono::steady_clock::now();
    db_.run_step(spec, before);
    StepReport report = report_for(scripts_, step);
    report.duration_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (on_step_) on_step_(report);
    done.push_back(std::move(report));
  }
  return done;
}

std::vector<graph::VersionOp> Runner::stamp(const std::vector<std::string>& targets, bool purge) {
  auto lock = db_.lock(lock_wait_);
  db_.ensure_tables();
  std::vector<std::string> heads = db_.current_heads();
  auto ops = scripts_.graph().stamp_ops(heads, targets, purge);
  if (!ops.empty()) db_.stamp(ops, heads);
  return ops;
}

}  // namespace migrate::runner
