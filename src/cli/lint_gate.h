// The upgrade gate: `upgrade` lints the steps it is about to run and,
// under `lint_on_upgrade: error` (the default), refuses before the first
// one runs when a finding is an error. `warn` prints those findings as
// warnings and goes on; `off` skips the linter. Warnings never stop or
// clutter an upgrade: `migrate lint` shows them. On PostgreSQL the rules
// take the server's facts (lint/server_facts.h) through the run's own
// connection.
#pragma once

#include "cli/context.h"
#include "runner/runner.h"

namespace migrate::cli {

// The check to hand to Runner::set_upgrade_check(); empty under
// `lint_on_upgrade: off`.
runner::Runner::PlanCheck make_upgrade_gate(Context& ctx);

}  // namespace migrate::cli
