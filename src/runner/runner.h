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

class Runner {
 public:
  using Progress = std::function<void(const StepReport&)>;

  Runner(db::Database& db, const script::ScriptDirectory& scripts, Progress on_step,
         std::chrono::milliseconds lock_wait);

  // Each returns the steps it ran. The run lock is held throughout, and the
  // version table is read after taking it, so a runner that waited does
  // nothing that another already did.
  std::vector<StepReport> upgrade(const std::string& target);
  std::vector<StepReport> downgrade(const std::string& target);
  // Returns the version-table changes made.
  std::vector<graph::VersionOp> stamp(const std::vector<std::string>& targets, bool purge);

 private:
  std::vector<StepReport> run(bool upgrade, const std::string& target);

  db::Database& db_;
  const script::ScriptDirectory& scripts_;
  Progress on_step_;
  std::chrono::milliseconds lock_wait_;
};

}  // namespace migrate::runner
