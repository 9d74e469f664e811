// Text operations on SQLite SQL (sql/sqlite/text.h): the normaliser that
// decides which spellings are the same, quoting and renaming identifiers,
// statement excerpts for messages.
#include <catch2/catch.hpp>
#include <string>

#include "sql/sqlite/text.h"

using migrate::sql::sqlite::first_line_of;
using migrate::sql::sqlite::mentions;
using migrate::sql::sqlite::normalize;
using migrate::sql::sqlite::quote_ident;
using migrate::sql::sqlite::replace_ident;
using migrate::sql::sqlite::squeeze;

TEST_CASE("SQLite text: normalise spellings, not meanings", "[sql][sqlite][text]") {
  CHECK(normalize("CHECK ( length( \"Title\" )>0 ) -- why") ==
        normalize("check (LENGTH(title) > 0)"));
  CHECK(normalize("x IN ('a','b')") == "x in ('a', 'b')");
  // String literals and numbers are kept exactly.
  CHECK(normalize("DEFAULT 'EUR'") != normalize("DEFAULT 'eur'"));
  CHECK(normalize("1.0") != normalize("1"));
  CHECK(normalize("\"two words\"") == "\"two words\"");
  CHECK(quote_ident("order") == "\"order\"");
  CHECK(quote_ident("users") == "users");
  CHECK(replace_ident("CREATE INDEX i ON t (\"Amount\", amount2)", "amount", "balance") ==
        "CREATE INDEX i ON t (balance, amount2)");
}

TEST_CASE("SQLite text: names are found as tokens, never inside strings or comments",
          "[sql][sqlite][text]") {
  CHECK(mentions("CHECK (\"Status\" IN ('a', 'b'))", "status"));
  CHECK_FALSE(mentions("CHECK (kind <> 'status') -- status\n/* status */", "status"));
  CHECK(replace_ident("kind <> 'kind' /* kind */ AND [kind] > 0", "kind", "order") ==
        "\"order\" <> 'kind' /* kind */ AND \"order\" > 0");
  CHECK(squeeze("a    integer  -- c\n  NOT NULL") == "a integer NOT NULL");
  CHECK(quote_ident("two words") == "\"two words\"");
  CHECK(quote_ident("a\"b") == "\"a\"\"b\"");
  CHECK(quote_ident("1a") == "\"1a\"");
  CHECK(quote_ident("café") == "café");
}

TEST_CASE("SQLite text: a lone \\v, !, ?1 or 1.2.3 are tokens as SQLite reads them",
          "[sql][sqlite][text]") {
  // Where the old schema tokenizer (std::isspace, a hand-made number rule)
  // differed from SQLite's: a lone \v is an illegal token, not space; "?1"
  // is one variable; "1.2.3" is two numbers.
  CHECK(normalize("a\vb") == "a \v b");
  CHECK(normalize("a \vb") == "a b");
  CHECK(normalize("x = ?1") == "x = ?1");
  CHECK(normalize("1.2.3") == "1.2 .3");
}

TEST_CASE("SQLite text: the first line of a statement, for messages", "[sql][sqlite][text]") {
  std::string sql = "INSERT INTO t\n  VALUES (1);\n-- done\n";
  CHECK(first_line_of(sql, 0, sql.size()) == "INSERT INTO t ...");
  CHECK(first_line_of(sql, 0, 13) == "INSERT INTO t");
  // A line ending in ';' ends the statement; comments after it are no more.
  std::string one = "SELECT 1;   \n-- c\n/* d */";
  CHECK(first_line_of(one, 0, one.size()) == "SELECT 1;");
  CHECK(first_line_of(std::string(200, 'x'), 0, 200) == std::string(120, 'x') + " ...");
}
