// SQLite's tokenizer rules in one place, after SQLite's own src/tokenize.c
// (sqlite3GetToken): one character-class table decides what a token is, so
// everything that reads SQLite SQL (the splitter, inspection, the differ,
// rename hints) agrees with SQLite on whitespace, comments, strings, quoted
// identifiers, words and illegal bytes. SQLite itself (sqlite3_complete,
// sqlite3_prepare_v2) still decides where statements end and what they mean.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace migrate::sql::sqlite {

enum class Kind : unsigned char {
  space,     // starts at ' ', \t, \n, \f or \r, and goes on over those and \v
  comment,   // -- up to (not including) the \n; /* to */, or to the end when never closed
  string,    // 'it''s' and the blob literal x'1f'
  quoted,    // a quoted identifier: "name", `name`, [name]
  word,      // a keyword or an identifier: a letter, _ or a byte >= 0x80, then also digits and $
  number,    // 42, 1.5e3, .5, 0x1F
  variable,  // ?, ?1, :name, @name, #name, $name
  punct,     // operators and punctuation: ( ) , ; . = == <> != || -> ->> ...
  illegal,   // what SQLite's tokenizer rejects: \v or ! alone, 1abc, x'1', an unclosed quote
};

struct RawToken {
  Kind kind;
  std::size_t begin, end;  // byte offsets: [begin, end)
};

// The token that starts at byte `pos` (< sql.size()) of `sql`, as
// sqlite3GetToken reads it. Every byte belongs to exactly one token, so
// walking from 0 to sql.size() by `end` visits the whole text. A NUL byte is
// an illegal token of its own (SQLite would stop reading there).
RawToken token_at(const std::string& sql, std::size_t pos);

// The offset of the first token at or after `pos` that is neither space
// nor comment; sql.size() when there is none.
std::size_t skip_space(const std::string& sql, std::size_t pos);

// For a token that never closes (an illegal one opened by a quote, a /*
// comment running to the end), what was left open, for messages: "string
// literal", "quoted identifier", "/* comment", "parameter $name(" (a
// Tcl-style parameter without its `)`); empty for any other token.
std::string_view unterminated(const std::string& sql, const RawToken& token);

// Whether SQLite reserves `word` as a keyword (sqlite3_keyword_check), in
// any case: such a name must be quoted.
bool is_keyword(std::string_view word);

}  // namespace migrate::sql::sqlite
