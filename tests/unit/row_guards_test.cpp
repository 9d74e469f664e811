// Row guards: the directive's forms and errors (with file:line), which
// statement a directive applies to, the header key, the messages, and the
// PostgreSQL helpers (TRUNCATE's row count, which statements modify rows).
#include "db/row_guards.h"

#include <catch2/catch.hpp>

#include "db/database.h"
#include "db/postgres/pg_row_count.h"
#include "script/revision_file.h"
#include "util/error.h"

using Catch::Matchers::Contains;
using migrate::db::parse_expect_rows;
using migrate::db::row_guard_violation;
using migrate::db::RowGuards;
using migrate::db::Statement;

namespace {

migrate::db::RowBound bound_of(const std::string& text) {
  auto e = parse_expect_rows("-- migrate:expect-rows " + text + "\nDELETE FROM t;\n", 10, "f.sql");
  REQUIRE(e.size() == 1);
  CHECK(e[0].directive_line == 10);
  CHECK(e[0].statement_line == 11);
  return e[0].bound;
}

std::string error_of(const std::string& sql) {
  try {
    parse_expect_rows(sql, 5, "v/f.sql");
  } catch (const migrate::Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("expect-rows: every form of the bound", "[row_guards]") {
  auto exact = bound_of("5");
  CHECK(exact.text == "5");
  CHECK(exact.accepts(5));
  CHECK_FALSE(exact.accepts(4));
  CHECK_FALSE(exact.accepts(6));

  auto at_most = bound_of("<= 10");
  CHECK(at_most.text == "<= 10");
  CHECK(at_most.accepts(0));
  CHECK(at_most.accepts(10));
  CHECK_FALSE(at_most.accepts(11));
  CHECK(bound_of("<=10").text == "<= 10");

  auto at_least = bound_of(">= 1");
  CHECK(at_least.accepts(1));
  CHECK(at_least.accepts(1000000));
  CHECK_FALSE(at_least.accepts(0));

  auto range = bound_of("2..4");
  CHECK(range.text == "2..4");
  CHECK(range.accepts(2));
  CHECK(range.accepts(4));
  CHECK_FALSE(range.accepts(1));
  CHECK_FALSE(range.accepts(5));

  auto any = bound_of("any");
  CHECK(any.accepts(0));
  CHECK(any.accepts(50000));
}

TEST_CASE("expect-rows: malformed directives name file and line", "[row_guards]") {
  CHECK_THAT(error_of("SELECT 1;\n-- migrate:expect-rows\nDELETE FROM t;"),
             Contains("v/f.sql:6: bad row bound ''"));
  CHECK_THAT(error_of("-- migrate:expect-rows five\nDELETE FROM t;"),
             Contains("v/f.sql:5: bad row bound 'five'"));
  CHECK_THAT(error_of("-- migrate:expect-rows 4..2\nDELETE FROM t;"),
             Contains("v/f.sql:5: bad row bound '4..2'"));
  CHECK_THAT(error_of("-- migrate:expect-rows < 3\nDELETE FROM t;"),
             Contains("v/f.sql:5: bad row bound '< 3'"));
  CHECK_THAT(error_of("-- migrate:expect-rows -1\nDELETE FROM t;"),
             Contains("v/f.sql:5: bad row bound '-1'"));
  CHECK_THAT(error_of("-- migrate:expect-rowz 3\nDELETE FROM t;"), Contains("(no error)"));
  CHECK_THAT(error_of("-- migrate:expect-rows3\nDELETE FROM t;"),
             Contains("v/f.sql:5: '-- migrate:expect-rows3' is not a directive"));
  CHECK_THAT(error_of("DELETE FROM t;\n-- migrate:expect-rows 3\n\n"),
             Contains("v/f.sql:6: `-- migrate:expect-rows` is not followed by a statement"));
  CHECK_THAT(error_of("-- migrate:expect-rows 3\n-- migrate:expect-rows 4\nDELETE FROM t;"),
             Contains("v/f.sql:6: a second `-- migrate:expect-rows` for the statement on line 7"));
}

TEST_CASE("expect-rows applies to the statement after it, past comments and blank lines",
          "[row_guards]") {
  auto e = parse_expect_rows(
      "CREATE TABLE t (a int);\n"
      "-- migrate:expect-rows any\n"
      "-- migrate:lint-ignore data-delete-without-where cleanup\n"
      "\n"
      "DELETE FROM t;\n",
      20, "f.sql");
  REQUIRE(e.size() == 1);
  CHECK(e[0].directive_line == 21);
  CHECK(e[0].statement_line == 24);

  // The statement must start on that line, alone.
  std::vector<Statement> one = {{"CREATE TABLE t (a int)", 20}, {"DELETE FROM t", 24}};
  CHECK_NOTHROW(migrate::db::check_expect_rows_targets(e, one, "f.sql"));
  std::vector<Statement> none = {{"CREATE TABLE t (a int)", 20}};
  CHECK_THROWS_WITH(migrate::db::check_expect_rows_targets(e, none, "f.sql"),
                    Contains("f.sql:21: `-- migrate:expect-rows` must be on the line before a "
                             "statement; line 24 does not start one"));
  std::vector<Statement> two = {{"DELETE FROM t", 24}, {"DELETE FROM u", 24}};
  CHECK_THROWS_WITH(migrate::db::check_expect_rows_targets(e, two, "f.sql"),
                    Contains("where 2 statements start"));
}

TEST_CASE("row_guard_violation: the message names file, line, bound and count", "[row_guards]") {
  RowGuards g;
  g.max_rows = 100;
  g.expect = parse_expect_rows("-- migrate:expect-rows <= 10\nDELETE FROM s;\n", 7, "v/a.sql");

  auto v = row_guard_violation(g, "v/a.sql", 8, 57, true, "step a (upgrade)", "DELETE FROM s");
  REQUIRE(v);
  CHECK(*v ==
        "v/a.sql:8: step a (upgrade): row guard violated: expect-rows <= 10 (line 7), but the "
        "statement affected 57 rows\n  in: DELETE FROM s");
  CHECK_FALSE(row_guard_violation(g, "v/a.sql", 8, 10, true, "s", "x"));

  // The header's bound applies to the other statements that modify rows.
  auto m = row_guard_violation(g, "v/a.sql", 12, 101, true, "step a (upgrade)", "UPDATE t SET");
  REQUIRE(m);
  CHECK_THAT(*m, Contains("v/a.sql:12: step a (upgrade): row guard violated: max_rows_affected: "
                          "100 (header), but the statement affected 101 rows"));
  CHECK_FALSE(row_guard_violation(g, "v/a.sql", 12, 100, true, "s", "x"));
  // A SELECT's rows are not changed rows.
  CHECK_FALSE(row_guard_violation(g, "v/a.sql", 12, 5000, false, "s", "x"));
  // A statement's own expectation replaces the header's bound for it.
  g.expect = parse_expect_rows("-- migrate:expect-rows any\nDELETE FROM s;\n", 7, "v/a.sql");
  CHECK_FALSE(row_guard_violation(g, "v/a.sql", 8, 5000, true, "s", "x"));
}

TEST_CASE("header max_rows_affected: a whole number of rows", "[row_guards]") {
  auto file = [](const std::string& value) {
    return "-- revision: a1\n-- down_revision: null\n-- max_rows_affected: " + value +
           "\n\n-- migrate:upgrade\nDELETE FROM t WHERE id = 1;\n-- migrate:downgrade\n";
  };
  CHECK(migrate::script::parse_revision_text(file("25"), "a.sql").max_rows_affected == 25);
  CHECK_FALSE(migrate::script::parse_revision_text(
                  "-- revision: a1\n-- down_revision: null\n-- migrate:upgrade\n"
                  "-- migrate:downgrade\n",
                  "a.sql")
                  .max_rows_affected);
  CHECK_THROWS_WITH(migrate::script::parse_revision_text(file("-3"), "a.sql"),
                    Contains("a.sql:3: `max_rows_affected` must be a whole number of rows"));
  CHECK_THROWS_WITH(migrate::script::parse_revision_text(file("[1]"), "a.sql"),
                    Contains("a.sql:3: `max_rows_affected` must be a whole number"));
  // The directives are comments to the file reader, not bad markers.
  auto with_directives = migrate::script::parse_revision_text(
      "-- revision: a1\n-- down_revision: null\n\n-- migrate:upgrade\n"
      "-- migrate:expect-rows 1\nDELETE FROM t WHERE id = 1;\n"
      "-- migrate:lint-ignore data-truncate reset\nTRUNCATE t;\n-- migrate:downgrade\n",
      "a.sql");
  CHECK_THAT(with_directives.upgrade_sql, Contains("-- migrate:expect-rows 1"));
  CHECK_THROWS_WITH(migrate::script::parse_revision_text(
                        "-- revision: a1\n-- down_revision: null\n\n-- migrate:upgrade\n"
                        "-- migrate:expect-rowz 1\n-- migrate:downgrade\n",
                        "a.sql"),
                    Contains("a.sql:5: '-- migrate:expect-rowz 1' is not a marker"));
}

TEST_CASE("pg row counts: TRUNCATE is counted first; which statements modify rows",
          "[row_guards][postgres]") {
  using migrate::db::postgres::statement_modifies_rows;
  using migrate::db::postgres::truncate_count_sql;
  CHECK(truncate_count_sql("TRUNCATE s, ONLY app.\"T2\" CASCADE") ==
        "SELECT 0::bigint + (SELECT count(*) FROM \"s\") + (SELECT count(*) FROM ONLY "
        "\"app\".\"T2\")");
  CHECK(truncate_count_sql("truncate table s") ==
        "SELECT 0::bigint + (SELECT count(*) FROM \"s\")");
  CHECK_FALSE(truncate_count_sql("DELETE FROM s"));
  CHECK_FALSE(truncate_count_sql("TRUNCATED_NAME"));

  CHECK(statement_modifies_rows("DELETE FROM s"));
  CHECK(statement_modifies_rows("insert into s values (1)"));
  CHECK(statement_modifies_rows("UPDATE s SET a = 1"));
  CHECK(statement_modifies_rows("WITH x AS (SELECT 1) DELETE FROM s"));
  CHECK_FALSE(statement_modifies_rows("WITH x AS (SELECT 1) SELECT * FROM x"));
  CHECK_FALSE(statement_modifies_rows("SELECT * FROM s"));
  CHECK_FALSE(statement_modifies_rows("CREATE TABLE x AS SELECT * FROM s"));
  CHECK_FALSE(statement_modifies_rows("UPDATES_LOG"));
}
