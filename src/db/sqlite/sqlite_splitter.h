// Splits an SQLite section into statements without a connection, for offline
// `--sql` output: a prepare would fail on tables that earlier statements of
// the script have not created yet. SQLite's own sqlite3_complete() decides
// where a statement ends, so trigger bodies (BEGIN ... END;) and semicolons
// inside strings, identifiers and comments are handled as SQLite handles
// them.
#pragma once

#include <string>
#include <vector>

#include "db/database.h"

namespace migrate::db::sqlite {

// Statements in order, each with its 1-based file line (`first_line` is the
// file line of the text's first line) and its text from its first token to
// its last, without leading comments or the terminating semicolon. Empty
// statements and comment-only text are dropped. A final statement that lacks
// only its semicolon is accepted. Throws migrate::Error "FILE:LINE: ..." for
// an unterminated string, identifier, comment or trigger body.
std::vector<Statement> split_sql(const std::string& sql, int first_line, const std::string& file);

}  // namespace migrate::db::sqlite
