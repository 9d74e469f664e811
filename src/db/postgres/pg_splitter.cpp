#include "db/postgres/pg_splitter.h"

#include <fmt/format.h>
#include <pg_query.h>

#include <memory>

#include "db/postgres/pg_text.h"
#include "util/error.h"

namespace migrate::db::postgres {

namespace {

struct SplitResultFree {
  void operator()(PgQuerySplitResult* r) const {
    pg_query_free_split_result(*r);
    delete r;
  }
};
using SplitResultPtr = std::unique_ptr<PgQuerySplitResult, SplitResultFree>;

// PostgreSQL reports an error cursor as a 1-based character (not byte)
// position; this walks UTF-8 to the byte offset.
std::size_t byte_offset_of_char(const std::string& sql, int cursorpos) {
  std::size_t i = 0;
  for (int chars = 1; chars < cursorpos && i < sql.size(); ++chars) {
    ++i;
    while (i < sql.size() && (static_cast<unsigned char>(sql[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

}  // namespace

std::vector<Statement> split_sql(const std::string& sql, int first_line, const std::string& file) {
  if (std::size_t nul = sql.find('\0'); nul != std::string::npos)
    throw Error(fmt::format("{}:{}: the SQL contains a NUL byte", file,
                            first_line + count_newlines(sql, 0, nul)));

  SplitResultPtr result(new PgQuerySplitResult(pg_query_split_with_parser(sql.c_str())));
  if (const PgQueryError* err = result->error) {
    std::size_t at = err->cursorpos > 0 ? byte_offset_of_char(sql, err->cursorpos) : 0;
    throw Error(fmt::format("{}:{}: syntax error: {}", file,
                            first_line + count_newlines(sql, 0, at),
                            err->message ? err->message : "unknown error"));
  }

  std::vector<Statement> out;
  for (int i = 0; i < result->n_stmts; ++i) {
    const PgQuerySplitStmt& s = *result->stmts[i];
    std::size_t loc = static_cast<std::size_t>(s.stmt_location);
    // A length of 0 means "to the end of the text" (the last statement).
    std::size_t end = s.stmt_len == 0 ? sql.size() : loc + static_cast<std::size_t>(s.stmt_len);
    std::size_t begin = skip_blank(sql, loc, end);
    std::size_t stop = significant_end(sql, begin, end);
    if (stop <= begin) continue;
    out.push_back(
        Statement{sql.substr(begin, stop - begin), first_line + count_newlines(sql, 0, begin)});
  }
  return out;
}

}  // namespace migrate::db::postgres
