// `upgrade --dry-run` / `downgrade --dry-run`: runs the plan through
// runner::Runner::dry_run (one transaction, rolled back) and prints, per
// step and statement, the rows affected and, on PostgreSQL, the locks taken
// and the relations rewritten; human text or --json. Exit 1 when a
// statement failed or a row guard would have fired, else 0.
#pragma once

#include <chrono>
#include <string>

#include "cli/context.h"

namespace migrate::cli {

struct DryRunArgs {
  std::string target;
  bool upgrade = true;
  bool json = false;
  bool allow_changed = false;
  bool contract = false;  // upgrade: contract revisions too (--contract)
  std::chrono::milliseconds lock_wait{60000};
};

int run_dry_run(Context& ctx, const DryRunArgs& args);

}  // namespace migrate::cli
