#include "sql/postgres/split.h"

#include <pg_query.h>

#include <algorithm>
#include <memory>

#include "sql/postgres/parse.h"
#include "sql/postgres/scan.h"

namespace migrate::sql::postgres {

namespace {

// Owns libpg_query's result (made in place, so nothing can leak between
// the split and its owner).
struct OwnedSplit {
  PgQuerySplitResult r{};
  OwnedSplit() = default;
  OwnedSplit(const OwnedSplit&) = delete;
  OwnedSplit& operator=(const OwnedSplit&) = delete;
  ~OwnedSplit() { pg_query_free_split_result(r); }
};

}  // namespace

std::vector<StatementRange> split(const std::string& sql) {
  check_parser_input(sql);
  OwnedSplit owned;
  owned.r = pg_query_split_with_parser(sql.c_str());
  const PgQuerySplitResult* result = &owned.r;
  if (const PgQueryError* err = result->error)
    throw ParseError::at_cursor(err->message, err->cursorpos, sql);
  // The parser accepted the text, so the lexer does too.
  const std::vector<Token> tokens = scan(sql);
  auto by_begin = [](const Token& t, std::size_t offset) { return t.begin < offset; };

  std::vector<StatementRange> out;
  for (int i = 0; i < result->n_stmts; ++i) {
    const PgQuerySplitStmt& s = *result->stmts[i];
    const auto loc = static_cast<std::size_t>(s.stmt_location);
    // A length of 0 means "to the end of the text" (the last statement).
    const std::size_t end =
        s.stmt_len == 0 ? sql.size() : loc + static_cast<std::size_t>(s.stmt_len);
    std::size_t first = std::string::npos, last = 0;
    for (auto t = std::lower_bound(tokens.begin(), tokens.end(), loc, by_begin);
         t != tokens.end() && t->end <= end; ++t) {
      if (t->kind == Kind::comment) continue;
      if (first == std::string::npos) first = t->begin;
      last = t->end;
    }
    if (first != std::string::npos) out.push_back({first, last});
  }
  return out;
}

}  // namespace migrate::sql::postgres
