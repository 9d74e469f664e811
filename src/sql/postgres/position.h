// PostgreSQL positions for messages: the server's (and libpg_query's) error
// cursor as a byte offset, and the first line of a statement.
#pragma once

#include <cstddef>
#include <string>

namespace migrate::sql::postgres {

// The byte offset of an error cursor: PostgreSQL counts 1-based characters
// (UTF-8), not bytes. 0 (no position) gives 0.
std::size_t byte_offset_of_cursor(const std::string& sql, int cursorpos);

// The first line of `stmt`, at most 80 bytes, with " ..." when the statement
// goes on: "CREATE INDEX CONCURRENTLY i ON t ...".
std::string first_line_of(const std::string& stmt);

}  // namespace migrate::sql::postgres
