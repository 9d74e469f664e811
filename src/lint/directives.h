// Statement directives: comment lines right above a statement that speak
// about it.
//
//   -- migrate:lint-ignore RULE[,RULE] REASON   silences those rules on the
//                                               statement below; REASON is
//                                               required
//   -- migrate:expect-rows any                  (the row guard's line; `any`
//                                               also acknowledges a
//                                               full-table DELETE/UPDATE)
//   -- migrate:not-converted WHAT               written by `migrate import`
//                                               where it could not convert
//                                               a step (an error until
//                                               someone writes it by hand)
//
// A directive belongs to the statement that starts on the next line; several
// directive lines may stack directly above one statement. The row guards
// (runner) read `expect-rows` for their own purpose; the linter only needs
// to know whether it says `any`.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "lint/source.h"

namespace migrate::lint {

struct Directive {
  enum Kind { lint_ignore, expect_rows, not_converted } kind;
  std::size_t line = 0;    // 0-based line within the section
  std::size_t offset = 0;  // byte offset of the `--`
  // lint-ignore: the rule ids as written and the reason (trimmed; may be
  // empty, which is itself a finding). expect-rows: `arg` is what follows.
  std::vector<std::string> rules;
  std::string reason;
  std::string arg;
  bool expects_any() const;  // expect-rows any
};

// Every directive line of `sql`, in order. A line counts when, after
// leading blanks, it is `--`, optional blanks and `migrate:lint-ignore` or
// `migrate:expect-rows` (or `migrate:not-converted`) followed by a blank or the end. (Whether the
// line lies inside a statement, e.g. in a function body, is the caller's test.)
std::vector<Directive> find_directives(const std::string& sql, const LineIndex& lines);

}  // namespace migrate::lint
