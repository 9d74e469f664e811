// SQLite SQL as a list of its significant tokens (spaces and comments
// dropped), each with its text: what the schema side reads to find names,
// split column lists and compare definitions. Built on tokenizer.h, so it
// agrees with SQLite on what a token is.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sql/sqlite/tokenizer.h"

namespace migrate::sql::sqlite {

struct Token {
  Kind kind = Kind::word;
  std::string text;                // as written (quoted identifiers and strings with their quotes)
  std::size_t begin = 0, end = 0;  // byte offsets in the source

  // A word or quoted identifier, unquoted ("Foo" -> Foo); other tokens as written.
  std::string value() const;
  bool is_word(const char* lower_keyword) const;  // case-insensitive keyword test
  bool is(const char* punct) const { return kind == Kind::punct && text == punct; }
  bool is_name() const { return kind == Kind::word || kind == Kind::quoted; }
};

// Every token of `sql` but spaces and comments. An unterminated quote is
// one illegal token running to the end (SQLite would have refused such
// text already).
std::vector<Token> tokenize(const std::string& sql);

// Index just past the ')' matching the '(' at tokens[open]; tokens.size() if
// unbalanced.
std::size_t skip_parens(const std::vector<Token>& tokens, std::size_t open);

}  // namespace migrate::sql::sqlite
