// --schema / --exclude-schema on SQLite, through the real binary on real
// files: a SQLite database has one schema, main, which --schema may name;
// any other name, and any --exclude-schema, is refused before a script is
// printed.
#include <catch2/catch.hpp>
#include <filesystem>

#include "e2e/project_fixture.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using e2e::Project;
using testsupport::ExitedWith;

TEST_CASE("sqlite: --schema main is the whole database, other schema filters are refused",
          "[schema][cli]") {
  Project p;
  p.add({"aaaa00000001", {}, "CREATE TABLE t (id integer PRIMARY KEY);", "DROP TABLE t;"});
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  testsupport::write_file(p.path("schema.sql"), "CREATE TABLE t (id integer PRIMARY KEY, a text);");
  auto main = p.run({"diff", "--schema", "main"});
  CHECK_THAT(main, ExitedWith(0));
  CHECK(main.out == "ALTER TABLE t ADD COLUMN a text;\n");

  auto other = p.run({"diff", "--schema", "app"});
  CHECK_THAT(other, ExitedWith(2));
  CHECK_THAT(other.err, Contains("--schema app: a SQLite database has one schema, main"));
  CHECK(other.out == "");
  auto excluded = p.run({"check", "--exclude-schema", "main"});
  CHECK_THAT(excluded, ExitedWith(2));
  CHECK_THAT(excluded.err, Contains("a SQLite database has one schema, main, and nothing to "
                                    "exclude"));
  auto gen = p.run({"revision", "--autogenerate", "-m", "x", "--schema", "other"});
  CHECK_THAT(gen, ExitedWith(2));
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(p.versions()))
    files += e.is_regular_file();
  CHECK(files == 1);  // the refused autogenerate wrote nothing
  CHECK_THAT(p.run({"check", "--schema", "main"}), ExitedWith(3));  // the autogenerate due
}
