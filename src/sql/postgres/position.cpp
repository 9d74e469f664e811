#include "sql/postgres/position.h"

namespace migrate::sql::postgres {

std::size_t byte_offset_of_cursor(const std::string& sql, int cursorpos) {
  std::size_t i = 0;
  for (int chars = 1; chars < cursorpos && i < sql.size(); ++chars) {
    ++i;
    while (i < sql.size() && (static_cast<unsigned char>(sql[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

std::string first_line_of(const std::string& stmt) {
  std::size_t nl = stmt.find('\n');
  std::string line = stmt.substr(0, nl);
  constexpr std::size_t kMax = 80;
  if (line.size() > kMax) line = line.substr(0, kMax);
  if (line.size() < stmt.size()) line += " ...";
  return line;
}

}  // namespace migrate::sql::postgres
