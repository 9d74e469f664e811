#include "sql/postgres/parse.h"

#include <fmt/format.h>
#include <pg_query.h>

#include <memory>
#include <utility>

#include "sql/position.h"
#include "sql/postgres/position.h"

namespace migrate::sql::postgres {

namespace {

struct ParseResultFree {
  void operator()(PgQueryParseResult* r) const {
    pg_query_free_parse_result(*r);
    delete r;
  }
};

}  // namespace

ParseError::ParseError(const std::string& parser_message, std::size_t offset,
                       const std::string& sql)
    : Error(fmt::format("{} ({})", parser_message, describe_offset(sql, offset))),
      parser_message_(parser_message),
      offset_(offset) {}

ParseError ParseError::at_cursor(const char* message, int cursorpos, const std::string& sql) {
  return ParseError(message ? message : "syntax error", byte_offset_of_cursor(sql, cursorpos), sql);
}

nlohmann::json parse(const std::string& sql) {
  if (std::size_t nul = sql.find('\0'); nul != std::string::npos)
    throw ParseError("the SQL contains a NUL byte", nul, sql);
  std::unique_ptr<PgQueryParseResult, ParseResultFree> result(
      new PgQueryParseResult(pg_query_parse(sql.c_str())));
  if (const PgQueryError* err = result->error)
    throw ParseError::at_cursor(err->message, err->cursorpos, sql);
  nlohmann::json tree =
      nlohmann::json::parse(result->parse_tree ? result->parse_tree : "{}", nullptr, false);
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
