// The phases of expand/contract revisions (contract: "Zero-downtime
// changes"): an upgrade applies expand and backfill revisions but stops
// before a contract revision, which waits until the old application is
// gone, unless the run allows contracts (`upgrade --contract`) or names the
// contract revision itself as its target.
#pragma once

#include <string>
#include <vector>

#include "graph/revision_graph.h"
#include "script/script_directory.h"

namespace migrate::runner {

struct HeldBack {
  std::vector<graph::Step> run;      // the plan without what waits, in order
  std::vector<std::string> waiting;  // contract revisions held back (ids)
};

// Splits an upgrade `plan`. A contract step waits unless `allow_contracts`
// or `target` names it by id or id prefix; every step after a waiting one
// on its line of descent (down_revision or depends_on) waits too, without
// being listed.
HeldBack hold_back_contracts(const script::ScriptDirectory& scripts,
                             const std::vector<graph::Step>& plan, const std::string& target,
                             const std::vector<std::string>& current_heads, bool allow_contracts);

// Contract revisions not applied yet whose parents are all applied: what
// `status` lists as waiting. `applied` are every applied revision's ids.
std::vector<std::string> waiting_contracts(const script::ScriptDirectory& scripts,
                                           const std::vector<std::string>& pending);

}  // namespace migrate::runner
