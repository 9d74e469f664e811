// The end of a run on many targets: the summary table (target, from -> to,
// steps, time, result), the --json document (one object per target) and
// the exit code (contract: "Many databases", "Exit codes").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fanout/outcome.h"

namespace migrate::fanout {

// Aligned columns, a header line, then one line of counts.
std::string summary_table(const std::vector<Outcome>& outcomes);

// {"databases": [{"database", "result", "exit_code", "canary", "seconds",
// "from", "to", "steps", "output", "stderr", "reason"}, ...], "exit_code"}.
// "output" is the target's stdout as JSON when it is a JSON document (the
// command's own --json), else its lines.
nlohmann::json outcomes_json(const std::vector<Outcome>& outcomes);

// 1 if any target failed, was interrupted or not started; else 3 if any
// check found one not where it should be; else 0.
int exit_code(const std::vector<Outcome>& outcomes);

}  // namespace migrate::fanout
