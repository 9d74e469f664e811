// Statement directives: lint-ignore (reason required, per statement, unused
// ones reported) and expect-rows any acknowledging a full-table DML.
#include <catch2/catch.hpp>

#include "lint/directives.h"
#include "lint_support.h"

using namespace linttest;

TEST_CASE("lint-ignore: the rule list and the reason", "[lint][directives]") {
  const std::string sql =
      "-- migrate:lint-ignore a,b  why not\n"
      "  --migrate:lint-ignore a , b, c because\n"
      "-- migrate:lint-ignore\n"
      "-- migrate:expect-rows ANY\n"
      "-- migrate:lint-ignored x y\n";
  migrate::lint::LineIndex lines(sql);
  auto d = migrate::lint::find_directives(sql, lines);
  REQUIRE(d.size() == 4);
  CHECK(d[0].rules == std::vector<std::string>{"a", "b"});
  CHECK(d[0].reason == "why not");
  CHECK(d[1].rules == std::vector<std::string>{"a", "b", "c"});
  CHECK(d[1].reason == "because");
  CHECK(d[2].rules.empty());
  CHECK(d[3].expects_any());
  CHECK(d[3].line == 3);
}

TEST_CASE("lint-ignore silences its rules on the statement below only", "[lint][directives]") {
  for (auto dialect : {Dialect::postgres, Dialect::sqlite}) {
    auto f = lint_sections(
        dialect, {"-- migrate:lint-ignore delete-without-where scratch table, refilled below\n"
                  "DELETE FROM old;\n"
                  "DELETE FROM old;"});
    REQUIRE(rules_of(f) == std::vector<std::string>{"delete-without-where"});
    CHECK(f[0].line == 12);
  }
}

TEST_CASE("lint-ignore without a reason, with an unknown rule, or unused", "[lint][directives]") {
  auto f = lint_sections(Dialect::postgres, {"-- migrate:lint-ignore delete-without-where\n"
                                             "DELETE FROM old;\n"
                                             "-- migrate:lint-ignore no-such-rule it is fine\n"
                                             "SELECT 1;\n"
                                             "-- migrate:lint-ignore drop-table nothing to drop\n"
                                             "SELECT 2;\n"
                                             "-- migrate:lint-ignore drop-table floating\n"
                                             "\n"
                                             "SELECT 3;"});
  CHECK(rules_of(f) == std::vector<std::string>{"bad-ignore", "delete-without-where", "bad-ignore",
                                                "unused-ignore", "unused-ignore"});
  CHECK(f[0].line == 10);
  CHECK(f[0].severity == migrate::lint::Severity::error);
  CHECK_THAT(f[2].message, Catch::Contains("no-such-rule"));
  CHECK(f[4].line == 16);
  CHECK_THAT(f[4].message, Catch::Contains("not on the line right before a statement"));
}

TEST_CASE("expect-rows any acknowledges a full-table DELETE or UPDATE", "[lint][directives]") {
  for (auto dialect : {Dialect::postgres, Dialect::sqlite}) {
    auto f =
        lint_sections(dialect, {"-- migrate:expect-rows any\nDELETE FROM old;\n"
                                "-- migrate:expect-rows 5\nUPDATE old SET a = 1;\n"
                                "-- migrate:expect-rows any\n"
                                "-- migrate:lint-ignore drop-table replaced by old_v2 in 2024\n"
                                "DROP TABLE old;"});
    CHECK(rules_of(f) == std::vector<std::string>{"update-without-where"});
  }
}

TEST_CASE("a directive inside a function body is not a directive", "[lint][directives]") {
  auto f = lint_sections(Dialect::postgres,
                         {"CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n"
                          "-- migrate:lint-ignore delete-without-where in here\n"
                          "DELETE FROM old;\nEND $$;"});
  CHECK(rules_of(f) == std::vector<std::string>{"delete-without-where"});
}
