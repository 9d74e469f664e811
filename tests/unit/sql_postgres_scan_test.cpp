// PostgreSQL's lexer through sql::postgres::scan: token kinds, byte offsets,
// identifier values, keyword categories and lexer errors. No server needed.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sql/postgres/scan.h"

using Catch::Matchers::StartsWith;
using migrate::sql::postgres::Keyword;
using migrate::sql::postgres::Kind;
using migrate::sql::postgres::scan;
using migrate::sql::postgres::ScanError;
using migrate::sql::postgres::Token;

namespace {

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::identifier:
      return "ident";
    case Kind::keyword:
      return "keyword";
    case Kind::string:
      return "string";
    case Kind::number:
      return "number";
    case Kind::parameter:
      return "param";
    case Kind::op:
      return "op";
    case Kind::comment:
      return "comment";
    case Kind::other:
      return "other";
  }
  return "?";
}

// "kind:text" per token, so a failure shows the whole token list.
std::vector<std::string> described(const std::string& sql) {
  std::vector<std::string> out;
  for (const Token& t : scan(sql))
    out.push_back(std::string(kind_name(t.kind)) + ":" + std::string(t.text(sql)));
  return out;
}

ScanError scan_error(const std::string& sql) {
  try {
    scan(sql);
  } catch (const ScanError& e) {
    return e;
  }
  FAIL("no ScanError for: " << sql);
  throw;  // not reached
}

}  // namespace

TEST_CASE("pg scan: kinds and extents of every token", "[sql][pg][scan]") {
  std::string sql =
      "SELECT \"Foo\"\"x\", E'a\\'b', $$x; y$$, $t$z$t$, 1.5, 42, $1 FROM x -- hi\n"
      "/* a /* nested */ b */ WHERE a->>'k' <> 'v' AND b::int <= c;";
  CHECK(described(sql) == std::vector<std::string>{"keyword:SELECT",
                                                   "ident:\"Foo\"\"x\"",
                                                   "op:,",
                                                   "string:E'a\\'b'",
                                                   "op:,",
                                                   "string:$$x; y$$",
                                                   "op:,",
                                                   "string:$t$z$t$",
                                                   "op:,",
                                                   "number:1.5",
                                                   "op:,",
                                                   "number:42",
                                                   "op:,",
                                                   "param:$1",
                                                   "keyword:FROM",
                                                   "ident:x",
                                                   "comment:-- hi",
                                                   "comment:/* a /* nested */ b */",
                                                   "keyword:WHERE",
                                                   "ident:a",
                                                   "op:->>",
                                                   "string:'k'",
                                                   "op:<>",
                                                   "string:'v'",
                                                   "keyword:AND",
                                                   "ident:b",
                                                   "op:::",
                                                   "keyword:int",
                                                   "op:<=",
                                                   "ident:c",
                                                   "op:;"});
}

TEST_CASE("pg scan: offsets are bytes, also after multi-byte characters", "[sql][pg][scan]") {
  std::string sql = "café, \"Ä\"";
  auto tokens = scan(sql);
  REQUIRE(tokens.size() == 3);
  CHECK(tokens[0].begin == 0);
  CHECK(tokens[0].end == 5);  // é is two bytes
  CHECK(tokens[2].begin == 7);
  CHECK(tokens[2].end == sql.size());
  CHECK(tokens[2].value == "Ä");
}

TEST_CASE("pg scan: identifier values fold or unquote as the server does", "[sql][pg][scan]") {
  std::string sql = "MixedCase, \"MixedCase\", \"a\"\"b\", tbl.\"Col\", ÄbC";
  std::vector<std::pair<std::string, bool>> got;
  for (const Token& t : scan(sql))
    if (t.kind == Kind::identifier) got.emplace_back(t.value, t.quoted);
  CHECK(got == std::vector<std::pair<std::string, bool>>{{"mixedcase", false},
                                                         {"MixedCase", true},
                                                         {"a\"b", true},
                                                         {"tbl", false},
                                                         {"Col", true},
                                                         {"Äbc", false}});  // ASCII only

  // Longer than 63 bytes: truncated, as the server's lexer does.
  std::string long_name(70, 'n');
  auto tokens = scan(long_name);
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0].value == std::string(63, 'n'));
  CHECK(tokens[0].end == 70);
}

TEST_CASE("pg scan: U& identifiers and strings span their quotes", "[sql][pg][scan]") {
  // libpg_query ends these tokens just after the U; scan() gives their extent.
  std::string sql = "U&\"d\\0061t\", u&\"d!0061t\" UESCAPE '!', U&'x''y', U&\"\\+01F600\"";
  auto tokens = scan(sql);
  REQUIRE(tokens.size() == 9);
  CHECK(tokens[0].text(sql) == "U&\"d\\0061t\"");
  CHECK(tokens[0].kind == Kind::identifier);
  CHECK(tokens[0].quoted);
  CHECK(tokens[0].value == "dat");
  CHECK(tokens[2].text(sql) == "u&\"d!0061t\"");
  CHECK(tokens[2].value == "dat");
  CHECK(tokens[6].text(sql) == "U&'x''y'");
  CHECK(tokens[6].kind == Kind::string);
  CHECK(tokens[8].value == "\xF0\x9F\x98\x80");
}

TEST_CASE("pg scan: keywords carry their category and folded value", "[sql][pg][scan]") {
  std::string sql = "SELECT name, Type, int, LEFT, abc";
  auto tokens = scan(sql);
  REQUIRE(tokens.size() == 10);
  CHECK(tokens[0].kind == Kind::keyword);
  CHECK(tokens[0].keyword == Keyword::reserved);
  CHECK(tokens[0].value == "select");
  CHECK_FALSE(tokens[0].is_col_id());
  CHECK(tokens[1].keyword == Keyword::unreserved);  // name
  CHECK(tokens[1].is_col_id());
  CHECK(tokens[3].keyword == Keyword::unreserved);  // type
  CHECK(tokens[3].value == "type");
  CHECK(tokens[5].keyword == Keyword::column_name);  // int
  CHECK(tokens[5].is_col_id());
  CHECK(tokens[7].keyword == Keyword::type_func_name);  // left
  CHECK_FALSE(tokens[7].is_col_id());
  CHECK(tokens[9].kind == Kind::identifier);  // abc: no keyword
  CHECK(tokens[9].keyword == Keyword::none);
  CHECK(tokens[9].is_col_id());
}

TEST_CASE("pg scan: words inside strings, comments and dollar quotes are not tokens",
          "[sql][pg][scan]") {
  // What a token-level rename relies on: only the first `status` is a name.
  std::string sql = "CHECK (status <> 'status' AND note = $$status$$) -- status\n/* status */";
  int names = 0;
  for (const Token& t : scan(sql))
    if (t.kind == Kind::identifier && t.value == "status") ++names;
  CHECK(names == 1);
}

TEST_CASE("pg scan: adjacent strings across a newline are one token", "[sql][pg][scan]") {
  // PostgreSQL concatenates 'a'\n'b' into one constant.
  std::string sql = "'a'\n  'b' x";
  CHECK(described(sql) == std::vector<std::string>{"string:'a'\n  'b'", "ident:x"});
}

TEST_CASE("pg scan: vertical tab is not whitespace in PostgreSQL 15", "[sql][pg][scan]") {
  // The old hand-written lexer (pg_text.cpp, std::isspace) skipped it.
  std::string sql = "select\v1";
  CHECK(described(sql) == std::vector<std::string>{"keyword:select", "other:\v", "number:1"});
}

TEST_CASE("pg scan: lexer errors name their position", "[sql][pg][scan]") {
  ScanError e = scan_error("SELECT 1;\nSELECT 'é', 'open");
  CHECK(e.offset() == 23);
  CHECK(std::string(e.what()) ==
        "unterminated quoted string at or near \"'open\" (line 2, column 13)");

  e = scan_error("x /* never closed");
  CHECK(e.offset() == 2);
  CHECK_THAT(std::string(e.what()), StartsWith("unterminated /* comment"));

  e = scan_error("SELECT \"\"");
  CHECK(e.offset() == 7);
  CHECK_THAT(std::string(e.what()), StartsWith("zero-length delimited identifier"));

  e = scan_error(std::string("SELECT 1;\n\0x", 12));
  CHECK(e.offset() == 10);
  CHECK(std::string(e.what()) == "the SQL contains a NUL byte (line 2, column 1)");
}

TEST_CASE("pg scan: empty and blank text have no tokens", "[sql][pg][scan]") {
  CHECK(scan("").empty());
  CHECK(scan(" \n\t ").empty());
}
