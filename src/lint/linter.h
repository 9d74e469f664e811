// The linter: sections of SQL in, findings out (finding.h), for either
// dialect. Sections are linted in the order given and the linter remembers
// what earlier ones did: a table created by an earlier revision of the same
// run is new, so building an index on it locks nobody out.
//
// What it adds to the dialect's rules (section_linter.h): the settings
// (rules off, severities), statement directives (directives.h): a
// `-- migrate:lint-ignore RULE[,RULE] REASON` silences those rules on the
// statement below it and must give a reason (else `bad-ignore`), an ignore
// that silences nothing is `unused-ignore`; `-- migrate:expect-rows any`
// acknowledges a full-table DELETE/UPDATE/MERGE. And positions: 1-based
// file line and column of each finding.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "lint/finding.h"
#include "lint/settings.h"
#include "lint/source.h"

namespace migrate::lint {

enum class Dialect { postgres, sqlite };

class SectionLinter;
struct ParsedSection;

class Linter {
 public:
  Linter(Dialect dialect, Settings settings);
  ~Linter();
  Linter(const Linter&) = delete;
  Linter& operator=(const Linter&) = delete;

  // Appends the findings of `source`, in position order.
  void lint(const Source& source, std::vector<Finding>& out);
  // lint() of load(0) .. load(count - 1), in that order, with the loading
  // and the parsing (which depend on one section alone) done ahead on up to
  // `threads` threads (this one included, while it waits), at most a few
  // hundred sections ahead; the rules still run in order, on this thread.
  // `load` must be thread-safe. An exception from load() or the linter is
  // thrown once the sections before it are linted, as lint() one by one
  // would.
  void lint_all(std::size_t count, const std::function<Source(std::size_t)>& load,
                std::vector<Finding>& out, unsigned threads = default_threads());
  // The machine's cores, at most 4.
  static unsigned default_threads();

  std::size_t statements() const { return statements_; }  // linted so far
  const Settings& settings() const { return settings_; }

 private:
  void lint_section(const Source& source, const ParsedSection* parsed, std::vector<Finding>& out);

  Settings settings_;
  std::unique_ptr<SectionLinter> dialect_;
  std::size_t statements_ = 0;
};

}  // namespace migrate::lint
