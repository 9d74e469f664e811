// A tokenizer for SQLite SQL text, for inspection and comparison only: it
// agrees with SQLite's own tokenizer on what is whitespace, a comment, a
// string, a quoted identifier and a word, which is all the schema side needs
// to find names, split column lists and normalise text. SQLite itself still
// decides what the SQL means (the stored text is always run by SQLite).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace migrate::schema::sqlite {

struct Token {
  enum Kind { kWord, kQuoted, kString, kNumber, kPunct };
  Kind kind = kWord;
  std::string text;                // as written (quoted identifiers and strings with their quotes)
  std::size_t begin = 0, end = 0;  // byte offsets in the source

  // A word or quoted identifier, unquoted ("Foo" -> Foo); other tokens as written.
  std::string value() const;
  bool is_word(const char* lower_keyword) const;  // case-insensitive keyword test
  bool is(const char* punct) const { return kind == kPunct && text == punct; }
  bool is_name() const { return kind == kWord || kind == kQuoted; }
};

// Every token of `sql`, comments and whitespace skipped. An unterminated
// quote runs to the end (SQLite would have refused such text already).
std::vector<Token> tokenize(const std::string& sql);

// Index just past the ')' matching the '(' at tokens[open]; tokens.size() if
// unbalanced.
std::size_t skip_parens(const std::vector<Token>& tokens, std::size_t open);

// A canonical text for comparing two spellings of the same SQL: comments
// dropped, whitespace collapsed, words and plain quoted identifiers
// lowercased and unquoted (SQLite identifiers are case-insensitive), string
// literals and numbers kept exactly. Conservative: two texts that differ in
// anything else still differ.
std::string normalize(const std::string& sql);
std::string normalize(const std::vector<Token>& tokens, std::size_t begin, std::size_t end);

// `sql` with the space between tokens (whitespace, comments) squeezed to one
// space where there was any; the tokens themselves are kept byte for byte.
// For SQL copied out of a layout-aligned file ("a    integer" -> "a integer").
std::string squeeze(const std::string& sql);

// Lowercase ASCII name, for case-insensitive matching of SQLite names.
std::string fold(const std::string& name);

// `name` as an SQLite identifier: bare when it is a plain word that is not a
// keyword, else double-quoted.
std::string quote_ident(const std::string& name);

// `sql` with every word/quoted identifier equal (case-insensitively) to
// `from` replaced by quote_ident(`to`); other text kept byte for byte.
std::string replace_ident(const std::string& sql, const std::string& from, const std::string& to);

// Whether `sql` mentions the identifier `name` (a word or quoted identifier).
bool mentions(const std::string& sql, const std::string& name);

}  // namespace migrate::schema::sqlite
