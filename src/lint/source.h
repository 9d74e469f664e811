// What the linter reads: one section of SQL (a revision's upgrade section,
// or a whole plain .sql file) with where it came from, and the line index
// that turns its byte offsets into file lines and columns.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace migrate::lint {

struct Source {
  std::string file;           // for findings
  std::string revision;       // revision id; empty for a plain SQL file
  std::string sql;            // the section's text, verbatim
  int first_line = 1;         // file line of sql's first line
  bool transactional = true;  // the revision header's `transactional:` (true when absent)
  // `phase: backfill` in the header: filling every row is what the revision
  // is for, so a full-table UPDATE in it is not reported.
  bool backfill_phase = false;
  // The run's sections are the pending steps of a real database, in the
  // order they will run (the upgrade gate; `migrate lint` of an existing
  // database): a table that an earlier section creates holds only the run's
  // own rows, so a full-table DELETE/UPDATE on it is not reported. Without
  // it (--all, --since, files, no database yet) the earlier revisions may
  // be applied long ago wherever this one runs, and only a table created
  // in the same section counts so.
  bool pending_on_database = false;
};

// Line starts of a text, for offset -> (line, column) in O(log lines).
class LineIndex {
 public:
  explicit LineIndex(const std::string& text);
  // 0-based line of byte `offset` within the text.
  std::size_t line_of(std::size_t offset) const;
  std::size_t line_start(std::size_t line) const { return starts_[line]; }
  // End of line `line`, without its '\n' (and a '\r' before it).
  std::size_t line_end(std::size_t line) const;
  std::size_t lines() const { return starts_.size(); }
  // 1-based column of `offset` in UTF-8 characters.
  int column_of(std::size_t offset) const;

 private:
  const std::string& text_;
  std::vector<std::size_t> starts_;
};

}  // namespace migrate::lint
