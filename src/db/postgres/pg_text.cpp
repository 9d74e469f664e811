#include "db/postgres/pg_text.h"

#include <cctype>

namespace migrate::db::postgres {

namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

bool ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool ident_char(char c) {
  return ident_start(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$';
}

// If a comment starts at `pos`, the offset just past it (or `end` when it is
// never closed); otherwise `pos`.
std::size_t skip_comment(const std::string& sql, std::size_t pos, std::size_t end) {
  if (pos + 1 >= end) return pos;
  if (sql[pos] == '-' && sql[pos + 1] == '-') {
    while (pos < end && sql[pos] != '\n') ++pos;
    return pos;
  }
  if (sql[pos] == '/' && sql[pos + 1] == '*') {
    int depth = 0;  // PostgreSQL's block comments nest
    while (pos < end) {
      if (pos + 1 < end && sql[pos] == '/' && sql[pos + 1] == '*') {
        ++depth;
        pos += 2;
      } else if (pos + 1 < end && sql[pos] == '*' && sql[pos + 1] == '/') {
        pos += 2;
        if (--depth == 0) return pos;
      } else {
        ++pos;
      }
    }
    return end;
  }
  return pos;
}

// Past a quoted token starting at `pos` ('...', "...", $tag$...$tag$);
// `backslashes`: an E'...' string, where \' does not end it.
std::size_t skip_quoted(const std::string& sql, std::size_t pos, std::size_t end,
                        bool backslashes) {
  char q = sql[pos++];
  while (pos < end) {
    char c = sql[pos++];
    if (backslashes && c == '\\') {
      ++pos;
    } else if (c == q) {
      if (pos < end && sql[pos] == q) {
        ++pos;  // doubled quote
      } else {
        return pos;
      }
    }
  }
  return end;
}

// If a dollar quote opens at `pos`, the offset past its closing tag.
std::size_t skip_dollar(const std::string& sql, std::size_t pos, std::size_t end) {
  std::size_t tag_end = pos + 1;
  if (tag_end < end && ident_start(sql[tag_end])) {
    while (tag_end < end && ident_char(sql[tag_end]) && sql[tag_end] != '$') ++tag_end;
  }
  if (tag_end >= end || sql[tag_end] != '$') return pos;  // $1 or a lone $
  std::string tag = sql.substr(pos, tag_end + 1 - pos);
  std::size_t close = sql.find(tag, tag_end + 1);
  if (close == std::string::npos || close + tag.size() > end) return end;
  return close + tag.size();
}

}  // namespace

std::size_t skip_blank(const std::string& sql, std::size_t pos, std::size_t end) {
  while (pos < end) {
    if (is_space(sql[pos])) {
      ++pos;
      continue;
    }
    std::size_t next = skip_comment(sql, pos, end);
    if (next == pos) return pos;
    pos = next;
  }
  return end;
}

std::size_t significant_end(const std::string& sql, std::size_t pos, std::size_t end) {
  std::size_t last = pos;
  while (pos < end) {
    char c = sql[pos];
    if (is_space(c)) {
      ++pos;
      continue;
    }
    if (std::size_t next = skip_comment(sql, pos, end); next != pos) {
      pos = next;
      continue;
    }
    if (ident_start(c)) {
      std::size_t start = pos;
      while (pos < end && ident_char(sql[pos])) ++pos;
      // E'...' (escape string): backslashes escape the quote.
      if (pos < end && sql[pos] == '\'' && pos - start == 1 && (c == 'E' || c == 'e'))
        pos = skip_quoted(sql, pos, end, true);
    } else if (c == '\'' || c == '"') {
      pos = skip_quoted(sql, pos, end, false);
    } else if (c == '$') {
      std::size_t next = skip_dollar(sql, pos, end);
      pos = next == pos ? pos + 1 : next;
    } else {
      ++pos;
    }
    last = pos;
  }
  return last;
}

int count_newlines(const std::string& sql, std::size_t from, std::size_t to) {
  int n = 0;
  for (std::size_t i = from; i < to && i < sql.size(); ++i)
    if (sql[i] == '\n') ++n;
  return n;
}

std::string first_line_of(const std::string& stmt) {
  std::size_t nl = stmt.find('\n');
  std::string line = stmt.substr(0, nl);
  constexpr std::size_t kMax = 80;
  if (line.size() > kMax) line = line.substr(0, kMax);
  if (line.size() < stmt.size()) line += " ...";
  return line;
}

}  // namespace migrate::db::postgres
