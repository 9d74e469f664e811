// The seam between the dialect-neutral linter (linter.h: directives,
// ignores, settings, positions) and the rules of one dialect: a dialect's
// section linter finds the statements of a section and what its rules say
// about each, as byte offsets. It keeps what it learns across sections (a
// table created by an earlier revision of the run is new).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "lint/rules.h"
#include "lint/settings.h"
#include "lint/source.h"

namespace migrate::lint {

// A rule's verdict on a statement, before ignores and settings apply.
struct Hit {
  RuleId rule;
  std::size_t offset;   // byte offset in the section where it points
  std::string message;  // specific: names the table, column, function...
  std::string help;     // empty: the rule's help
};

struct StatementHits {
  std::size_t begin = 0, end = 0;  // the statement's bytes in the section
  std::vector<Hit> hits;
};

// What a dialect reads from a section before its rules run (PostgreSQL:
// the parse tree): depends on the section alone, so it may be made ahead,
// on another thread (Linter::lint_all).
struct ParsedSection {
  virtual ~ParsedSection() = default;
};

class SectionLinter {
 public:
  virtual ~SectionLinter() = default;
  // The section's parse, or null when the dialect parses inside lint().
  // Thread-safe: touches nothing the linter keeps between sections.
  virtual std::unique_ptr<ParsedSection> parse(const Source& /*source*/) const { return nullptr; }
  // Appends the section's statements in order; `section_hits` gets what
  // belongs to no statement (a parse error). `parsed`: parse(source), or
  // null to parse here.
  virtual void lint(const Source& source, const Settings& settings,
                    std::vector<StatementHits>& statements, std::vector<Hit>& section_hits,
                    const ParsedSection* parsed) = 0;
};

std::unique_ptr<SectionLinter> make_postgres_linter();
std::unique_ptr<SectionLinter> make_sqlite_linter();

}  // namespace migrate::lint
