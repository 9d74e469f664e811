// Server-derived facts for the PostgreSQL rules: with the database
// reachable, `migrate lint` takes the version from server_version_num and
// function volatility from pg_proc.provolatile; without it, the `lint:`
// config's postgres_version and functions (then the built-in list).
#include <catch2/catch.hpp>

#include "e2e/pg_fixture.h"
#include "support/matchers.h"

using Catch::Contains;
using testsupport::ExitedWith;

TEST_CASE("pg: lint takes the version and function volatility from the server when reachable",
          "[e2e][postgres][lint]") {
  e2e::TempPgDatabase db;
  e2e::Project p;
  std::string yaml = testsupport::read_file(p.path("migrate.yaml"));
  yaml += "lint:\n  postgres_version: 10\n  functions:\n    pinned_code: volatile\n";
  testsupport::write_file(p.path("migrate.yaml"), yaml);
  db.exec(
      "CREATE TABLE t (id bigint PRIMARY KEY);"
      "CREATE FUNCTION next_code() RETURNS integer LANGUAGE sql VOLATILE AS 'SELECT 1';"
      "CREATE FUNCTION pinned_code() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 1'");
  // Lines 9, 10, 11 of the file.
  p.add({"a1",
         {},
         "ALTER TABLE t ADD COLUMN a integer DEFAULT 0;\n"
         "ALTER TABLE t ADD COLUMN b integer DEFAULT next_code();\n"
         "ALTER TABLE t ADD COLUMN c integer DEFAULT pinned_code();",
         ""});
  const std::string file = p.rev_path("a1");

  // Reachable: the server is 11 or later (a constant default rewrites
  // nothing), next_code() is volatile and pinned_code() immutable there.
  auto on = e2e::run_pg(p, db, {"lint", file});
  INFO(on.out << on.err);
  CHECK_THAT(on.out, Contains(file + ":10:") && Contains("next_code()"));
  CHECK_THAT(on.out, !Contains(file + ":9:"));
  CHECK_THAT(on.out, !Contains(file + ":11:"));
  CHECK_THAT(on.out, Contains("1 warning"));
  // The same through the pending revisions (the database answers for both).
  auto pending = e2e::run_pg(p, db, {"lint"});
  CHECK_THAT(pending.out, Contains("1 warning"));

  // No database: postgres_version 10 from the config (any default rewrites
  // before 11), pinned_code volatile as the config says, next_code unknown
  // (not in the built-in list).
  auto off = p.run({"--url", "postgresql://nobody@127.0.0.1:1/nowhere", "lint", file});
  INFO(off.out << off.err);
  CHECK_THAT(off.out, Contains(file + ":9:") && Contains("lint.postgres_version: 10"));
  CHECK_THAT(off.out, Contains(file + ":11:") && Contains("pinned_code()"));
  CHECK_THAT(off.out, Contains("3 warnings"));
}

TEST_CASE("pg: the upgrade gate takes the server's facts over the config's",
          "[e2e][postgres][lint]") {
  e2e::TempPgDatabase db;
  e2e::Project p;
  // The config says PostgreSQL 10 (where any ADD COLUMN ... DEFAULT
  // rewrites the table) and makes that finding an error; the server, 11
  // or later, says a constant default rewrites nothing.
  std::string yaml = testsupport::read_file(p.path("migrate.yaml"));
  yaml += "lint:\n  postgres_version: 10\n  rules:\n    volatile-default: error\n";
  testsupport::write_file(p.path("migrate.yaml"), yaml);
  db.exec("CREATE TABLE t (id bigint PRIMARY KEY)");
  p.add({"a1", {}, "ALTER TABLE t ADD COLUMN a integer DEFAULT 0;", ""});

  // Without the server (the linter alone), the config's version: an error.
  auto off = p.run({"--url", "postgresql://nobody@127.0.0.1:1/nowhere", "lint", p.rev_path("a1")});
  INFO(off.out << off.err);
  CHECK_THAT(off, ExitedWith(1));
  CHECK_THAT(off.out, Contains("lint.postgres_version: 10"));

  // The gate asks the server it runs against: nothing to refuse.
  auto r = e2e::run_pg(p, db, {"upgrade", "head"});
  INFO(r.out << r.err);
  CHECK_THAT(r, ExitedWith(0));
  CHECK_THAT(r.err, !Contains("refusing to upgrade"));
  CHECK(db.rows("SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND "
                "column_name = 'a'") == std::vector<std::string>{"1"});
}
