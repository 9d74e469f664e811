// A PostgreSQL search_path written in migrate.yaml (a target's
// `search_path:`), read as the server reads `SET search_path = ...`: names
// separated by commas, an unquoted name folded to lower case, a "quoted"
// one kept as written ("" inside it is one "). The names are then quoted
// one by one into the SET that migrate sends (db/postgres/pg_dialect.h), so
// nothing in the value can reach the server as SQL.
#pragma once

#include <string>
#include <vector>

namespace migrate::config {

// The schema names of `text` in order. Throws migrate::Error (prefixed with
// `where`) on an empty value or element, an unterminated quote, a character
// an unquoted name cannot hold, a NUL byte, a name over 63 bytes.
std::vector<std::string> parse_search_path(const std::string& text, const std::string& where);

}  // namespace migrate::config
