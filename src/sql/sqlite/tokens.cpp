#include "sql/sqlite/tokens.h"

#include "sql/sqlite/text.h"

namespace migrate::sql::sqlite {

std::string Token::value() const {
  if (kind != Kind::quoted) return text;
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
  return kind == Kind::word && fold(text) == lower_keyword;
}

std::vector<Token> tokenize(const std::string& sql) {
  std::vector<Token> out;
  for (std::size_t pos = 0; pos < sql.size();) {
    RawToken t = token_at(sql, pos);
    pos = t.end;
    if (t.kind == Kind::space || t.kind == Kind::comment) continue;
    out.push_back(Token{t.kind, sql.substr(t.begin, t.end - t.begin), t.begin, t.end});
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

}  // namespace migrate::sql::sqlite
