// Helpers for the linter's unit tests: lint SQL text as one or more
// sections (revisions in run order) and look at the rule ids found.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "lint/linter.h"

namespace linttest {

using migrate::lint::Dialect;
using migrate::lint::Finding;
using migrate::lint::Settings;

inline std::vector<Finding> lint_sections(Dialect dialect, const std::vector<std::string>& sqls,
                                          Settings settings = Settings(),
                                          bool transactional = true) {
  migrate::lint::Linter linter(dialect, std::move(settings));
  std::vector<Finding> out;
  int n = 0;
  for (const auto& sql : sqls) {
    migrate::lint::Source s;
    s.file = "r" + std::to_string(++n) + ".sql";
    s.sql = sql;
    s.first_line = 10;
    s.transactional = transactional;
    linter.lint(s, out);
  }
  return out;
}

inline std::vector<std::string> rules_of(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.rule);
  return out;
}

inline bool has_rule(const std::vector<Finding>& findings, const std::string& rule) {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return f.rule == rule; });
}

}  // namespace linttest
