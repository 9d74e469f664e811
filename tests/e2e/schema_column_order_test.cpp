// --strict-column-order on `diff` and `check`, through the real binary on
// real SQLite files: column order is not compared, but it never differs
// silently when asked.
#include <catch2/catch.hpp>

#include "e2e/project_fixture.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using e2e::Project;
using testsupport::ExitedWith;

TEST_CASE("diff and check --strict-column-order report a column order a diff cannot change",
          "[schema][cli]") {
  Project p;
  p.add({"aaaa00000001",
         {},
         "CREATE TABLE t (id integer PRIMARY KEY, b text, a text);",
         "DROP TABLE t;"});
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  // The same columns in another order: equal to a diff.
  testsupport::write_file(p.path("schema.sql"),
                          "CREATE TABLE t (id integer PRIMARY KEY, a text, b text);");
  auto plain = p.run({"diff", "--exit-code"});
  CHECK_THAT(plain, ExitedWith(0));
  CHECK(plain.out == "");
  CHECK_THAT(p.run({"check"}), ExitedWith(0));

  auto strict = p.run({"diff", "--exit-code", "--strict-column-order"});
  CHECK_THAT(strict, ExitedWith(3));
  CHECK(strict.out == "");
  CHECK_THAT(strict.err, Contains("migrate: column order: table t: columns (id, b, a) after the "
                                  "diff, (id, a, b) wanted"));
  // Reported, but only --exit-code turns it into an exit status.
  CHECK_THAT(p.run({"diff", "--strict-column-order"}), ExitedWith(0));

  auto check = p.run({"check", "--strict-column-order"});
  CHECK_THAT(check, ExitedWith(3));
  CHECK_THAT(check.err, Contains("column order: "));
  CHECK_THAT(check.err, Contains("differs from rev:heads: table t: columns (id, b, a)"));

  // An added column goes at the end: reported when the target has it elsewhere.
  testsupport::write_file(p.path("schema.sql"),
                          "CREATE TABLE t (id integer PRIMARY KEY, c text, b text, a text);");
  auto added = p.run({"diff", "--strict-column-order"});
  CHECK(added.out == "ALTER TABLE t ADD COLUMN c text;\n");
  CHECK_THAT(added.err, Contains("columns (id, b, a, c) after the diff, (id, c, b, a) wanted"));
  testsupport::write_file(p.path("schema.sql"),
                          "CREATE TABLE t (id integer PRIMARY KEY, b text, a text, c text);");
  auto at_end = p.run({"diff", "--strict-column-order"});
  CHECK_THAT(at_end, ExitedWith(0));
  CHECK(at_end.err.find("column order") == std::string::npos);
}
