// Splits PostgreSQL SQL text into statements with PostgreSQL's own grammar
// (libpg_query's pg_query_split_with_parser), so dollar-quoted bodies,
// BEGIN ATOMIC ... END bodies and semicolons inside strings, identifiers and
// comments are handled as the server handles them; each statement is then
// trimmed to its first and last token by the lexer (scan.h).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace migrate::sql::postgres {

struct StatementRange {
  std::size_t begin, end;  // byte offsets: from the first token to the end of the last
};

// The statements of `sql` in order, without the comments around them or
// their terminating semicolon; empty statements and comment-only text give
// none. Throws ParseError (parse.h) for a syntax error, with its position.
std::vector<StatementRange> split(const std::string& sql);

}  // namespace migrate::sql::postgres
