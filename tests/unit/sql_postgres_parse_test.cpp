// PostgreSQL's parser and splitter through sql::postgres (libpg_query): the
// JSON parse tree, syntax errors with their position, and statement ranges
// trimmed to their first and last token. No server needed.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "lint/pg_tree.h"
#include "sql/postgres/parse.h"
#include "sql/postgres/split.h"

using migrate::sql::postgres::parse;
using migrate::sql::postgres::parse_one;
using migrate::sql::postgres::ParseError;
using migrate::sql::postgres::split;

namespace {

std::vector<std::string> pieces(const std::string& sql) {
  std::vector<std::string> out;
  for (const auto& r : split(sql)) out.push_back(sql.substr(r.begin, r.end - r.begin));
  return out;
}

template <typename F>
ParseError parse_error(F&& f) {
  try {
    f();
  } catch (const ParseError& e) {
    return e;
  }
  FAIL("no ParseError");
  throw;  // not reached
}

}  // namespace

TEST_CASE("pg parse: the JSON tree of every statement", "[sql][pg][parse]") {
  auto doc = parse("CREATE INDEX CONCURRENTLY i ON t (a); SELECT 1");
  REQUIRE(doc["stmts"].size() == 2);
  const auto& index = doc["stmts"][0]["stmt"]["IndexStmt"];
  CHECK(index.value("concurrent", false));
  CHECK(index["relation"].value("relname", "") == "t");
  CHECK(doc["stmts"][1]["stmt"].contains("SelectStmt"));

  CHECK(parse_one("VACUUM t").contains("VacuumStmt"));
  CHECK(parse_one("SELECT 1; SELECT 2").is_null());  // several
  CHECK(parse_one("-- nothing").is_null());          // none
  CHECK(parse_one("SELEC 1").is_null());             // no parse
}

TEST_CASE("pg parse: a syntax error names the parser's message and position", "[sql][pg][parse]") {
  ParseError e = parse_error([] { parse("SELECT 1;\nSELECT 'é' FRO x"); });
  CHECK(e.parser_message() == "syntax error at or near \"x\"");
  CHECK(e.offset() == 26);
  CHECK(std::string(e.what()) == "syntax error at or near \"x\" (line 2, column 16)");

  e = parse_error([] { parse(std::string("SELECT 1;\0", 10)); });
  CHECK(std::string(e.what()) == "the SQL contains a NUL byte (line 1, column 10)");
}

// Found by the fuzz target offline_sql in CI's run of 2026-12-06: libpg_query
// copies bytes that are not UTF-8 into its JSON tree, which no JSON reader
// accepts, and the error ("not JSON") had no position; a revision with such
// a byte in a CREATE INDEX stopped `upgrade --sql` and `lint` without
// file:line. They are the parser's error now, at their offset, on every
// entry to libpg_query, as a UTF-8 server would refuse them.
TEST_CASE("pg parse: bytes that are not UTF-8 are a parse error at their offset",
          "[sql][pg][parse]") {
  const std::string sql = "SELECT 1;\nCREATE INDEX \"a\xff\" ON t (a)";
  ParseError e = parse_error([&] { parse(sql); });
  CHECK(e.offset() == 25);
  CHECK(std::string(e.what()) ==
        "invalid byte sequence for encoding \"UTF8\": 0xff (the file must be UTF-8) "
        "(line 2, column 16)");
  CHECK(parse_error([&] { migrate::sql::postgres::split(sql); }).offset() == 25);
  CHECK(parse_error([&] { migrate::lint::pg::parse_tree(sql); }).offset() == 25);
  CHECK(parse_one(sql).is_null());
  CHECK_NOTHROW(parse("SELECT 'é', \"ü\""));
}

TEST_CASE("pg split: statements without comments around them or semicolons", "[sql][pg][split]") {
  std::string sql =
      "-- lead; in\nCREATE TABLE a (id int); /* between; */\n"
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\n"
      "SELECT $x$;$x$, 'it''s;' -- tail; comment\n";
  CHECK(pieces(sql) ==
        std::vector<std::string>{
            "CREATE TABLE a (id int)",
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END",
            "SELECT $x$;$x$, 'it''s;'"});
  CHECK(split("").empty());
  CHECK(split(";; -- only a comment\n/* and another */").empty());
}

TEST_CASE("pg split: a vertical tab is a syntax error, as in PostgreSQL 15", "[sql][pg][split]") {
  // The old hand-written trimmer (pg_text.cpp, std::isspace) took \v for
  // whitespace; PostgreSQL 15's lexer passes it to the parser, which
  // rejects it.
  ParseError e = parse_error([] { split("SELECT 1;\v"); });
  CHECK(e.offset() == 9);
  CHECK(e.parser_message().find("syntax error") == 0);
}
