// The importer's pure parts: Flyway's version order and ids, the Flyway
// folder as a chain, and the text of a step that could not be converted
// (it must parse as a revision file, carry the lint marker and fail when
// run). The whole import against Alembic and real databases is
// tests/import/.
#include <catch2/catch.hpp>

#include "importer/flyway_source.h"
#include "importer/imported.h"
#include "script/revision_file.h"
#include "support/test_support.h"
#include "util/error.h"

using Catch::Matchers::Contains;
using migrate::importer::flyway_revision_id;
using migrate::importer::flyway_version_key;
using migrate::importer::read_flyway_project;
using testsupport::TempDir;
using testsupport::write_file;

TEST_CASE("Flyway versions compare as Flyway compares them", "[importer]") {
  using V = std::vector<std::string>;
  CHECK(flyway_version_key("1") == V{"1"});
  CHECK(flyway_version_key("1.0") == V{"1"});
  CHECK(flyway_version_key("1_01") == V{"1", "1"});
  CHECK(flyway_version_key("2.0.10") == V{"2", "0", "10"});
  CHECK(flyway_version_key("007") == V{"7"});
  CHECK(flyway_version_key("1..2").empty());
  CHECK(flyway_version_key("1a").empty());
  CHECK(flyway_version_key("").empty());
  CHECK(flyway_revision_id("1.2_3") == "V1_2_3");
}

TEST_CASE("A Flyway folder is a chain in numeric version order", "[importer]") {
  TempDir dir;
  write_file(dir.path() + "/V10__ten.sql", "SELECT 10;\n");
  write_file(dir.path() + "/V2__two.sql", "SELECT 2;\n");
  write_file(dir.path() + "/sub/V1_1__one_one.sql", "SELECT 11;\n");
  write_file(dir.path() + "/V1__one.sql", "SELECT 1;\n");
  write_file(dir.path() + "/U2__two.sql", "SELECT -2;\n");
  write_file(dir.path() + "/R__view.sql", "SELECT 0;\n");
  write_file(dir.path() + "/notes.sql", "SELECT 0;\n");
  auto p = read_flyway_project(dir.path());
  REQUIRE(p.revisions.size() == 4);
  CHECK(p.revisions[0].id == "V1");
  CHECK(p.revisions[0].down_revisions.empty());
  CHECK(p.revisions[1].id == "V1_1");
  CHECK(p.revisions[1].message == "one one");
  CHECK(p.revisions[2].id == "V2");
  CHECK(p.revisions[2].down_revisions == std::vector<std::string>{"V1_1"});
  CHECK(p.revisions[2].downgrade.sql == "SELECT -2;\n");
  CHECK(p.revisions[3].id == "V10");
  CHECK_THAT(p.revisions[3].downgrade.sql, Contains("no undo file"));
  REQUIRE(p.skipped.size() == 2);

  write_file(dir.path() + "/V1.0__again.sql", "SELECT 1;\n");
  CHECK_THROWS_WITH(read_flyway_project(dir.path()),
                    Contains("is also") && Contains("V1.0__again.sql") && Contains("V1__one.sql"));
}

TEST_CASE("A step not converted parses, is marked and fails", "[importer]") {
  migrate::importer::ImportedRevision r;
  r.id = "ab12";
  r.origin = "versions/ab12_x.py";
  r.upgrade.problem = "it uses op.get_bind().execute";
  r.upgrade.line = 7;
  r.upgrade.source = "def upgrade():\n    conn = op.get_bind()\n";
  r.downgrade.sql = "DROP TABLE t;";
  auto n = migrate::importer::to_new_revision(r, "Alembic");
  CHECK_THAT(n.upgrade_sql, Contains("-- migrate:not-converted it uses op.get_bind().execute "
                                     "(versions/ab12_x.py:7)"));
  CHECK_THAT(n.upgrade_sql, Contains("--       conn = op.get_bind()"));
  CHECK_THAT(n.upgrade_sql, Contains("SELECT migrate_not_converted('ab12', 'upgrade');"));
  CHECK(n.downgrade_sql == "DROP TABLE t;");
  // The marker is a directive the revision file reader accepts.
  auto file = migrate::script::parse_revision_text(
      "-- revision: ab12\n-- down_revision: null\n\n-- migrate:upgrade\n" + n.upgrade_sql +
          "\n\n-- migrate:downgrade\n" + n.downgrade_sql + "\n",
      "x.sql");
  CHECK_THAT(file.upgrade_sql, Contains("migrate:not-converted"));
}
