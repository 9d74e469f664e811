#include "schema/sqlite/sqlite_tokens.h"

#include <sqlite3.h>

#include <cctype>

namespace migrate::schema::sqlite {

namespace {

bool word_start(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool word_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

bool plain_word(const std::string& s) {
  if (s.empty() || !word_start(static_cast<unsigned char>(s[0]))) return false;
  for (unsigned char c : s)
    if (!word_char(c)) return false;
  return true;
}

// End of a quoted token starting at `pos` with `close` as its closing byte;
// a doubled closing byte is an escaped one (not for [...]).
std::size_t quoted_end(const std::string& s, std::size_t pos, char close) {
  std::size_t i = pos + 1;
  while (i < s.size()) {
    if (s[i] == close) {
      if (close != ']' && i + 1 < s.size() && s[i + 1] == close) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    ++i;
  }
  return s.size();
}

const char* const kTwoCharOps[] = {"<=", ">=", "<>", "!=", "==", "||", "<<", ">>", "->"};

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

}  // namespace

std::string fold(const std::string& name) {
  std::string out = name;
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string Token::value() const {
  if (kind != kQuoted) return text;
  char close = text[0] == '[' ? ']' : text[0];
  std::string inner = text.substr(1, text.size() >= 2 ? text.size() - 2 : 0);
  if (close == ']') return inner;
  std::string out;
  for (std::size_t i = 0; i < inner.size(); ++i) {
    out += inner[i];
    if (inner[i] == close && i + 1 < inner.size() && inner[i + 1] == close) ++i;
  }
  return out;
}

bool Token::is_word(const char* lower_keyword) const {
  return kind == kWord && fold(text) == lower_keyword;
}

std::vector<Token> tokenize(const std::string& s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isspace(c)) {
      ++i;
      continue;
    }
    if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      std::size_t e = s.find("*/", i + 2);
      i = e == std::string::npos ? s.size() : e + 2;
      continue;
    }
    Token t;
    t.begin = i;
    std::size_t e = i + 1;
    if (c == '\'') {
      t.kind = Token::kString;
      e = quoted_end(s, i, '\'');
    } else if (c == '"' || c == '`' || c == '[') {
      t.kind = Token::kQuoted;
      e = quoted_end(s, i, c == '[' ? ']' : static_cast<char>(c));
    } else if ((c == 'x' || c == 'X') && i + 1 < s.size() && s[i + 1] == '\'') {
      t.kind = Token::kString;  // blob literal x'..'
      e = quoted_end(s, i + 1, '\'');
    } else if (word_start(c)) {
      t.kind = Token::kWord;
      while (e < s.size() && word_char(static_cast<unsigned char>(s[e]))) ++e;
    } else if (std::isdigit(c) || (c == '.' && i + 1 < s.size() && std::isdigit(s[i + 1]))) {
      t.kind = Token::kNumber;
      while (e < s.size()) {
        unsigned char d = static_cast<unsigned char>(s[e]);
        if (std::isalnum(d) || d == '.' || d == '_') {
          ++e;
        } else if ((d == '+' || d == '-') && (s[e - 1] == 'e' || s[e - 1] == 'E') &&
                   !(s[i] == '0' && i + 1 < s.size() && (s[i + 1] == 'x' || s[i + 1] == 'X'))) {
          ++e;
        } else {
          break;
        }
      }
    } else {
      t.kind = Token::kPunct;
      for (const char* op : kTwoCharOps)
        if (s.compare(i, 2, op) == 0) e = i + 2;
      if (s.compare(i, 3, "->>") == 0) e = i + 3;
    }
    t.end = e;
    t.text = s.substr(i, e - i);
    out.push_back(std::move(t));
    i = e;
  }
  return out;
}

std::size_t skip_parens(const std::vector<Token>& tokens, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < tokens.size(); ++i) {
    if (tokens[i].is("(")) ++depth;
    if (tokens[i].is(")") && --depth == 0) return i + 1;
  }
  return tokens.size();
}

std::string normalize(const std::vector<Token>& tokens, std::size_t begin, std::size_t end) {
  std::string out;
  const Token* prev = nullptr;
  for (std::size_t i = begin; i < end && i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    std::string text;
    if (t.kind == Token::kWord) {
      text = fold(t.text);
    } else if (t.kind == Token::kQuoted) {
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
  if (plain_word(name) && !sqlite3_keyword_check(name.data(), static_cast<int>(name.size())))
    return name;
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

}  // namespace migrate::schema::sqlite
