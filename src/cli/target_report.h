// What a run on one of many databases tells the parent that started it
// (cli/fanout_command.h), on the descriptor named by the hidden
// --report-fd: one JSON object a line ({"from": [...]}, {"step": 1},
// {"to": [...]}), for the summary table and --json. Nothing without it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/context.h"

namespace migrate::cli {

// Whether a parent listens (then a command may read what it reports).
bool reporting(const Context& ctx);
void report(const Context& ctx, const nlohmann::json& line);

}  // namespace migrate::cli
