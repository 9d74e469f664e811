// PostgreSQL's parse tree of SQL text, from libpg_query (the server's own
// grammar, no connection): the JSON form (pg_query_parse), read with
// nlohmann::json. Used by statement checks, lock diagnostics and, next,
// lint rules.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "util/error.h"

namespace migrate::sql::postgres {

// SQL that PostgreSQL's parser rejects. what() is the parser's message
// with the line and column: "syntax error at or near "FROM" (line 1,
// column 8)".
class ParseError : public Error {
 public:
  // `offset`: the byte offset in `sql` the parser points at (0 when none).
  ParseError(const std::string& parser_message, std::size_t offset, const std::string& sql);
  // From libpg_query's error: its message (may be null) and its cursor, a
  // 1-based character position (0: none).
  static ParseError at_cursor(const char* message, int cursorpos, const std::string& sql);
  // The parser's own words: "syntax error at or near "FROM"".
  const std::string& parser_message() const { return parser_message_; }
  std::size_t offset() const { return offset_; }

 private:
  std::string parser_message_;
  std::size_t offset_;
};

// Throws ParseError when `sql` cannot go to libpg_query whole: a NUL byte
// (the C string would end there, and the rest would go unseen) or bytes
// that are not UTF-8 (the parser copies them into its JSON tree, which no
// JSON reader accepts; a UTF-8 server refuses them as well). Every entry
// to libpg_query (parse, parse_tree, split) calls it first.
void check_parser_input(const std::string& sql);

// The parse tree of `sql`: {"version": N, "stmts": [{"stmt": {"IndexStmt":
// {...}}, "stmt_location": N, "stmt_len": N}, ...]} (location and length
// are left out where they are 0). Throws ParseError.
nlohmann::json parse(const std::string& sql);

// The tree of `sql` when it holds exactly one statement ({"IndexStmt":
// {...}}); null when it does not parse or holds none or several.
nlohmann::json parse_one(const std::string& sql);

}  // namespace migrate::sql::postgres
