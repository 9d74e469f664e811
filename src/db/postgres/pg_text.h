// Lexical helpers over PostgreSQL SQL text: just enough of the lexer to find
// where whitespace and comments end. libpg_query decides where statements
// end; these only trim a statement to its first and last token and count
// lines. They agree with PostgreSQL on comments (`--`, nested `/* */`),
// quoted strings ('...', E'...'), quoted identifiers and dollar quotes.
#pragma once

#include <cstddef>
#include <string>

namespace migrate::db::postgres {

// The offset of the first byte at or after `pos` that is neither whitespace
// nor inside a comment; `end` when there is none.
std::size_t skip_blank(const std::string& sql, std::size_t pos, std::size_t end);

// The offset just past the last byte in [pos, end) that is neither
// whitespace nor inside a comment; `pos` when there is none. Strings,
// identifiers and dollar-quoted bodies are skipped whole, so a `--` inside
// them is not a comment.
std::size_t significant_end(const std::string& sql, std::size_t pos, std::size_t end);

// Number of '\n' bytes in [from, to).
int count_newlines(const std::string& sql, std::size_t from, std::size_t to);

// The first line of `stmt`, shortened for messages ("CREATE INDEX ... ...").
std::string first_line_of(const std::string& stmt);

}  // namespace migrate::db::postgres
