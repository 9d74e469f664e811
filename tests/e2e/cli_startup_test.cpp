// End to end: with MIGRATE_LAZY_LIBPQ (CMakeLists.txt), a command on a
// SQLite project never loads libpq and the libraries behind it; only a
// postgresql:// URL does (the PostgreSQL tests run through that path).
#include "e2e/project_fixture.h"

using testsupport::contains;

TEST_CASE("SQLite commands start without loading libpq", "[e2e][startup]") {
  if (!MIGRATE_LAZY_LIBPQ_BUILD) {
    WARN("built with MIGRATE_LAZY_LIBPQ=OFF: libpq is linked as usual");
    return;
  }
  e2e::Project p;
  p.add_table_rev("a1", {});
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--version"}, {"heads"}, {"upgrade", "heads"}, {"current"}}) {
    // The dynamic loader lists every library it loads on stderr.
    auto r = p.run(args, {{"LD_DEBUG", "libs"}});
    INFO(args[0]);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.err, "libsqlite3.so"));  // the listing is there
    CHECK_FALSE(contains(r.err, "libpq.so"));
    CHECK_FALSE(contains(r.err, "libgnutls"));
  }
  // A PostgreSQL URL loads it; a server that is not there is an ordinary
  // connection error, not a loading failure.
  auto pg =
      p.run({"--url", "postgresql://nobody@127.0.0.1:1/x", "current"}, {{"LD_DEBUG", "libs"}});
  CHECK(pg.exit_code == 1);
  CHECK(contains(pg.err, "libpq.so"));
  CHECK(contains(pg.err, "cannot connect to PostgreSQL"));
}
