// Turns a plan into executed steps: one transaction per step (the backend's
// job), the version-table changes worked out by HeadMaintainer, one line of
// progress per step. Knows nothing of YAML or the command line.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "db/database.h"
#include "graph/revision_graph.h"
#include "runner/backfill_step.h"
#include "runner/checksums.h"
#include "script/script_directory.h"

namespace migrate::runner {

// What a finished step looked like, for progress output.
struct StepReport {
  graph::Step step;
  std::vector<std::string> from;  // revisions the step starts from ("<base>" when empty)
  std::vector<std::string> to;
  std::string message;
  double duration_ms = 0;
};

// "Running upgrade a, b -> c, message" as Alembic prints it.
std::string describe_step(const StepReport& report);
// from/to/message of a step, without running it.
StepReport report_for(const script::ScriptDirectory& scripts, const graph::Step& step);

// What upgrade and downgrade do when an applied revision's file no longer
// matches the checksum it was applied with (runner/checksums.h).
struct ChangedFiles {
  bool allow = false;  // false: refuse before anything runs
  // With `allow`: called once per changed or missing file, with one line.
  std::function<void(const std::string&)> warn;
};

class Runner {
 public:
  using Progress = std::function<void(const StepReport&)>;
  // Looks at an upgrade's planned steps before the first one runs (the
  // linter's gate, cli/lint_gate.h), with the run's database to ask (under
  // the run lock, outside any transaction); throwing refuses the whole run.
  using PlanCheck = std::function<void(const std::vector<db::PlannedStep>&, db::Database&)>;

  Runner(db::Database& db, const script::ScriptDirectory& scripts, Progress on_step,
         std::chrono::milliseconds lock_wait);

  // Each returns the steps it ran. The run lock is held throughout, and the
  // version table is read after taking it, so a runner that waited does
  // nothing that another already did.
  //
  // Before planning, both compare every applied revision's file with the
  // checksum it was applied with, and refuse (migrate::Error naming each
  // revision and file) when one differs or is missing, unless
  // `set_changed_files()` allows it. A downgrade checks too: it runs the downgrade
  // sections of applied files, which may have been edited since.
  std::vector<StepReport> upgrade(const std::string& target);
  // `upgrade --dry-run` / `downgrade --dry-run`: the same plan, run by
  // db::Database::dry_run and rolled back (nothing persists: the version
  // and history tables are not even created). Under the run lock; applied
  // files are checked as for a real run. `reports` gets each step's
  // from/to/message, by the report's step index.
  db::DryRunReport dry_run(bool upgrade, const std::string& target,
                           std::vector<StepReport>& reports);
  std::vector<StepReport> downgrade(const std::string& target);
  void set_changed_files(ChangedFiles policy) { changed_files_ = std::move(policy); }
  // Whether an upgrade runs contract revisions (runner/phases.h) it does not
  // name as its target. After upgrade(), waiting_contracts() lists those it
  // stopped before.
  void set_allow_contracts(bool allow) { allow_contracts_ = allow; }
  const std::vector<std::string>& waiting_contracts() const { return waiting_contracts_; }
  void set_upgrade_check(PlanCheck check) { upgrade_check_ = std::move(check); }
  // Called as each step of upgrade()/downgrade() is about to run (the first
  // before the run starts, each next one as its predecessor commits), for
  // a live progress line. The report has no duration yet.
  void set_on_start(Progress on_start) { on_start_ = std::move(on_start); }
  // Tuning and events for `phase: backfill` revisions (runner/backfill_step.h).
  void set_backfill(BackfillSettings settings) { backfill_ = std::move(settings); }
  // Returns the version-table changes made. A stamp that changes nothing
  // still settles the failed steps the history holds (runner/step_failures.h:
  // the user repaired them by hand and says the table is right), recording
  // a "settle" row for each; settled() lists them.
  std::vector<graph::VersionOp> stamp(const std::vector<std::string>& targets, bool purge);
  const std::vector<db::HistoryEntry>& settled() const { return settled_; }

  // Compares the applied revisions with their files. Reads only.
  ChecksumReport validate();
  // The same under the run lock, then records the file's current checksum
  // as accepted (a history row with direction "accept") for every changed
  // revision and every applied one without a recorded checksum, so that
  // later checks compare with it. Returns the report as it was before, and
  // the checksums recorded. A missing file cannot be accepted: it stays a
  // problem in the report.
  ChecksumReport accept(std::vector<db::AcceptedChecksum>& accepted);

 private:
  std::vector<StepReport> run(bool upgrade, const std::string& target);
  // Runs the checked plan: backfill revisions alone, the rest through
  // db::Database::run_steps; `step_done(i, ms)` as step i commits.
  void run_planned(const std::vector<graph::Step>& plan, const std::vector<db::PlannedStep>& steps,
                   const std::function<void(std::size_t, double)>& step_done);
  // The one error a failed run throws: `e`'s text (a library's exception
  // gets the failing step's file and revision), then the steps of this run
  // that committed before it.
  static Error step_failure(const std::exception& e, const db::StepSpec* failed,
                            const std::vector<StepReport>& done);
  // The plan from the stored `heads` to `target`, shared by run() and
  // dry_run(): applied files checked first, contracts held back unless
  // allowed (waiting_contracts() then names them).
  std::vector<graph::Step> plan_for(bool upgrade, const std::string& target,
                                    const std::vector<std::string>& heads);
  // Every step of the plan from `heads` to `target`, worked out before the
  // first one runs (version ops, guards, checked). `backfills`: downgrades
  // also clear the stale checkpoints of backfill revisions.
  std::vector<db::PlannedStep> plan_steps(const std::vector<graph::Step>& plan,
                                          const std::vector<std::string>& heads, bool backfills);
  // Refuses or warns (changed_files_) when an applied file changed.
  void check_applied_files(const std::vector<std::string>& heads, bool upgrade);

  db::Database& db_;
  const script::ScriptDirectory& scripts_;
  Progress on_step_;
  std::chrono::milliseconds lock_wait_;
  ChangedFiles changed_files_;
  bool allow_contracts_ = false;
  std::vector<std::string> waiting_contracts_;
  std::vector<db::HistoryEntry> settled_;
  PlanCheck upgrade_check_;
  Progress on_start_;
  BackfillSettings backfill_;
};

}  // namespace migrate::runner
