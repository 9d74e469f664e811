// End to end: a command on a SQLite project loads neither the PostgreSQL
// module nor libpq and the libraries behind it; only a postgresql:// URL
// does (backend/postgres_module.h; the PostgreSQL tests run through that
// path). A module that cannot be found is an error that says so.
#include "e2e/project_fixture.h"

using testsupport::contains;

TEST_CASE("SQLite commands start without loading libpq", "[e2e][startup]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--version"}, {"heads"}, {"upgrade", "heads"}, {"current"}}) {
    // The dynamic loader lists every library it loads on stderr.
    auto r = p.run(args, {{"LD_DEBUG", "libs"}});
    INFO(args[0]);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.err, "libsqlite3.so"));  // the listing is there
    CHECK_FALSE(contains(r.err, "migrate_postgres.so"));
    CHECK_FALSE(contains(r.err, "libpq.so"));
    CHECK_FALSE(contains(r.err, "libgnutls"));
  }
  // A PostgreSQL URL loads it; a server that is not there is an ordinary
  // connection error, not a loading failure.
  auto pg =
      p.run({"--url", "postgresql://nobody@127.0.0.1:1/x", "current"}, {{"LD_DEBUG", "libs"}});
  CHECK(pg.exit_code == 1);
  CHECK(contains(pg.err, "migrate_postgres.so"));
  CHECK(contains(pg.err, "libpq.so"));
  CHECK(contains(pg.err, "cannot connect to PostgreSQL"));
}

TEST_CASE("a missing PostgreSQL module is an error naming it", "[e2e][startup]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  auto r = p.run({"--url", "postgresql://nobody@127.0.0.1:1/x", "current"},
                 {{"MIGRATE_POSTGRES_MODULE", p.path("no_such_module.so")}});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "cannot load the PostgreSQL module: " + p.path("no_such_module.so")));
  CHECK(contains(r.err, "libpq5"));
  // SQLite does not need it.
  CHECK(p.run({"current"}, {{"MIGRATE_POSTGRES_MODULE", p.path("no_such_module.so")}}).exit_code ==
        0);
}
