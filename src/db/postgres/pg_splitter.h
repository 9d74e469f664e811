// Splits a PostgreSQL section into statements with PostgreSQL's own grammar
// (sql/postgres/split.h, libpg_query's parser), so dollar-quoted bodies,
// BEGIN ATOMIC ... END bodies and semicolons inside strings, identifiers and
// comments are handled as the server handles them. No connection needed:
// offline `--sql` uses it too.
#pragma once

#include <string>
#include <vector>

#include "db/database.h"

namespace migrate::db::postgres {

// Statements in order, each with its 1-based file line (`first_line` is the
// file line of the text's first line) and its text from its first token to
// its last, without surrounding comments or the terminating semicolon.
// Empty statements and comment-only text are dropped. Throws migrate::Error
// "FILE:LINE: ..." for a syntax error (with the parser's message) or a NUL
// byte.
std::vector<Statement> split_sql(const std::string& sql, int first_line, const std::string& file);

}  // namespace migrate::db::postgres
