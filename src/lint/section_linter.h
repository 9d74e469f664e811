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

class SectionLinter {
 public:
  virtual ~SectionLinter() = default;
  // Appends the section's statements in order; `section_hits` gets what
  // belongs to no statement (a parse error).
  virtual void lint(const Source& source, const Settings& settings,
                    std::vector<StatementHits>& statements, std::vector<Hit>& section_hits) = 0;
};

std::unique_ptr<SectionLinter> make_postgres_linter();
std::unique_ptr<SectionLinter> make_sqlite_linter();

}  // namespace migrate::lint
