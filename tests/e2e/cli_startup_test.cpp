// End to end: a command on a SQLite project loads neither the PostgreSQL
// module nor libpq and the libraries behind it; only a postgresql:// URL
// does (backend/postgres_module.h; the PostgreSQL tests run through that
// path). A module that cannot be found is an error that says so.
#include "e2e/project_fixture.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;

TEST_CASE("SQLite commands start without loading libpq", "[e2e][startup]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--version"}, {"heads"}, {"upgrade", "heads"}, {"current"}}) {
    // The dynamic loader lists every library it loads on stderr.
    auto r = p.run(args, {{"LD_DEBUG", "libs"}});
    INFO(args[0]);
    REQUIRE_THAT(r, ExitedWith(0));
    CHECK_THAT(r.err, Contains("libsqlite3.so"));  // the listing is there
    CHECK_THAT(r.err, !Contains("migrate_postgres.so"));
    CHECK_THAT(r.err, !Contains("libpq.so"));
    CHECK_THAT(r.err, !Contains("libgnutls"));
  }
  // A PostgreSQL URL loads it; a server that is not there is an ordinary
  // connection error, not a loading failure.
  auto pg =
      p.run({"--url", "postgresql://nobody@127.0.0.1:1/x", "current"}, {{"LD_DEBUG", "libs"}});
  CHECK_THAT(pg, ExitedWith(1));
  CHECK_THAT(pg.err, Contains("migrate_postgres.so"));
  CHECK_THAT(pg.err, Contains("libpq.so"));
  CHECK_THAT(pg.err, Contains("cannot connect to PostgreSQL"));
}

TEST_CASE("a missing PostgreSQL module is an error naming it", "[e2e][startup]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  auto r = p.run({"--url", "postgresql://nobody@127.0.0.1:1/x", "current"},
                 {{"MIGRATE_POSTGRES_MODULE", p.path("no_such_module.so")}});
  INFO(r.err);
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("cannot load the PostgreSQL module: " + p.path("no_such_module.so")));
  CHECK_THAT(r.err, Contains("libpq5"));
  // SQLite does not need it.
  CHECK_THAT(p.run({"current"}, {{"MIGRATE_POSTGRES_MODULE", p.path("no_such_module.so")}}),
             ExitedWith(0));
}
