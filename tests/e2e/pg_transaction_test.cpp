// End to end, in-process (through the PostgreSQL module, as `migrate` uses
// it): every transaction the PostgreSQL backend opens is ended on every way
// out (TransactionBatch, db/postgres/pg_transaction.h). A failed one left
// open would make every later statement of the same connection fail with
// "current transaction is aborted", so each failure below is followed by
// more work on the same Database.
#include <catch2/catch.hpp>

#include "backend/backend.h"
#include "e2e/pg_fixture.h"
#include "support/test_support.h"

using Catch::Matchers::Contains;
using migrate::db::PlannedStep;
using migrate::db::StepSpec;
using migrate::graph::VersionOp;

namespace {

PlannedStep step(const std::string& revision, const std::string& sql, const std::string& from,
                 const std::string& to) {
  PlannedStep p;
  p.spec.revision = revision;
  p.spec.sql = sql;
  p.spec.file = revision + ".sql";
  p.spec.version_ops = {VersionOp{VersionOp::kUpdate, from, to}};
  p.expected_heads_before = {from};
  return p;
}

}  // namespace

TEST_CASE("a failed PostgreSQL transaction leaves the connection ready", "[e2e][pg]") {
  e2e::TempPgDatabase pg;
  auto db = migrate::backend::open_database(pg.url(), {});
  db->ensure_tables();
  db->stamp({VersionOp{VersionOp::kInsert, "", "a1"}}, {});

  // The heads check fails inside stamp's transaction.
  std::string err = testsupport::error_of([&] {
    db->stamp({VersionOp{VersionOp::kUpdate, "a1", "a2"}}, {"zz"});
  });
  INFO(err);
  CHECK_THAT(err, Contains("nothing was changed"));
  CHECK(db->current_heads() == std::vector<std::string>{"a1"});

  // A batch of two steps whose second fails: the first stays committed.
  std::vector<std::size_t> done;
  err = testsupport::error_of([&] {
    db->run_steps(
        {step("b1", "CREATE TABLE t_b (id int)", "a1", "b1"), step("b2", "SELECT 1/0", "b1", "b2")},
        [&](std::size_t i, double) { done.push_back(i); });
  });
  INFO(err);
  CHECK_THAT(err, Contains("b2.sql:1: step b2 (upgrade) failed: division by zero"));
  CHECK(done == std::vector<std::size_t>{0});
  CHECK(db->current_heads() == std::vector<std::string>{"b1"});
  CHECK(pg.tables() == std::vector<std::string>{"t_b"});

  // And the connection still commits.
  db->record_accepted({{"b1", "feed"}});
  CHECK(pg.history_count("direction = 'accept' AND revision = 'b1'") == 1);
  CHECK(pg.history_count("direction = 'stamp'") == 1);
}
