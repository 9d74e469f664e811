// Lexical helpers over SQLite SQL text, agreeing with SQLite's tokenizer on
// what whitespace, comments and quoted tokens are. They only find boundaries
// and lines; SQLite itself (sqlite3_complete, sqlite3_prepare_v2) decides
// where statements end.
#pragma once

#include <cstddef>
#include <string>

namespace migrate::db::sqlite {

// The offset of the first byte at or after `pos` that is neither whitespace
// nor inside a `--` or `/* */` comment; sql.size() when there is none. Like
// SQLite's tokenizer, an unclosed /* comment runs to the end; its offset is
// stored in `unclosed_comment` when that is given.
std::size_t skip_blank(const std::string& sql, std::size_t pos,
                       std::size_t* unclosed_comment = nullptr);

// If a quoted token (' " ` [) or a /* comment starts at `pos`, the offset just
// past its end, or npos when it is never closed. Otherwise `pos` itself.
std::size_t skip_quoted(const std::string& sql, std::size_t pos);

// What opens at `pos` for skip_quoted, for messages: "string literal",
// "quoted identifier", "/* comment"; empty for anything else.
std::string quoted_kind(const std::string& sql, std::size_t pos);

// Number of '\n' bytes in [from, to).
int count_newlines(const std::string& sql, std::size_t from, std::size_t to);

// The first line of the statement in [pos, end), shortened for error
// messages: "INSERT INTO accounts ..." when the statement goes on. `end` may
// be the end of the text when the statement's own end is unknown.
std::string first_line_of(const std::string& sql, std::size_t pos, std::size_t end);

// The offset of the first NUL byte, or npos. SQLite stops reading at a NUL,
// so text after one would be silently ignored.
std::size_t find_nul(const std::string& sql);

}  // namespace migrate::db::sqlite
