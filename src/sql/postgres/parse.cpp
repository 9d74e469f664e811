#include "sql/postgres/parse.h"

#include <fmt/format.h>
#include <pg_query.h>

#include <utility>

#include "sql/position.h"
#include "sql/postgres/owned_parse.h"
#include "sql/postgres/position.h"
#include "util/strings.h"

namespace migrate::sql::postgres {

ParseError::ParseError(const std::string& parser_message, std::size_t offset,
                       const std::string& sql)
    : Error(fmt::format("{} ({})", parser_message, describe_offset(sql, offset))),
      parser_message_(parser_message),
      offset_(offset) {}

ParseError ParseError::at_cursor(const char* message, int cursorpos, const std::string& sql) {
  return ParseError(message ? message : "syntax error", byte_offset_of_cursor(sql, cursorpos), sql);
}

void check_parser_input(const std::string& sql) {
  if (std::size_t nul = sql.find('\0'); nul != std::string::npos)
    throw ParseError("the SQL contains a NUL byte", nul, sql);
  if (std::size_t bad = util::invalid_utf8_at(sql); bad != std::string::npos)
    throw ParseError(fmt::format("invalid byte sequence for encoding \"UTF8\": 0x{:02x} (the "
                                 "file must be UTF-8)",
                                 static_cast<unsigned char>(sql[bad])),
                     bad, sql);
}

nlohmann::json parse(const std::string& sql) {
  check_parser_input(sql);
  OwnedParse result;
  result.r = pg_query_parse(sql.c_str());
  if (const PgQueryError* err = result.r.error)
    throw ParseError::at_cursor(err->message, err->cursorpos, sql);
  nlohmann::json tree =
      nlohmann::json::parse(result.r.parse_tree ? result.r.parse_tree : "{}", nullptr, false);
  if (tree.is_discarded() || !tree.is_object())
    throw Error("libpg_query returned a parse tree that is not JSON");
  return tree;
}

nlohmann::json parse_one(const std::string& sql) {
  nlohmann::json doc;
  try {
    doc = parse(sql);
  } catch (const ParseError&) {
    return nullptr;
  }
  // Moved out, not copied: a tree can be large.
  auto stmts = doc.find("stmts");
  if (stmts == doc.end() || !stmts->is_array() || stmts->size() != 1) return nullptr;
  auto stmt = (*stmts)[0].find("stmt");
  if (stmt == (*stmts)[0].end()) return nullptr;
  return std::move(*stmt);
}

}  // namespace migrate::sql::postgres
