// The backfill example of docs/zero-downtime.md, run as written on SQLite
// and on PostgreSQL: the revision between the `backfill-example` markers is
// copied into a project whose base revision creates `users`.
#include <catch2/catch.hpp>

#include "test_paths.h"
#include "e2e/project_fixture.h"

using e2e::Project;
using testsupport::ExitedWith;

namespace {

// The example revision file, without the Markdown fence.
std::string example() {
  const std::string doc =
      testsupport::read_file(std::string(MIGRATE_REPO_DIR) + "/docs/zero-downtime.md");
  const auto begin = doc.find("```sql\n", doc.find("<!-- backfill-example"));
  const auto end = doc.find("```\n<!-- /backfill-example -->");
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  return doc.substr(begin + 7, end - begin - 7);
}

void add_project(const Project& p) {
  p.add({"a1b2c3d4e5f6",
         {},
         "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, email_address TEXT);\n"
         "INSERT INTO users (id, email) VALUES (1, 'A@x.org'), (2, 'B@x.org'), (3, 'c@x.org');\n"
         "UPDATE users SET email_address = 'kept' WHERE id = 3;",
         "DROP TABLE users;"});
  testsupport::write_file(p.versions() + "/b2c3d4e5f6a7_backfill.sql", example());
}

}  // namespace

TEST_CASE("docs/zero-downtime.md: the backfill example runs as written", "[backfill][docs]") {
  Project p;
  add_project(p);
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  CHECK(p.rows("SELECT id, email_address FROM users ORDER BY id") ==
        std::vector<std::string>{"1|a@x.org", "2|b@x.org", "3|kept"});
  CHECK(p.version() == std::vector<std::string>{"b2c3d4e5f6a7"});
}
