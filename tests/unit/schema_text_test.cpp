// The text side of schema diffs: rename hints in a schema file and SQLite's
// CREATE TABLE reader. (The normaliser: sql_sqlite_text_test.cpp.)
#include <catch2/catch.hpp>

#include "schema/rename_hints.h"
#include "schema/sqlite/sqlite_create_table.h"
#include "support/test_support.h"

using namespace migrate::schema;

namespace {

std::string show(const RenameHint& h) {
  return (h.schema.text.empty() ? "" : h.schema.text + ".") + h.table.text +
         (h.column.text.empty() ? "" : "." + h.column.text) + " <- " + h.old_name.text + " @" +
         std::to_string(h.line);
}

using migrate::config::DatabaseUrl;

std::vector<std::string> hints(const std::string& sql, DatabaseUrl::Kind dialect) {
  std::vector<std::string> out;
  for (const auto& h : parse_rename_hints(sql, dialect)) out.push_back(show(h));
  return out;
}

}  // namespace

TEST_CASE("rename hints attach to the table or column they stand by", "[schema][hints]") {
  // Each schema file is read with its dialect's lexer; these read the same
  // in both.
  for (DatabaseUrl::Kind dialect : {DatabaseUrl::kPostgres, DatabaseUrl::kSqlite}) {
    INFO("dialect: " << (dialect == DatabaseUrl::kSqlite ? "sqlite" : "postgresql"));
    CHECK(hints("-- migrate:renamed-from accounts\nCREATE TABLE wallets (id int);", dialect) ==
          std::vector<std::string>{"wallets <- accounts @1"});
    CHECK(hints("CREATE TABLE wallets ( -- migrate:renamed-from accounts\n  id int\n);", dialect) ==
          std::vector<std::string>{"wallets <- accounts @1"});
    CHECK(hints("CREATE TABLE IF NOT EXISTS app.t (\n"
                "  id int,\n"
                "  -- migrate:renamed-from amount\n"
                "  balance numeric(12, 2) NOT NULL,\n"
                "  owner int, -- migrate:renamed-from user_id\n"
                "  \"Note\" text -- migrate:renamed-from \"Remark\"\n"
                ");",
                dialect) == std::vector<std::string>{"app.t.balance <- amount @3",
                                                     "app.t.owner <- user_id @5",
                                                     "app.t.Note <- Remark @6"});
    // A hint before an unrelated statement, or inside a string, is not a
    // hint for the next table.
    CHECK(hints("-- migrate:renamed-from x\nCREATE INDEX i ON t (a);\nCREATE TABLE u (id int);",
                dialect)
              .empty());
    CHECK(hints("CREATE TABLE u (s text DEFAULT '-- migrate:renamed-from y');", dialect).empty());
    // Table constraints take no column hints.
    CHECK(hints("CREATE TABLE t (a int,\n -- migrate:renamed-from b\n UNIQUE (a));", dialect)
              .empty());
  }
  // Nor inside a dollar-quoted body (PostgreSQL).
  CHECK(hints("CREATE FUNCTION f() RETURNS int AS $$\n-- migrate:renamed-from z\nSELECT 1$$;\n"
              "CREATE TABLE u (s text DEFAULT '-- migrate:renamed-from y');",
              DatabaseUrl::kPostgres)
            .empty());
}

TEST_CASE("rename hints read strings and names as the dialect does", "[schema][hints]") {
  // An E'' string's \' does not end it: the old dialect-neutral scanner
  // took the rest of the line for a comment holding a hint, and lost the
  // table after it.
  CHECK(hints("CREATE TABLE u (s text DEFAULT E'it\\'s -- migrate:renamed-from y');\n"
              "-- migrate:renamed-from a\nCREATE TABLE b (id int);",
              DatabaseUrl::kPostgres) == std::vector<std::string>{"b <- a @2"});
  // [name] is a quoted identifier in SQLite only.
  CHECK(hints("CREATE TABLE t (\n -- migrate:renamed-from x\n [my col] int);",
              DatabaseUrl::kSqlite) == std::vector<std::string>{"t.my col <- x @2"});
  // A lexer error in PostgreSQL text names its line.
  CHECK_THROWS_WITH(hints("CREATE TABLE t (a text DEFAULT 'open);\n", DatabaseUrl::kPostgres),
                    Catch::Contains("unterminated quoted string"));
}

TEST_CASE("rename hints are matched as the dialect folds names", "[schema][hints]") {
  Schema s;
  s.dialect = migrate::config::DatabaseUrl::kPostgres;
  Table t;
  t.name = {"public", "wallets"};
  t.columns.push_back({});
  t.columns.back().name = "Balance";
  s.tables.push_back(t);
  auto parsed = parse_rename_hints(
      "-- migrate:renamed-from Accounts\nCREATE TABLE Wallets (\n"
      "  \"Balance\" int -- migrate:renamed-from \"Amount\"\n);",
      s.dialect);
  apply_rename_hints(s, parsed, "schema.sql");
  CHECK(s.tables[0].renamed_from == "accounts");  // bare: folded to lower case
  CHECK(s.tables[0].columns[0].renamed_from == "Amount");

  auto missing =
      parse_rename_hints("CREATE TABLE t (\n  x int -- migrate:renamed-from y\n);", s.dialect);
  std::string err = testsupport::error_of([&] { apply_rename_hints(s, missing, "schema.sql"); });
  CHECK(err == "schema.sql:2: rename hint for table t, which the schema file does not create");
}

TEST_CASE("reversed hints rename back", "[schema][hints]") {
  Schema to, from;
  to.dialect = from.dialect = migrate::config::DatabaseUrl::kSqlite;
  Table w;
  w.name = {"main", "wallets"};
  w.renamed_from = "accounts";
  w.columns.push_back({});
  w.columns.back().name = "balance";
  w.columns.back().renamed_from = "amount";
  to.tables.push_back(w);
  Table a;
  a.name = {"main", "accounts"};
  a.columns.push_back({});
  a.columns.back().name = "amount";
  from.tables.push_back(a);
  Schema back = with_reversed_hints(to, from);
  CHECK(back.tables[0].renamed_from == "wallets");
  CHECK(back.tables[0].columns[0].renamed_from == "balance");
}

TEST_CASE("SQLite CREATE TABLE reader", "[schema][sqlite]") {
  auto t = sqlite::parse_create_table(
      "CREATE TABLE IF NOT EXISTS \"my t\" (\n"
      "  id integer CONSTRAINT pk PRIMARY KEY AUTOINCREMENT,\n"
      "  name varchar(20, 3) COLLATE NOCASE CONSTRAINT named CHECK (name <> ''),\n"
      "  p integer REFERENCES parent (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,\n"
      "  g int GENERATED ALWAYS AS (id * 2) STORED,\n"
      "  CHECK (id > 0),\n"
      "  CONSTRAINT fk2 FOREIGN KEY (g, p) REFERENCES other (a, b)\n"
      ") STRICT");
  CHECK(t.name == "my t");
  REQUIRE(t.columns.size() == 4);
  CHECK(t.columns[1].definition ==
        "name varchar(20, 3) COLLATE NOCASE CONSTRAINT named CHECK (name <> '')");
  CHECK(t.columns[1].collation == "NOCASE");
  CHECK(t.columns[3].generated == "id * 2");
  CHECK(t.columns[3].generated_stored);
  CHECK(t.columns[0].primary_key);
  CHECK(t.primary_key_name == "pk");
  CHECK(t.autoincrement);
  CHECK(t.strict);
  CHECK_FALSE(t.without_rowid);
  REQUIRE(t.checks.size() == 2);
  CHECK(t.checks[0].name == "named");
  CHECK(t.checks[0].column == "name");
  CHECK(t.checks[1].expr == "id > 0");
  REQUIRE(t.foreign_keys.size() == 2);
  CHECK(t.foreign_keys[0].deferrable);
  CHECK(t.foreign_keys[0].initially_deferred);
  CHECK(t.foreign_keys[1].name == "fk2");
  CHECK(t.foreign_keys[1].columns == std::vector<std::string>{"g", "p"});
  CHECK(sqlite::rename_created("CREATE TABLE \"my t\" (a)", "x") == "CREATE TABLE x (a)");
}
