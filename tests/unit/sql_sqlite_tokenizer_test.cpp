// SQLite's tokenizer rules (sql/sqlite/tokenizer.h): token kinds and
// extents, checked by hand and against SQLite itself, which must call
// "unrecognized token" exactly what the tokenizer calls illegal.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "sql/sqlite/tokenizer.h"
#include "sql/sqlite/tokens.h"

using migrate::sql::sqlite::is_keyword;
using migrate::sql::sqlite::Kind;
using migrate::sql::sqlite::RawToken;
using migrate::sql::sqlite::token_at;
using migrate::sql::sqlite::tokenize;
using migrate::sql::sqlite::unterminated;

namespace {

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::space:
      return "space";
    case Kind::comment:
      return "comment";
    case Kind::string:
      return "string";
    case Kind::quoted:
      return "quoted";
    case Kind::word:
      return "word";
    case Kind::number:
      return "number";
    case Kind::variable:
      return "var";
    case Kind::punct:
      return "punct";
    case Kind::illegal:
      return "illegal";
  }
  return "?";
}

std::vector<RawToken> all_tokens(const std::string& sql) {
  std::vector<RawToken> out;
  for (std::size_t pos = 0; pos < sql.size(); pos = out.back().end)
    out.push_back(token_at(sql, pos));
  return out;
}

// "kind:text" per token, spaces included, so a failure shows them all.
std::vector<std::string> described(const std::string& sql) {
  std::vector<std::string> out;
  for (const RawToken& t : all_tokens(sql))
    out.push_back(std::string(kind_name(t.kind)) + ":" + sql.substr(t.begin, t.end - t.begin));
  return out;
}

// What SQLite says when preparing `sql` on an empty in-memory database:
// empty when it prepares.
std::string prepare_error(const std::string& sql) {
  sqlite3* raw = nullptr;
  sqlite3_open(":memory:", &raw);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &stmt, nullptr);
  sqlite3_finalize(stmt);
  return rc == SQLITE_OK ? "" : sqlite3_errmsg(db.get());
}

}  // namespace

TEST_CASE("sqlite tokenizer: every kind, with its extent", "[sql][sqlite][tokenizer]") {
  std::string sql =
      "SELECT \"a\"\"b\", `c`, [d e], 'it''s', x'1F', 42, 1.5e3, .5, 0x1f, ?1, :n, @n, $n -- c\n"
      "/* block */ a||b <> c != d == e ->> f <= g << h;";
  CHECK(described(sql) == std::vector<std::string>{"word:SELECT",
                                                   "space: ",
                                                   "quoted:\"a\"\"b\"",
                                                   "punct:,",
                                                   "space: ",
                                                   "quoted:`c`",
                                                   "punct:,",
                                                   "space: ",
                                                   "quoted:[d e]",
                                                   "punct:,",
                                                   "space: ",
                                                   "string:'it''s'",
                                                   "punct:,",
                                                   "space: ",
                                                   "string:x'1F'",
                                                   "punct:,",
                                                   "space: ",
                                                   "number:42",
                                                   "punct:,",
                                                   "space: ",
                                                   "number:1.5e3",
                                                   "punct:,",
                                                   "space: ",
                                                   "number:.5",
                                                   "punct:,",
                                                   "space: ",
                                                   "number:0x1f",
                                                   "punct:,",
                                                   "space: ",
                                                   "var:?1",
                                                   "punct:,",
                                                   "space: ",
                                                   "var::n",
                                                   "punct:,",
                                                   "space: ",
                                                   "var:@n",
                                                   "punct:,",
                                                   "space: ",
                                                   "var:$n",
                                                   "space: ",
                                                   "comment:-- c",
                                                   "space:\n",
                                                   "comment:/* block */",
                                                   "space: ",
                                                   "word:a",
                                                   "punct:||",
                                                   "word:b",
                                                   "space: ",
                                                   "punct:<>",
                                                   "space: ",
                                                   "word:c",
                                                   "space: ",
                                                   "punct:!=",
                                                   "space: ",
                                                   "word:d",
                                                   "space: ",
                                                   "punct:==",
                                                   "space: ",
                                                   "word:e",
                                                   "space: ",
                                                   "punct:->>",
                                                   "space: ",
                                                   "word:f",
                                                   "space: ",
                                                   "punct:<=",
                                                   "space: ",
                                                   "word:g",
                                                   "space: ",
                                                   "punct:<<",
                                                   "space: ",
                                                   "word:h",
                                                   "punct:;"});
}

TEST_CASE("sqlite tokenizer: \\v starts no token, but a started space goes on over it",
          "[sql][sqlite][tokenizer]") {
  // aiClass[0x0b] is CC_ILLEGAL while sqlite3Isspace(0x0b) is true. The old
  // schema tokenizer (std::isspace) skipped a lone \v; the old splitter took
  // " \v" for the start of a statement.
  CHECK(described("a\vb") == std::vector<std::string>{"word:a", "illegal:\v", "word:b"});
  CHECK(described("a \v\tb") == std::vector<std::string>{"word:a", "space: \v\t", "word:b"});
  CHECK_THAT(prepare_error("SELECT 1\v"), Catch::Contains("unrecognized token"));
  CHECK(prepare_error("SELECT 1 \v").empty());
}

TEST_CASE("sqlite tokenizer: illegal tokens are what SQLite refuses", "[sql][sqlite][tokenizer]") {
  // Each snippet after SELECT: the tokenizer finds an illegal token exactly
  // when SQLite's prepare says "unrecognized token".
  const std::vector<std::string> snippets = {
      "1",      "1abc",  "1.2.3",  "x'1F'", "x'1'",    "x'zz'",   "!1",     "1 ! 2",
      "1 != 2", "'open", "\"open", "[open", "`open",   "$a(b;c)", "$a::b",  "$",
      "?",      "?12",   ":1",     "@",     "1e5",     "1e+",     "0x",     "0x1g",
      "\\",     "^",     "{",      "1\v",   "1 \v",    "\x01",    "é",      "1 /* open",
      "1 -- c", "1 / 2", "a.b",    ".5",    "1 ->> 2", "1 -> 2",  "1 || 2", "1 | 2",
  };
  for (const std::string& s : snippets) {
    std::string sql = "SELECT " + s;
    bool illegal = false;
    for (const RawToken& t : all_tokens(sql)) illegal = illegal || t.kind == Kind::illegal;
    std::string error = prepare_error(sql);
    INFO("SQL: " << sql << "\nSQLite: " << error);
    CHECK(illegal == (error.find("unrecognized token") != std::string::npos));
  }
}

TEST_CASE("sqlite tokenizer: unterminated tokens say what was left open",
          "[sql][sqlite][tokenizer]") {
  auto last = [](const std::string& sql) {
    auto tokens = all_tokens(sql);
    return std::string(unterminated(sql, tokens.back()));
  };
  CHECK(last("SELECT 'abc") == "string literal");
  CHECK(last("SELECT x'ab") == "string literal");
  CHECK(last("SELECT \"abc") == "quoted identifier");
  CHECK(last("SELECT `abc") == "quoted identifier");
  CHECK(last("SELECT [abc") == "quoted identifier");
  CHECK(last("SELECT 1 /* abc") == "/* comment");
  CHECK(last("SELECT 1 /*/") == "/* comment");
  CHECK(last("SELECT 1 /**/").empty());
  CHECK(last("SELECT x'zz'").empty());  // illegal, but closed
  CHECK(last("SELECT 'a'").empty());
  CHECK(last("SELECT 1 -- c").empty());
  // "/*" at the very end is a slash and a star, as in SQLite.
  CHECK(described("1/*") == std::vector<std::string>{"number:1", "punct:/", "punct:*"});
}

TEST_CASE("sqlite tokenizer: NUL bytes are illegal tokens of their own",
          "[sql][sqlite][tokenizer]") {
  std::string sql("a\0b", 3);
  auto tokens = all_tokens(sql);
  REQUIRE(tokens.size() == 3);
  CHECK(tokens[1].kind == Kind::illegal);
  CHECK(tokens[1].end == 2);
}

TEST_CASE("sqlite tokenizer: keywords and significant tokens", "[sql][sqlite][tokenizer]") {
  CHECK(is_keyword("order"));
  CHECK(is_keyword("ORDER"));
  CHECK_FALSE(is_keyword("users"));
  auto tokens = tokenize("CREATE TABLE \"T\" ( -- c\n a /* x */ int)");
  REQUIRE(tokens.size() == 7);
  CHECK(tokens[2].kind == Kind::quoted);
  CHECK(tokens[2].value() == "T");
  CHECK(tokens[0].is_word("create"));
  CHECK(tokens[3].is("("));
  CHECK(tokens[4].text == "a");
  CHECK(tokens[4].begin == 25);
}
