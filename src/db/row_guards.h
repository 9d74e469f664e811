// Row guards (contract: "Safety: lint, row guards, dry runs"): bounds on how
// many rows the statements of a step may insert, update or delete, checked
// by the backend inside the step's transaction before it commits, so that a
// violation rolls the whole step back.
//
//  - the header's `max_rows_affected: N` bounds every statement of the step
//    that inserts, updates or deletes rows (INSERT, UPDATE, DELETE, MERGE,
//    COPY, TRUNCATE, whose rows are counted before it runs);
//  - `-- migrate:expect-rows BOUND` on the line before a statement bounds
//    that statement's count, whatever it is. BOUND: `N`, `<= N`, `>= N`,
//    `N..M` or `any` (which also acknowledges a full-table DELETE/UPDATE for
//    the linter).
//
// Pure text and arithmetic: the backends count (libpq's command tuples,
// sqlite3_changes64), this decides and words the message.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace migrate::db {

struct Statement;

// lo <= n <= hi; no hi: no upper bound.
struct RowBound {
  long long lo = 0;
  std::optional<long long> hi;
  std::string text;  // as written, normalised: "5", "<= 10", ">= 1", "1..3", "any"
  bool accepts(long long n) const { return n >= lo && (!hi || n <= *hi); }
};

// One `-- migrate:expect-rows` directive.
struct ExpectRows {
  int directive_line = 0;  // file line of the comment
  int statement_line = 0;  // first line after it that is neither blank nor a `--` comment
  RowBound bound;
};

struct RowGuards {
  std::optional<long long> max_rows;  // the header's max_rows_affected
  std::vector<ExpectRows> expect;     // in file order
  bool empty() const { return !max_rows && expect.empty(); }
  // The directive for the statement starting on `statement_line`, if any.
  const ExpectRows* expect_for(int statement_line) const;
};

// Whether `sql` may hold a directive: a cheap test, so that sections without
// one cost a substring search and nothing more.
bool may_have_expect_rows(const std::string& sql);

// The directives of a section (`first_line`: file line of its first line).
// Throws migrate::Error "FILE:LINE: ..." for a malformed bound or a
// directive with no statement after it.
std::vector<ExpectRows> parse_expect_rows(const std::string& sql, int first_line,
                                          const std::string& file);

// Throws migrate::Error "FILE:LINE: ..." unless every directive's
// statement_line is where exactly one of `statements` starts.
void check_expect_rows_targets(const std::vector<ExpectRows>& expect,
                               const std::vector<Statement>& statements, const std::string& file);

// Throws migrate::Error naming the file and the guard when `guards` is not
// empty on a step that does not run in a transaction (nothing to roll back).
void refuse_guards_outside_transaction(const RowGuards& guards, const std::string& file,
                                       const std::string& label);

// The guard that applies to the statement at `statement_line`: its
// expect-rows, else (`header`) max_rows_affected as 0..N, which counts only
// for statements that modify rows. `message` is the violation's text up to
// the count: "FILE:LINE: LABEL: row guard violated: expect-rows <= 10 (line
// 11), but the statement affected ". Offline scripts build their check
// from it; nullopt when no guard applies.
struct AppliedGuard {
  RowBound bound;
  bool header = false;
  std::string message;
};
std::optional<AppliedGuard> applied_guard(const RowGuards& guards, const std::string& file,
                                          int statement_line, const std::string& label);

// The violation, if `count` breaks a guard of the statement at
// `statement_line`; `modifies`: whether it inserts, updates or deletes rows
// (max_rows_affected applies to those only). The message: "FILE:LINE: LABEL:
// row guard violated: expect-rows <= 10 (line 11), but the statement affected
// 57 rows\n  in: FIRST LINE OF THE STATEMENT".
std::optional<std::string> row_guard_violation(const RowGuards& guards, const std::string& file,
                                               int statement_line, long long count, bool modifies,
                                               const std::string& label,
                                               const std::string& statement_first_line);

}  // namespace migrate::db
