// `migrate revision --expand-contract PLAN.yaml` (cli/cmd_expand.cpp),
// called by the revision command (cli/cmd_revision.cpp).
#pragma once

#include <string>
#include <vector>

#include "cli/context.h"

namespace migrate::cli {

struct ExpandArgs {
  std::string plan_path;
  std::string message;               // "" = one made from the plan
  std::string rev_id;                // "" = generated; else ID_expand, ID_backfill, ID_contract
  std::vector<std::string> parents;  // what the expand revision follows (resolved)
  std::vector<std::string> branch_labels, depends_on;
};

// Writes the three revisions and says so on ctx.out. Throws migrate::Error
// naming PLAN.yaml:LINE for a plan that cannot be done safely.
int write_expand_contract(Context& ctx, const ExpandArgs& args);

}  // namespace migrate::cli
