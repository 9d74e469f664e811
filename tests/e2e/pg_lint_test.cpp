// `migrate lint` and the upgrade gate on a real PostgreSQL server: pending
// revisions come from its version table, the rules read libpg_query's
// parse tree.
#include <catch2/catch.hpp>

#include "e2e/pg_fixture.h"
#include "support/matchers.h"

namespace {

using Catch::Contains;
using e2e::TempPgDatabase;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

testsupport::RunResult run(const e2e::Project& p, const TempPgDatabase& db,
                           std::vector<std::string> args) {
  return e2e::run_pg(p, db, std::move(args));
}

}  // namespace

TEST_CASE("pg: lint reads pending revisions from the server; the gate refuses an error",
          "[e2e][postgres][lint]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add({"a1",
         {},
         "CREATE TABLE accounts (id bigint PRIMARY KEY, email text);\n"
         "INSERT INTO accounts VALUES (1, 'a'), (2, 'b');",
         "DROP TABLE accounts;"});
  // b2: the index is on a table created by a1, not yet applied: no finding.
  p.add({"b2", {"a1"}, "CREATE INDEX accounts_email ON accounts (email);", ""});
  auto r = run(p, db, {"lint"});
  CHECK_THAT(r, ExitedWith(0));
  CHECK_THAT(r.out, Contains("0 errors, 0 warnings in 2 files (3 statements)"));
  REQUIRE_THAT(run(p, db, {"upgrade", "a1"}), ExitedWith(0));
  // Now accounts exists on the server: b2's plain CREATE INDEX locks it.
  r = run(p, db, {"lint"});
  CHECK_THAT(r, ExitedWith(0));
  CHECK_THAT(r.out, Contains(p.rev_path("b2") + ":9:1: warning[index-without-concurrently]"));
  CHECK_THAT(r.out, Contains("1 file"));

  p.add({"c3", {"b2"}, "UPDATE accounts SET email = lower(email) WHERE 1 = 1;", ""});
  r = run(p, db, {"upgrade", "heads"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains(p.rev_path("c3") + ":9: UPDATE with a WHERE that is always true "
                                                "changes every row of accounts "
                                                "[update-without-where]"));
  // Refused before anything ran: not even b2's index.
  CHECK(db.version() == V{"a1"});
  CHECK(db.rows("SELECT count(*) FROM pg_indexes WHERE indexname = 'accounts_email'") == V{"0"});
}

TEST_CASE("pg: the gate takes the transaction mode from the revision header",
          "[e2e][postgres][lint]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add({"a1", {}, "CREATE TABLE t (id bigint, a int);", "DROP TABLE t;"});
  p.add({"b2",
         {"a1"},
         "CREATE INDEX CONCURRENTLY t_a ON t (a);",
         "DROP INDEX CONCURRENTLY t_a;",
         {},
         {},
         "transactional: false"});
  REQUIRE_THAT(run(p, db, {"upgrade", "a1"}), ExitedWith(0));
  auto r = run(p, db, {"lint", "--strict"});
  CHECK_THAT(r, ExitedWith(0));
  REQUIRE_THAT(run(p, db, {"upgrade", "heads"}), ExitedWith(0));
  CHECK(db.rows("SELECT count(*) FROM pg_indexes WHERE indexname = 't_a'") == V{"1"});
}
