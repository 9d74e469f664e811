#include "runner/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "backfill/batch_sql.h"
#include "backfill/replica_watch.h"
#include "runner/backfill_step.h"
#include "runner/phases.h"
#include "runner/step_failures.h"
#include "runner/step_guards.h"
#include "util/error.h"

namespace migrate::runner {

namespace {

// Plain appends, not fmt: this runs for every step's progress line.
void append_comma_list(std::string& out, const std::vector<std::string>& ids) {
  if (ids.empty()) {
    out += "<base>";
    return;
  }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ", ";
    out += ids[i];
  }
}

}  // namespace

std::string describe_step(const StepReport& r) {
  std::string line = r.step.upgrade ? "Running upgrade " : "Running downgrade ";
  append_comma_list(line, r.from);
  line += " -> ";
  append_comma_list(line, r.to);
  if (!r.message.empty()) {
    line += ", ";
    line += r.message;
  }
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
  std::vector<std::string> heads;
  std::vector<graph::Step> plan;
  std::vector<db::PlannedStep> steps;
  bool backfills = false;
  auto prepare = [&] {
    // Read only after the lock is ours: another runner may have moved the
    // database while we waited. A missing version table reads as no heads.
    heads = db_.current_heads();
    plan = plan_for(upgrade, target, heads);
    // Every step is worked out before the first one runs, so the backend
    // can send several at once (db::Database::run_steps).
    backfills = false;
    for (const auto& step : plan)
      backfills = backfills || touches_backfill(scripts_, step.revision, step.upgrade);
    steps = plan_steps(plan, heads, backfills);
    if (upgrade && upgrade_check_ && !steps.empty()) upgrade_check_(steps, db_);
  };
  auto lock = db_.lock(lock_wait_);
  prepare();
  // Only now, when every check has passed and there is something to run:
  // a refused run ("Nothing was run") or an empty plan creates nothing, not
  // even the database file. The steps create the version tables in the
  // first one's transaction (db::Database::run_step).
  if (steps.empty()) return {};
  if (db_.create_if_absent()) {
    // Another run may have created it first: lock, and look again.
    lock = db_.lock(lock_wait_);
    if (db_.current_heads() != heads) prepare();
    if (steps.empty()) return {};
  }
  if (backfills) backfill::Engine::ensure_checkpoint_table(db_);

  std::vector<StepReport> done;
  auto step_done = [&](std::size_t i, double duration_ms) {
    StepReport report = report_for(scripts_, plan[i]);
    report.duration_ms = duration_ms;
    if (on_step_) on_step_(report);
    done.push_back(std::move(report));
    if (on_start_ && i + 1 < plan.size()) on_start_(report_for(scripts_, plan[i + 1]));
  };
  if (on_start_) on_start_(report_for(scripts_, plan[0]));
  try {
    run_planned(plan, steps, step_done);
  } catch (const std::exception& e) {
    // Every step failure, whatever threw it, leaves here: named, and with
    // the steps of this run that committed before it.
    throw step_failure(e, done.size() < plan.size() ? &steps[done.size()].spec : nullptr, done);
  }
  return done;
}

Error Runner::step_failure(const std::exception& e, const db::StepSpec* failed,
                           const std::vector<StepReport>& done) {
  std::string message = e.what();
  const auto* error = dynamic_cast<const Error*>(&e);
  // A migrate::Error from a backend names the file, line and statement; an
  // exception of a library's own does not.
  if (!error && failed)
    message = fmt::format("{}: step {} ({}) failed: {}", failed->file, failed->revision,
                          failed->upgrade ? "upgrade" : "downgrade", message);
  if (!done.empty()) {
    std::string ids;
    for (const auto& r : done) ids += (ids.empty() ? "" : ", ") + r.step.revision;
    message +=
        fmt::format("\n  ({} step{} of this run committed before it and stay{} applied: {})",
                    done.size(), done.size() == 1 ? "" : "s", done.size() == 1 ? "s" : "", ids);
  }
  return Error(message, error ? error->exit_code() : kExitFailed);
}

void Runner::run_planned(const std::vector<graph::Step>& plan,
                         const std::vector<db::PlannedStep>& steps,
                         const std::function<void(std::size_t, double)>& step_done) {
  // The steps between backfill revisions go to the backend together; a
  // backfill revision runs on its own (runner/backfill_step.h). With
  // --max-replica-lag every step goes alone, after a wait while a standby
  // is behind (none before the first: the run has written nothing yet).
  std::optional<backfill::ReplicaWatch> replicas;
  if (backfill_.options.max_replica_lag) {
    script::BackfillSpec none;
    none.table = "-";
    replicas.emplace(
        *backfill_.options.max_replica_lag,
        backfill::make_batch_sql(db_.dialect(), none, db_.tables())->replica_positions_sql());
  }
  auto wait_before = [&](std::size_t i) {
    if (!replicas || i == 0) return;
    replicas->wait(db_, [&](long long lag) {
      if (backfill_.events.note)
        backfill_.events.note(
            fmt::format("waiting before step {} ({}): a standby's replay lag is {}ms (over "
                        "--max-replica-lag {}ms)",
                        plan[i].revision, plan[i].upgrade ? "upgrade" : "downgrade", lag,
                        replicas->max().count()));
    });
  };
  std::size_t from = 0;
  for (std::size_t i = 0; i <= steps.size(); ++i) {
    const bool is_backfill =
        i < steps.size() && plan[i].upgrade && scripts_.file(plan[i].revision).backfill;
    if (i < steps.size() && !is_backfill && !replicas) continue;
    if (replicas && i < steps.size()) {
      wait_before(i);
      if (!is_backfill) {
        db_.run_steps({steps[i]}, [&](std::size_t, double ms) { step_done(i, ms); });
        from = i + 1;
        continue;
      }
    }
    if (from < i) {
      std::vector<db::PlannedStep> part(steps.begin() + static_cast<std::ptrdiff_t>(from),
                                        steps.begin() + static_cast<std::ptrdiff_t>(i));
      db_.run_steps(part, [&](std::size_t j, double ms) { step_done(from + j, ms); });
    }
    if (is_backfill)
      step_done(i, run_backfill_step(db_, scripts_.file(plan[i].revision), steps[i], backfill_));
    from = i + 1;
  }
}

// `backfills`: the plan touches a backfill revision, so downgrades clear
// stale checkpoints (run() creates the table before the steps run).
std::vector<db::PlannedStep> Runner::plan_steps(const std::vector<graph::Step>& plan,
                                                const std::vector<std::string>& heads,
                                                bool backfills) {
  const auto& graph = scripts_.graph();
  graph::HeadMaintainer maintainer(graph, heads);
  std::vector<db::PlannedStep> steps;
  steps.reserve(plan.size());
  for (const auto& step : plan) {
    const auto& file = scripts_.file(step.revision);
    db::PlannedStep planned;
    planned.expected_heads_before.assign(maintainer.heads().begin(), maintainer.heads().end());
    db::StepSpec& spec = planned.spec;
    spec.revision = file.id;
    spec.upgrade = step.upgrade;
    spec.sql = step.upgrade ? file.upgrade_sql : file.downgrade_sql;
    spec.first_line = step.upgrade ? file.upgrade_line : file.downgrade_line;
    spec.file = file.path;
    spec.transactional = file.transactional;
    spec.version_ops = maintainer.apply(step);
    spec.checksum = file.checksum();
    spec.lock_timeout = file.lock_timeout;
    spec.statement_timeout = file.statement_timeout;
    // On the step's first line, so the file's line numbers stay right.
    if (backfills && !step.upgrade)
      spec.sql = stale_checkpoints_sql(db_, scripts_, file.id) + spec.sql;
    spec.guards = step_guards(file, step.upgrade, db_.dialect());
    steps.push_back(std::move(planned));
  }

  return steps;
}

db::DryRunReport Runner::dry_run(bool upgrade, const std::string& target,
                                 std::vector<StepReport>& reports) {
  auto lock = db_.lock_for_dry_run(lock_wait_);
  // No ensure_tables(): a dry run creates nothing.
  std::vector<std::string> heads = db_.current_heads();
  // The plan a real upgrade would run: contracts held back as it holds them.
  std::vector<graph::Step> plan = plan_for(upgrade, target, heads);
  reports.clear();
  for (const auto& step : plan) reports.push_back(report_for(scripts_, step));
  // No checkpoint clean-up in a dry run: its table may not exist, and
  // nothing persists anyway. A backfill revision's engine does not run.
  return db_.dry_run(plan_steps(plan, heads, false));
}

std::vector<graph::Step> Runner::plan_for(bool upgrade, const std::string& target,
                                          const std::vector<std::string>& heads) {
  check_applied_files(heads, upgrade);
  const auto& graph = scripts_.graph();
  // Names every row and the way out (stamp --purge), which the plans'
  // own overlap check cannot: they do not know the heads came from a table.
  graph.check_version_rows(heads);
  std::vector<graph::Step> plan =
      upgrade ? graph.upgrade_plan(heads, target) : graph.downgrade_plan(heads, target);
  waiting_contracts_.clear();
  if (upgrade) {
    HeldBack split = hold_back_contracts(scripts_, plan, target, heads, allow_contracts_);
    plan = std::move(split.run);
    waiting_contracts_ = std::move(split.waiting);
  }
  return plan;
}

void Runner::check_applied_files(const std::vector<std::string>& heads, bool upgrade) {
  // Nothing applied, nothing to compare: a fresh database costs no history read.
  if (heads.empty()) return;
  ChecksumReport report = verify_checksums(scripts_, heads, db_.history());
  if (report.ok()) return;
  if (changed_files_.allow) {
    for (const auto& p : report.problems)
      if (changed_files_.warn) changed_files_.warn(describe(p, scripts_) + " (--allow-changed)");
    return;
  }
  std::string lines;
  bool any_changed = false, any_missing = false;
  for (const auto& p : report.problems) {
    lines += "\n  " + describe(p, scripts_);
    (p.kind == ChecksumProblem::kChanged ? any_changed : any_missing) = true;
  }
  std::string hint;
  if (any_changed)
    hint += "\nIf the change is intended, run `migrate validate --accept` or pass --allow-changed.";
  if (any_missing)
    hint +=
        "\nRestore the missing file, or reset the version table with `migrate stamp --purge "
        "REV`.";
  const std::size_t n = report.problems.size();
  throw Error(fmt::format(
      "refusing to {}: {} applied revision{} no longer match{} what was applied:{}\nNothing was "
      "run.{}",
      upgrade ? "upgrade" : "downgrade", n, n == 1 ? "" : "s", n == 1 ? "es" : "", lines, hint));
}

ChecksumReport Runner::validate() {
  return verify_checksums(scripts_, db_.current_heads(), db_.history());
}

ChecksumReport Runner::accept(std::vector<db::AcceptedChecksum>& accepted) {
  auto lock = db_.lock(lock_wait_);
  ChecksumReport report = validate();
  accepted.clear();
  for (const auto& p : report.problems)
    if (p.kind == ChecksumProblem::kChanged) accepted.push_back({p.revision, p.current});
  for (const auto& id : report.unchecked) accepted.push_back({id, scripts_.file(id).checksum()});
  if (!accepted.empty()) db_.record_accepted(accepted);
  return report;
}

std::vector<graph::VersionOp> Runner::stamp(const std::vector<std::string>& targets, bool purge) {
  auto lock = db_.lock(lock_wait_);
  std::vector<std::string> heads = db_.current_heads();
  auto ops = scripts_.graph().stamp_ops(heads, targets, purge);
  settled_.clear();
  if (ops.empty()) {
    // Nothing to change: the table is right as it is. Failed steps still
    // open are settled by saying so (as any stamp that writes settles them).
    settled_ = unresolved_failures(db_.history());
    std::vector<std::string> revisions;
    for (const auto& f : settled_)
      if (std::find(revisions.begin(), revisions.end(), f.revision) == revisions.end())
        revisions.push_back(f.revision);
    if (!revisions.empty()) db_.record_settled(revisions);
    return ops;
  }
  // Tables (and an SQLite file) only for a stamp that writes: a refused or
  // empty one creates none.
  if (db_.create_if_absent()) {
    // Another run may have created it first: lock, and look again.
    lock = db_.lock(lock_wait_);
    std::vector<std::string> now = db_.current_heads();
    if (now != heads) ops = scripts_.graph().stamp_ops(heads = now, targets, purge);
    if (ops.empty()) return ops;
  }
  db_.ensure_tables();
  db_.stamp(ops, heads);
  return ops;
}

}  // namespace migrate::runner
