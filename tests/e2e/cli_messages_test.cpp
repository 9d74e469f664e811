// End to end: messages that say what actually works. Each case is a
// mistake a new user makes (a typo in a command, a template or a count; a
// config without a URL; a Flyway project without undo files; a column with
// no declared type) and checks the words that tell them what to do.
#include <catch2/catch.hpp>
#include <filesystem>

#include "e2e/project_fixture.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;

TEST_CASE("no database URL: the message names the config's ${DATABASE_URL}, not the variable",
          "[e2e][messages]") {
  e2e::Project p;
  testsupport::write_file(p.path("migrate.yaml"), "script_location: migrations\n");
  // The variable alone is not read: the message must not suggest it is.
  auto r = p.run({"current"}, {{"DATABASE_URL", "sqlite:///env.db"}});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("no database URL: set database_url in"));
  CHECK_THAT(r.err, Contains("`database_url: ${DATABASE_URL}`"));
  CHECK_THAT(r.err, !Contains("the DATABASE_URL variable"));
  CHECK_FALSE(std::filesystem::exists(p.path("env.db")));
}
