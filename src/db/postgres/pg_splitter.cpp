#include "db/postgres/pg_splitter.h"

#include <fmt/format.h>

#include "sql/position.h"
#include "sql/postgres/parse.h"
#include "sql/postgres/split.h"
#include "util/error.h"

namespace migrate::db::postgres {

std::vector<Statement> split_sql(const std::string& sql, int first_line, const std::string& file) {
  using sql::count_newlines;
  if (std::size_t nul = sql.find('\0'); nul != std::string::npos)
    throw Error(fmt::format("{}:{}: the SQL contains a NUL byte", file,
                            first_line + count_newlines(sql, 0, nul)));

  std::vector<sql::postgres::StatementRange> ranges;
  try {
    ranges = sql::postgres::split(sql);
  } catch (const sql::postgres::ParseError& e) {
    throw Error(fmt::format("{}:{}: syntax error: {}", file,
                            first_line + count_newlines(sql, 0, e.offset()), e.parser_message()));
  }
  std::vector<Statement> out;
  out.reserve(ranges.size());
  int line = first_line;  // the file line of offset `counted`
  std::size_t counted = 0;
  for (const auto& r : ranges) {
    line += count_newlines(sql, counted, r.begin);
    counted = r.begin;
    out.push_back(Statement{sql.substr(r.begin, r.end - r.begin), line});
  }
  return out;
}

}  // namespace migrate::db::postgres
