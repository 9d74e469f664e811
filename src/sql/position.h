// Positions in SQL text, for messages, in either dialect: lines and
// columns of byte offsets. Plain text arithmetic: what is a token is each
// dialect's tokenizer's business (sql/sqlite/, sql/postgres/).
#pragma once

#include <cstddef>
#include <string>

namespace migrate::sql {

// Number of '\n' bytes in [from, to).
int count_newlines(const std::string& sql, std::size_t from, std::size_t to);

// "line L, column C" of byte offset `offset` (both 1-based; the column
// counts UTF-8 characters).
std::string describe_offset(const std::string& sql, std::size_t offset);

}  // namespace migrate::sql
