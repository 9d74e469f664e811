// The `lint:` section of migrate.yaml, as written: which rules are on or
// off and at what severity, and the PostgreSQL version the rules assume.
// Only the shape is checked here (a mapping of known keys, scalar values);
// whether a rule id exists is the linter's business (lint/settings.h), which
// names the line kept in `where`.
//
//   lint:
//     postgres_version: 15        # major version (or 150004); default 15
//     functions:                  # volatility of functions the rules cannot know
//       next_code: volatile       # immutable | stable | volatile
//     rules:
//       prefer-bigint: warning    # off | on | warning | error
//       drop-column: off
#pragma once

#include <map>
#include <optional>
#include <string>

namespace YAML {
class Node;
}

namespace migrate::config {

struct LintRuleSetting {
  std::string value;  // off, on, warning or error (checked at load)
  std::string where;  // "FILE:LINE" of the entry, for messages
};

struct LintConfig {
  std::map<std::string, LintRuleSetting> rules;  // rule id -> setting
  // PostgreSQL's major version (11, 15, ...); unset = the linter's default.
  std::optional<int> postgres_version;
  // Function name -> 'i' (immutable), 's' (stable) or 'v' (volatile), for
  // the volatile-default rule when the server cannot be asked.
  std::map<std::string, char> functions;
};

// Reads the `lint:` node of `file`. Throws migrate::Error "FILE:LINE: ..."
// for a value that is not a mapping, an unknown key, a bad setting or
// version.
LintConfig load_lint_config(const YAML::Node& node, const std::string& file);

}  // namespace migrate::config
