// Reporters: findings (finding.h) printed for people (human), programs
// (json), code-scanning UIs (sarif: SARIF 2.1.0) and GitHub Actions
// workflow annotations (github: ::error file=...,line=...::message).
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "lint/finding.h"

namespace migrate::lint {

enum class Format { human, json, sarif, github };

// "human", "json", "sarif", "github"; nullopt for anything else.
std::optional<Format> parse_format(const std::string& name);

struct Summary {
  std::size_t files = 0;
  std::size_t statements = 0;
  std::size_t errors = 0;
  std::size_t warnings = 0;
};

Summary summarize(const std::vector<Finding>& findings, std::size_t files, std::size_t statements);

void write_human(std::ostream& out, const std::vector<Finding>& findings, const Summary& summary);
void write_json(std::ostream& out, const std::vector<Finding>& findings, const Summary& summary);
void write_sarif(std::ostream& out, const std::vector<Finding>& findings);
void write_github(std::ostream& out, const std::vector<Finding>& findings, const Summary& summary);

void write_report(std::ostream& out, Format format, const std::vector<Finding>& findings,
                  const Summary& summary);

}  // namespace migrate::lint
