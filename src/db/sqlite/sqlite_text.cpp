#include "db/sqlite/sqlite_text.h"

#include <algorithm>

namespace migrate::db::sqlite {

namespace {

// SQLite's tokenizer treats exactly these as whitespace (CC_SPACE).
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

constexpr std::size_t kMaxShownLine = 120;

}  // namespace

std::size_t skip_blank(const std::string& sql, std::size_t pos, std::size_t* unclosed_comment) {
  const std::size_t n = sql.size();
  while (pos < n) {
    char c = sql[pos];
    if (is_space(c)) {
      ++pos;
    } else if (c == '-' && pos + 1 < n && sql[pos + 1] == '-') {
      std::size_t nl = sql.find('\n', pos);
      pos = nl == std::string::npos ? n : nl + 1;
    } else if (c == '/' && pos + 1 < n && sql[pos + 1] == '*') {
      std::size_t end = sql.find("*/", pos + 2);
      if (end == std::string::npos && unclosed_comment) *unclosed_comment = pos;
      pos = end == std::string::npos ? n : end + 2;
    } else {
      break;
    }
  }
  return pos;
}

std::size_t skip_quoted(const std::string& sql, std::size_t pos) {
  const std::size_t n = sql.size();
  if (pos >= n) return pos;
  char c = sql[pos];
  if (c == '/' && pos + 1 < n && sql[pos + 1] == '*') {
    std::size_t end = sql.find("*/", pos + 2);
    return end == std::string::npos ? std::string::npos : end + 2;
  }
  if (c == '[') {
    // [identifier] has no escapes: it ends at the first ']'.
    std::size_t end = sql.find(']', pos + 1);
    return end == std::string::npos ? std::string::npos : end + 1;
  }
  if (c != '\'' && c != '"' && c != '`') return pos;
  // A doubled quote inside is an escaped quote.
  std::size_t i = pos + 1;
  while (true) {
    std::size_t end = sql.find(c, i);
    if (end == std::string::npos) return std::string::npos;
    if (end + 1 < n && sql[end + 1] == c) {
      i = end + 2;
      continue;
    }
    return end + 1;
  }
}

std::string quoted_kind(const std::string& sql, std::size_t pos) {
  if (pos >= sql.size()) return {};
  switch (sql[pos]) {
    case '\'':
      return "string literal";
    case '"':
    case '`':
    case '[':
      return "quoted identifier";
    case '/':
      return "/* comment";
    default:
      return {};
  }
}

int count_newlines(const std::string& sql, std::size_t from, std::size_t to) {
  int lines = 0;
  for (std::size_t i = from; i < to && i < sql.size(); ++i) lines += sql[i] == '\n';
  return lines;
}

std::string first_line_of(const std::string& sql, std::size_t pos, std::size_t end) {
  end = std::min(end, sql.size());
  if (pos >= end) return {};
  std::size_t nl = sql.find('\n', pos);
  std::size_t line_end = nl == std::string::npos || nl > end ? end : nl;
  std::string line = sql.substr(pos, line_end - pos);
  while (!line.empty() && is_space(line.back())) line.pop_back();
  // "..." only when the statement goes on past what is shown. When the
  // caller does not know where the statement ends (a prepare error), a line
  // ending in ';' is taken to end it.
  bool more = skip_blank(sql, line_end) < end && (line.empty() || line.back() != ';');
  if (line.size() > kMaxShownLine) {
    line.resize(kMaxShownLine);
    more = true;
  }
  if (more) line += " ...";
  return line;
}

std::size_t find_nul(const std::string& sql) { return sql.find('\0'); }

}  // namespace migrate::db::sqlite
