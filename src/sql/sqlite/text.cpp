#include "sql/sqlite/text.h"

#include <algorithm>

namespace migrate::sql::sqlite {

namespace {

// Whether `s` is one word token as SQLite reads it (no quotes needed but
// for keywords).
bool plain_word(const std::string& s) {
  if (s.empty()) return false;
  RawToken t = token_at(s, 0);
  return t.kind == Kind::word && t.end == s.size();
}

// Words after which a '(' opens a sub-expression rather than an argument
// list, so normalize() keeps the space ("x in (1, 2)", "and (a or b)").
bool keeps_space_before_paren(const std::string& lower) {
  static const char* const kWords[] = {
      "in",     "and",       "or",    "not",     "exists", "when",  "then",     "else",
      "as",     "on",        "is",    "between", "like",   "glob",  "from",     "where",
      "select", "values",    "check", "key",     "unique", "using", "default",  "over",
      "filter", "partition", "by",    "case",    "end",    "all",   "distinct", "returning",
      "set",    "into",      "table", "view",    "index"};
  for (const char* w : kWords)
    if (lower == w) return true;
  return false;
}

constexpr std::size_t kMaxShownLine = 120;

}  // namespace

std::string fold(const std::string& name) {
  std::string out = name;
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string normalize(const std::vector<Token>& tokens, std::size_t begin, std::size_t end) {
  std::string out;
  const Token* prev = nullptr;
  for (std::size_t i = begin; i < end && i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    std::string text;
    if (t.kind == Kind::word) {
      text = fold(t.text);
    } else if (t.kind == Kind::quoted) {
      std::string v = t.value();
      text = plain_word(v) ? fold(v) : "\"" + v + "\"";
    } else {
      text = t.text;
    }
    bool space = prev != nullptr;
    if (prev) {
      if (prev->is("(") || prev->is(".") || t.is(")") || t.is(",") || t.is(".")) space = false;
      if (t.is("(") && prev->is_name() && !keeps_space_before_paren(fold(prev->text)))
        space = false;
    }
    if (space) out += ' ';
    out += text;
    prev = &t;
  }
  return out;
}

std::string normalize(const std::string& sql) {
  auto tokens = tokenize(sql);
  return normalize(tokens, 0, tokens.size());
}

std::string squeeze(const std::string& sql) {
  std::string out;
  std::size_t prev_end = std::string::npos;
  for (const Token& t : tokenize(sql)) {
    if (prev_end != std::string::npos && t.begin > prev_end) out += ' ';
    out += t.text;
    prev_end = t.end;
  }
  return out;
}

std::string quote_ident(const std::string& name) {
  if (plain_word(name) && !is_keyword(name)) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string replace_ident(const std::string& sql, const std::string& from, const std::string& to) {
  std::string out;
  std::size_t copied = 0;
  std::string key = fold(from);
  for (const Token& t : tokenize(sql)) {
    if (!t.is_name() || fold(t.value()) != key) continue;
    out.append(sql, copied, t.begin - copied);
    out += quote_ident(to);
    copied = t.end;
  }
  out.append(sql, copied, std::string::npos);
  return out;
}

bool mentions(const std::string& sql, const std::string& name) {
  std::string key = fold(name);
  for (const Token& t : tokenize(sql))
    if (t.is_name() && fold(t.value()) == key) return true;
  return false;
}

std::string first_line_of(const std::string& sql, std::size_t pos, std::size_t end) {
  end = std::min(end, sql.size());
  if (pos >= end) return {};
  std::size_t nl = sql.find('\n', pos);
  std::size_t line_end = nl == std::string::npos || nl > end ? end : nl;
  std::string line = sql.substr(pos, line_end - pos);
  while (!line.empty() && token_at(line, line.size() - 1).kind == Kind::space) line.pop_back();
  // "..." only when the statement goes on past what is shown: a token
  // other than space or comment before `end`. When the caller does not know
  // where the statement ends (a prepare error), a line ending in ';' is
  // taken to end it.
  bool goes_on = false;
  for (std::size_t p = line_end; p < end && !goes_on;) {
    RawToken t = token_at(sql, p);
    goes_on = t.kind != Kind::space && t.kind != Kind::comment;
    p = t.end;
  }
  bool more = goes_on && (line.empty() || line.back() != ';');
  if (line.size() > kMaxShownLine) {
    line.resize(kMaxShownLine);
    more = true;
  }
  if (more) line += " ...";
  return line;
}

}  // namespace migrate::sql::sqlite
