// docs/safety.md's row guard example, executed: the revision shown under
// `<!-- guard-example: sessions -->` is run on SQLite after a parent that
// makes 50,000 sessions of deleted users, and the error must be the one
// shown under `<!-- guard-example-output: sessions -->`, with nothing
// applied.
#include <catch2/catch.hpp>

#include "test_paths.h"
#include "e2e/project_fixture.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;

namespace {

// The body of the fenced block right after `marker`.
std::string block_after(const std::string& doc, const std::string& marker) {
  std::size_t at = doc.find(marker);
  REQUIRE(at != std::string::npos);
  std::size_t open = doc.find("```", at);
  REQUIRE(open != std::string::npos);
  std::size_t body = doc.find('\n', open) + 1;
  std::size_t close = doc.find("```", body);
  REQUIRE(close != std::string::npos);
  return doc.substr(body, close - body);
}

}  // namespace

TEST_CASE("docs/safety.md: the row guard example stops the DELETE as shown",
          "[e2e][guards][docs]") {
  const std::string doc = testsupport::read_file(std::string(MIGRATE_REPO_DIR) + "/docs/safety.md");
  const std::string revision = block_after(doc, "<!-- guard-example: sessions -->");
  const std::string expected = block_after(doc, "<!-- guard-example-output: sessions -->");

  e2e::Project p;
  p.add(
      {"a1b2c3d4e5f6",
       {},
       "CREATE TABLE users (id INTEGER PRIMARY KEY, deleted INTEGER NOT NULL, sessions INTEGER);\n"
       "CREATE TABLE user_sessions (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL);\n"
       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)\n"
       "INSERT INTO users SELECT i, 1, 1 FROM n;\n"
       "INSERT INTO user_sessions (user_id) SELECT id FROM users;",
       "DROP TABLE user_sessions;\nDROP TABLE users;"});
  testsupport::write_file(p.versions() + "/b7c1d2e3f4a5_sessions.sql", revision);
  REQUIRE_THAT(p.run({"upgrade", "a1b2c3d4e5f6"}), ExitedWith(0));
  auto r = p.run({"upgrade", "head"});
  CHECK_THAT(r, ExitedWith(1));
  // The message names the file by its full path; the docs by the project's.
  std::string err = r.err;
  const std::string root = p.dir.path() + "/";
  for (std::size_t at; (at = err.find(root)) != std::string::npos;) err.erase(at, root.size());
  CHECK(err == expected);
  CHECK(p.rows("SELECT count(*) FROM user_sessions") == std::vector<std::string>{"50000"});
  CHECK(p.version() == std::vector<std::string>{"a1b2c3d4e5f6"});
}
