#include "sql/position.h"

#include <fmt/format.h>

namespace migrate::sql {

int count_newlines(const std::string& sql, std::size_t from, std::size_t to) {
  int n = 0;
  for (std::size_t i = from; i < to && i < sql.size(); ++i) n += sql[i] == '\n';
  return n;
}

std::string describe_offset(const std::string& sql, std::size_t offset) {
  if (offset > sql.size()) offset = sql.size();
  std::size_t line_start = 0;
  if (std::size_t nl = offset == 0 ? std::string::npos : sql.rfind('\n', offset - 1);
      nl != std::string::npos)
    line_start = nl + 1;
  int column = 1;
  for (std::size_t i = line_start; i < offset; ++i)
    if ((static_cast<unsigned char>(sql[i]) & 0xC0) != 0x80) ++column;  // not a continuation byte
  return fmt::format("line {}, column {}", 1 + count_newlines(sql, 0, offset), column);
}

}  // namespace migrate::sql
