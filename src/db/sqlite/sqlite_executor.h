// Runs a section of SQL on the live connection, one statement at a time,
// with sqlite3_prepare_v2 and its tail pointer: each statement is prepared
// only after the previous one ran, so a table created earlier in the step is
// visible to a later statement. A failure names the file, the failing
// statement's line, its first line of text and SQLite's own message.
#pragma once

#include <functional>
#include <string>

#include "db/row_guards.h"
#include "db/sqlite/sqlite_connection.h"

namespace migrate::db::sqlite {

struct Section {
  const std::string& sql;
  int first_line;           // file line of sql's first line
  const std::string& file;  // for messages
  std::string label;        // "step ab12 (upgrade)", for messages
  bool in_transaction;      // the caller's transaction must survive the section
  // Row guards, checked after each statement (sqlite3_changes64); a
  // violation throws, and the caller's transaction rolls back. Null: none.
  const RowGuards* guards = nullptr;
  // Called after each statement ran (dry runs): its file line, first line
  // of text and the rows it changed. Counting is on when set.
  std::function<void(int line, const std::string& text, long long rows)> on_statement = nullptr;
};

// Throws migrate::Error
//   "FILE:LINE: step ab12 (upgrade) failed: no such table: acounts\n  in: INSERT ..."
// Inside a transaction, a statement that would end it (BEGIN, COMMIT, END,
// ROLLBACK other than ROLLBACK TO) is refused before it runs.
void run_section(Connection& conn, const Section& section);

}  // namespace migrate::db::sqlite
