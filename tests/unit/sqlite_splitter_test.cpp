// The connection-free SQLite splitter (offline --sql) and the SQLite
// dialect's rendering.
#include "db/sqlite/sqlite_splitter.h"

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "db/database.h"
#include "db/sqlite/sqlite_connection.h"
#include "db/sqlite/sqlite_dialect.h"
#include "db/sqlite/sqlite_executor.h"
#include "util/error.h"

using migrate::Error;
using migrate::db::Statement;
using migrate::db::sqlite::split_sql;

namespace {

std::vector<std::string> texts(const std::vector<Statement>& stmts) {
  std::vector<std::string> out;
  for (const auto& s : stmts) out.push_back(s.sql);
  return out;
}

std::vector<int> lines(const std::vector<Statement>& stmts) {
  std::vector<int> out;
  for (const auto& s : stmts) out.push_back(s.line);
  return out;
}

std::string split_error(const std::string& sql, int first_line = 1) {
  try {
    split_sql(sql, first_line, "v/ab12_x.sql");
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("expected an error");
  return {};
}

}  // namespace

TEST_CASE("splits statements and drops the semicolons", "[sqlite][splitter]") {
  auto s = split_sql("CREATE TABLE a (id INTEGER);\nINSERT INTO a VALUES (1);\n", 1, "f.sql");
  CHECK(texts(s) ==
        std::vector<std::string>{"CREATE TABLE a (id INTEGER)", "INSERT INTO a VALUES (1)"});
  CHECK(lines(s) == std::vector<int>{1, 2});
}

TEST_CASE("line numbers count from first_line and skip leading comments", "[sqlite][splitter]") {
  std::string sql =
      "\n"                                // 10
      "-- a comment; with a semicolon\n"  // 11
      "/* block\n"                        // 12
      "   comment; */\n"                  // 13
      "  CREATE TABLE a (\n"              // 14
      "    id INTEGER\n"                  // 15
      "  );  SELECT 1;\n"                 // 16
      "\n"                                // 17
      "SELECT\n"                          // 18
      "  2;\n";                           // 19
  auto s = split_sql(sql, 10, "f.sql");
  REQUIRE(s.size() == 3);
  CHECK(s[0].sql == "CREATE TABLE a (\n    id INTEGER\n  )");
  CHECK(lines(s) == std::vector<int>{14, 16, 18});
  CHECK(s[2].sql == "SELECT\n  2");
}

TEST_CASE("a trigger body with BEGIN ... END; is one statement", "[sqlite][splitter]") {
  std::string sql =
      "CREATE TABLE log (msg TEXT);\n"
      "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n"
      "  INSERT INTO log VALUES ('one;');\n"
      "  UPDATE log SET msg = 'two' WHERE msg = 'x';\n"
      "END;\n"
      "CREATE TEMP TRIGGER t2 BEFORE DELETE ON a FOR EACH ROW BEGIN SELECT 1; END;\n"
      "SELECT 3;\n";
  auto s = split_sql(sql, 1, "f.sql");
  REQUIRE(s.size() == 4);
  CHECK(s[1].sql ==
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n"
        "  INSERT INTO log VALUES ('one;');\n"
        "  UPDATE log SET msg = 'two' WHERE msg = 'x';\n"
        "END");
  CHECK(s[2].sql == "CREATE TEMP TRIGGER t2 BEFORE DELETE ON a FOR EACH ROW BEGIN SELECT 1; END");
  CHECK(lines(s) == std::vector<int>{1, 2, 6, 7});
}

TEST_CASE("semicolons in strings, identifiers and comments do not split", "[sqlite][splitter]") {
  std::string sql =
      "INSERT INTO t VALUES ('a;b', 'it''s; fine');\n"
      "SELECT \"x;y\", [p;q], `r;s` FROM t -- trailing; comment\n"
      "  WHERE a = ';' /* c; d */;\n";
  auto s = split_sql(sql, 1, "f.sql");
  REQUIRE(s.size() == 2);
  CHECK(s[0].sql == "INSERT INTO t VALUES ('a;b', 'it''s; fine')");
  // A comment inside the statement stays; one after its last token goes.
  CHECK(s[1].sql == "SELECT \"x;y\", [p;q], `r;s` FROM t -- trailing; comment\n  WHERE a = ';'");
}

TEST_CASE("a comment before the semicolon stays outside the statement", "[sqlite][splitter]") {
  // Offline output appends ";": it must not land inside a -- comment.
  auto s = split_sql("SELECT 1 -- why\n;\nSELECT 2 /* x */ ;", 1, "f.sql");
  CHECK(texts(s) == std::vector<std::string>{"SELECT 1", "SELECT 2"});
}

TEST_CASE("CRLF line endings count lines and stay out of the text", "[sqlite][splitter]") {
  auto s = split_sql("SELECT 1;\r\n\r\nSELECT\r\n  2;\r\n", 1, "f.sql");
  CHECK(texts(s) == std::vector<std::string>{"SELECT 1", "SELECT\r\n  2"});
  CHECK(lines(s) == std::vector<int>{1, 3});
}

TEST_CASE("empty statements and comment-only text give nothing", "[sqlite][splitter]") {
  CHECK(split_sql("", 1, "f.sql").empty());
  CHECK(split_sql("  \n-- nothing here\n/* or here */\n", 1, "f.sql").empty());
  CHECK(texts(split_sql(";;\nSELECT 1;;\n", 1, "f.sql")) == std::vector<std::string>{"SELECT 1"});
  // An unclosed comment after the last statement is a comment to SQLite too.
  CHECK(texts(split_sql("SELECT 1;\n/* trailing", 1, "f.sql")) ==
        std::vector<std::string>{"SELECT 1"});
}

TEST_CASE("a final statement missing only its semicolon is accepted", "[sqlite][splitter]") {
  auto s = split_sql("SELECT 1;\nSELECT 2\n-- done\n", 5, "f.sql");
  CHECK(texts(s) == std::vector<std::string>{"SELECT 1", "SELECT 2"});
  CHECK(lines(s) == std::vector<int>{5, 6});
  auto t = split_sql("CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END", 1, "f.sql");
  CHECK(texts(t) ==
        std::vector<std::string>{"CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END"});
}

TEST_CASE("an unterminated string is an error at its line", "[sqlite][splitter]") {
  std::string msg = split_error("SELECT 1;\nINSERT INTO t\n  VALUES ('abc);\nSELECT 2;\n", 20);
  CHECK_THAT(msg, Catch::Contains("v/ab12_x.sql:22: unterminated string literal"));
  CHECK_THAT(msg, Catch::Contains("starts on line 21"));
  CHECK_THAT(msg, Catch::Contains("in: INSERT INTO t ..."));
}

TEST_CASE("other unterminated tokens and trigger bodies are errors", "[sqlite][splitter]") {
  CHECK_THAT(split_error("SELECT \"abc;\n"),
             Catch::Contains("v/ab12_x.sql:1: unterminated quoted identifier"));
  CHECK_THAT(split_error("SELECT 1;\nSELECT 2 /* open;\n"),
             Catch::Contains("v/ab12_x.sql:2: unterminated /* comment"));
  std::string trig =
      split_error("SELECT 1;\n\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n SELECT 1;\n");
  CHECK_THAT(trig, Catch::Contains("v/ab12_x.sql:3: unterminated statement"));
  CHECK_THAT(trig, Catch::Contains("END"));
}

TEST_CASE("a \\v after whitespace is whitespace, as SQLite reads it", "[sqlite][splitter]") {
  // SQLite's tokenizer starts no token with \v (illegal) but goes on over
  // one in a space token. The old splitter and executor, whose whitespace
  // had no \v, took the " \v" at the end for a statement of its own: the
  // splitter emitted "\v" and the executor failed with "unrecognized token".
  std::string sql = "CREATE TABLE t (a);\n \v\n";
  CHECK(texts(split_sql(sql, 1, "f.sql")) == std::vector<std::string>{"CREATE TABLE t (a)"});
  std::string file = "f.sql";
  migrate::db::sqlite::Connection conn(":memory:", SQLITE_OPEN_READWRITE, file);
  CHECK_NOTHROW(migrate::db::sqlite::run_section(conn, {sql, 1, file, "step", false}));
  // A \v that starts a token is illegal: SQLite refuses it.
  std::string bad = "SELECT 1;\v";
  CHECK(texts(split_sql(bad, 1, "f.sql")) == std::vector<std::string>{"SELECT 1", "\v"});
  CHECK_THROWS_WITH(migrate::db::sqlite::run_section(conn, {bad, 1, file, "step", false}),
                    Catch::Contains("f.sql:1: step failed: unrecognized token"));
}

TEST_CASE("an unterminated blob literal is an unterminated string", "[sqlite][splitter]") {
  CHECK_THAT(split_error("SELECT 1;\nSELECT x'ab;\n"),
             Catch::Contains("v/ab12_x.sql:2: unterminated string literal"));
  // Closed but malformed (odd digits): SQLite's to refuse, not the splitter's.
  CHECK(texts(split_sql("SELECT x'abc';", 1, "f.sql")) ==
        std::vector<std::string>{"SELECT x'abc'"});
}

TEST_CASE("many statements split in one pass", "[sqlite][splitter]") {
  std::string sql;
  for (int i = 0; i < 20000; ++i)
    sql += "INSERT INTO t VALUES (" + std::to_string(i) + ", 'x;y');\n";
  auto s = split_sql(sql, 1, "f.sql");
  REQUIRE(s.size() == 20000);
  CHECK(s.back().line == 20000);
  CHECK(s.back().sql == "INSERT INTO t VALUES (19999, 'x;y')");
}

TEST_CASE("the SQLite dialect renders quoted SQL", "[sqlite][dialect]") {
  auto d = migrate::backend::dialect_for_url("sqlite:///app.db");
  CHECK(d->name() == "sqlite");
  CHECK(d->quote_ident("we\"ird") == "\"we\"\"ird\"");
  CHECK(d->quote_literal("it's") == "'it''s'");
  CHECK(d->begin_sql() == "BEGIN IMMEDIATE");
  migrate::db::TableNames t;
  using Op = migrate::graph::VersionOp;
  CHECK(d->version_op_sql(t, Op{Op::kInsert, "", "a1"}) ==
        "INSERT INTO main.\"migrate_version\" (version_num) VALUES ('a1')");
  CHECK(d->version_op_sql(t, Op{Op::kUpdate, "a1", "b2"}) ==
        "UPDATE main.\"migrate_version\" SET version_num = 'b2' WHERE version_num = 'a1'");
  CHECK(d->version_op_sql(t, Op{Op::kDelete, "b2", ""}) ==
        "DELETE FROM main.\"migrate_version\" WHERE version_num = 'b2'");
  auto split = d->split("SELECT 1; SELECT 2", 3, "f.sql");
  CHECK(texts(split) == std::vector<std::string>{"SELECT 1", "SELECT 2"});
}

TEST_CASE("the dialect's offline SQL runs on SQLite", "[sqlite][dialect]") {
  migrate::db::sqlite::SqliteDialect d;
  migrate::db::TableNames t;
  t.version_table = "my version";
  std::string script;
  for (const auto& sql : d.create_tables_sql(t)) script += sql + ";\n";
  script += d.create_tables_sql(t)[0] + ";\n";  // IF NOT EXISTS: idempotent
  script += d.begin_sql() + ";\n";
  script += d.version_op_sql(t, {migrate::graph::VersionOp::kInsert, "", "a1"}) + ";\n";
  script += d.history_insert_sql(t, "a1", "upgrade", "abc123") + ";\n";
  script += "COMMIT;\n";
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, script.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  CHECK(msg == "");
  CHECK(rc == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db,
                             "SELECT revision || '|' || applied_by || '|' || checksum || '|' || "
                             "status || '|' || started_at FROM migrate_history",
                             -1, &st, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  std::string row = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  CHECK_THAT(row, Catch::StartsWith("a1|offline|abc123|ok|20"));
  CHECK_THAT(row, Catch::Matches(".*T\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\dZ"));
  sqlite3_finalize(st);
  sqlite3_close(db);
}

// Found by the fuzz target sqlite_split (tests/fuzz/sqlite_split/vtab-*): the
// "\v" statement above, written on a line of its own by `--sql`, reads as
// space there, so the offline script ran without the error the online step
// meets. The dialect's check (run before anything is printed) refuses it.
TEST_CASE("a statement starting with \\v is refused before --sql prints it", "[sqlite][splitter]") {
  migrate::db::sqlite::SqliteDialect d;
  CHECK_THROWS_WITH(
      d.check_step(split_sql("SELECT 1;\n\nSELECT 2;\x0b", 3, "v.sql"), true, "v.sql"),
      Catch::Matchers::StartsWith("v.sql:5: a vertical tab (\\v) starts a statement"));
  // In a string, a comment or after other space it is no statement.
  CHECK_NOTHROW(
      d.check_step(split_sql("SELECT '\x0b'; -- \x0b\n \x0b", 1, "v.sql"), true, "v.sql"));
}

// Found by the fuzz target sqlite_split (tests/fuzz/sqlite_split/dollar-*):
// SQLite reads `$name(` up to a `)` or a space, so the semicolon `--sql`
// writes after such a statement became part of the token, and the next
// statement part of this one. Refused like an unterminated string.
TEST_CASE("a $name( parameter without its ) is unterminated", "[sqlite][splitter]") {
  CHECK_THROWS_WITH(split_sql("SELECT 1;\nSELECT $a(b", 7, "p.sql"),
                    Catch::Matchers::StartsWith("p.sql:8: unterminated parameter $name("));
  CHECK(texts(split_sql("SELECT $a(b);\nSELECT :x, @y, $z::w", 1, "p.sql")) ==
        std::vector<std::string>{"SELECT $a(b)", "SELECT :x, @y, $z::w"});
}

// Found by the fuzz target sqlite_split in CI's 10-second run
// (tests/fuzz/sqlite_split/dollar-quote-*): SQLite's tokenizer reads
// $EATi(''s') as one parameter, sqlite3_complete() as the start of a string,
// so the statement was split where its own --sql rewrite no longer splits.
TEST_CASE("a $name(...) parameter holding a quote, comment or ; is refused", "[sqlite][splitter]") {
  CHECK_THROWS_WITH(split_sql("SELECT 1;\nSELECT $a(''s'); --s');", 4, "p.sql"),
                    Catch::Matchers::StartsWith("p.sql:5: the parameter $a(''s') has a quote"));
  CHECK_THROWS_WITH(split_sql("SELECT $a(x;y);", 1, "p.sql"),
                    Catch::Matchers::Contains("inside its parentheses"));
  CHECK_THROWS_WITH(split_sql("SELECT $a(--x);", 1, "p.sql"),
                    Catch::Matchers::Contains("inside its parentheses"));
  // Plain Tcl-style parameters still split as SQLite reads them.
  CHECK(texts(split_sql("SELECT $a(b.c);\nSELECT 2", 1, "p.sql")) ==
        std::vector<std::string>{"SELECT $a(b.c)", "SELECT 2"});
}

// Found by the fuzz target sqlite_split in CI's run of 2026-12-06
// (tests/fuzz/sqlite_split/vtab-before-trigger): after "\n\v" SQLite's
// tokenizer still reads CREATE TRIGGER, but sqlite3_complete() reads the \v
// as a word and ends the statement at the body's first ';'. The --sql
// rewrite drops the space before the statement, and then the same text
// is a trigger that needs its END: the script did not split again.
TEST_CASE("a \\v in the space before a statement is refused", "[sqlite][splitter]") {
  CHECK_THROWS_WITH(split_sql("SELECT 1;\n\n\x0b\nCREATE TRIGGER t;E;", 2, "v.sql"),
                    Catch::Matchers::StartsWith("v.sql:4: a vertical tab (\\v) in the space "
                                                "before a statement"));
  CHECK_THROWS_WITH(split_sql(" \x0b SELECT 1;", 1, "v.sql"),
                    Catch::Matchers::Contains("replace it with a space"));
  // Inside a statement (kept in place by the rewrite), in a comment, a
  // string, and after the last statement, it changes nothing.
  CHECK(texts(split_sql("SELECT\x0b 1; -- \x0b\nSELECT '\x0b'; \x0b ", 1, "v.sql")) ==
        std::vector<std::string>{"SELECT\x0b 1", "SELECT '\x0b'"});
}
