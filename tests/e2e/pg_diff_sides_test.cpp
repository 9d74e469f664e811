// The two sides of `migrate diff` are loaded at once (backend/load_sources.h),
// through the real binary on the real PostgreSQL server: two .sql sides each
// get their own temporary dev database, and a failure on either side is
// reported with the side's name and the server's text.
#include <catch2/catch.hpp>

#include "e2e/pg_fixture.h"
#include "support/matchers.h"

namespace {

using Catch::Contains;
using e2e::TempPgDatabase;
using testsupport::ExitedWith;

}  // namespace

TEST_CASE("pg: diff of two .sql files, each on its own dev database at once",
          "[e2e][postgres][schema]") {
  TempPgDatabase db;
  e2e::Project p;
  // The same table in both, differently: sides sharing one dev database
  // would fail ("already exists") or read one side's table as the other's.
  testsupport::write_file(p.path("a.sql"), "CREATE TABLE t (id integer PRIMARY KEY);\n");
  testsupport::write_file(p.path("b.sql"),
                          "CREATE TABLE t (id integer PRIMARY KEY, note text);\n"
                          "CREATE VIEW v AS SELECT id, note FROM t;\n");
  auto r = e2e::run_pg(p, db, {"diff", "--from", p.path("a.sql"), "--to", p.path("b.sql")});
  INFO(r.out << r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.out, Contains("ALTER TABLE public.t ADD COLUMN note text"));
  CHECK_THAT(r.out, Contains("CREATE VIEW public.v"));
  auto back = e2e::run_pg(p, db, {"diff", "--from", p.path("b.sql"), "--to", p.path("a.sql")});
  REQUIRE_THAT(back, ExitedWith(0));
  CHECK_THAT(back.out, Contains("DROP VIEW public.v"));
  CHECK_THAT(back.out, Contains("DROP COLUMN note"));
}

TEST_CASE("pg: a diff side that fails is named, with the server's text",
          "[e2e][postgres][schema]") {
  TempPgDatabase db;
  db.exec("CREATE TABLE t (id integer)");
  e2e::Project p;
  testsupport::write_file(p.path("good.sql"), "CREATE TABLE t (id integer, note text);\n");
  testsupport::write_file(p.path("bad.sql"),
                          "CREATE TABLE t (id integer);\n\nCREATE TABLE t ();\n");
  const std::string missing =
      migrate::config::parse_database_url(db.url()).with_dbname("migrate_no_such_db");

  auto to_fails = e2e::run_pg(p, db, {"diff", "--from", db.url(), "--to", p.path("bad.sql")});
  INFO(to_fails.err);
  CHECK_THAT(to_fails, ExitedWith(1));
  CHECK_THAT(to_fails.err, Contains("--to: "));
  CHECK_THAT(to_fails.err, Contains("bad.sql:3:"));
  CHECK_THAT(to_fails.err, Contains("already exists"));
  CHECK_THAT(to_fails.err, !Contains("--from: "));

  auto from_fails = e2e::run_pg(p, db, {"diff", "--from", missing, "--to", p.path("good.sql")});
  INFO(from_fails.err);
  CHECK_THAT(from_fails, ExitedWith(1));
  CHECK_THAT(from_fails.err, Contains("--from: "));
  CHECK_THAT(from_fails.err, Contains("migrate_no_such_db"));
  CHECK_THAT(from_fails.err, Contains("does not exist"));
  CHECK(from_fails.out.empty());
}
