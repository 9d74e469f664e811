// PostgreSQL's own lexer (libpg_query's pg_query_scan, the server's scan.l)
// as a list of tokens with byte offsets. Comments are tokens; whitespace is
// not (it is whatever lies between two tokens). Use it wherever SQL text is
// read word by word: a token-level rename never touches a string literal,
// a comment or a dollar-quoted body.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace migrate::sql::postgres {

enum class Kind {
  identifier,  // name, "Quoted Name", U&"d\0061t"
  keyword,     // a key word of PostgreSQL's grammar: SELECT, name, type (see Keyword)
  string,      // 'x', E'x', $tag$x$tag$, U&'x', B'01', X'1f', N'x'
  number,      // 42, 1.5, 1e5
  parameter,   // $1
  op,          // operators and punctuation: ( ) , ; . :: <> ->> + = ...
  comment,     // -- to the end of the line, /* nested */
  other,       // a byte the lexer passes on alone (a lone $, \v, {, \): the parser rejects it
};

// PostgreSQL's keyword categories (src/include/parser/kwlist.h). A column
// may be named by an identifier, an unreserved or a column_name keyword
// (the grammar's ColId); after AS or a dot, by any keyword.
enum class Keyword { none, unreserved, column_name, type_func_name, reserved };

struct Token {
  Kind kind;
  std::size_t begin, end;           // byte offsets into the scanned text: [begin, end)
  Keyword keyword = Keyword::none;  // for Kind::keyword
  bool quoted = false;              // an identifier written in double quotes ("x", U&"x")
  // For identifiers and keywords, the name PostgreSQL sees: an unquoted word
  // folded to lower case (ASCII only, as the server does in UTF-8), a quoted
  // one without its quotes and with "" undone and U& escapes decoded; both
  // truncated to 63 bytes, as the server does. Empty for other kinds.
  std::string value;

  std::string_view text(std::string_view sql) const { return sql.substr(begin, end - begin); }
  // Whether the token can name a column without quoting (the grammar's ColId).
  bool is_col_id() const {
    return kind == Kind::identifier || (kind == Kind::keyword && (keyword == Keyword::unreserved ||
                                                                  keyword == Keyword::column_name));
  }
};

// A lexer error (an unterminated string, comment or quoted identifier, a
// zero-length "", trailing junk after a number, a NUL byte). `offset()` is
// the byte offset the lexer points at; the message names the 1-based line
// and column too: "unterminated quoted string at or near "'x" (line 2,
// column 5)".
class ScanError : public Error {
 public:
  ScanError(const std::string& message, std::size_t offset) : Error(message), offset_(offset) {}
  std::size_t offset() const { return offset_; }

 private:
  std::size_t offset_;
};

// Every token of `sql`, in order. Throws ScanError on a lexer error.
std::vector<Token> scan(const std::string& sql);

}  // namespace migrate::sql::postgres
