// A project on a fresh PostgreSQL test database for expand/contract tests:
// a base revision a1, a plan written as the revisions b_expand, b_backfill
// and b_contract, and the backfill engine's work done by hand (an UPDATE
// of the new columns under migrate.backfill = 'on'), so that the tests
// hold with or without the engine in the build.
#pragma once

#include <string>
#include <vector>

#include "e2e/pg_fixture.h"
#include "e2e/pg_session_helpers.h"
#include "support/matchers.h"

namespace e2e {

struct Window {
  TempPgDatabase db;
  Project p;

  explicit Window(const std::string& base_sql, const std::string& drop_sql = "") {
    add_config(p, "lock_timeout: 2s\n");
    p.add({"a1", {}, base_sql, drop_sql});
    REQUIRE_THAT(run({"upgrade", "a1"}), testsupport::ExitedWith(0));
  }
  testsupport::RunResult run(const std::vector<std::string>& args) const {
    return run_pg(p, db, args);
  }
  // Writes plan.yaml and the three revisions b_expand, b_backfill, b_contract.
  testsupport::RunResult plan(const std::string& yaml) const {
    testsupport::write_file(p.path("plan.yaml"), yaml);
    return run(
        {"revision", "--expand-contract", p.path("plan.yaml"), "-m", "change", "--rev-id", "b"});
  }
  // plan(), then `upgrade heads`, which stops before the contract.
  void plan_and_expand(const std::string& yaml) const {
    REQUIRE_THAT(plan(yaml), testsupport::ExitedWith(0));
    auto up = run({"upgrade", "heads"});
    REQUIRE_THAT(up, testsupport::ExitedWith(0));
    CHECK_THAT(up.out, Catch::Matchers::Contains("Stopped before contract b_contract"));
    REQUIRE(db.version() == std::vector<std::string>{"b_backfill"});
  }
  // What the backfill engine does: the `set` columns under migrate.backfill.
  void fill(const std::string& update) const {
    db.exec("BEGIN; SET LOCAL migrate.backfill = 'on'; " + update + "; COMMIT");
  }
  std::string one(const std::string& sql) const { return db.rows(sql).at(0); }
  // name:is_nullable:default of each column, in column order.
  std::vector<std::string> columns(const std::string& table) const {
    return db.rows(
        "SELECT column_name || ':' || is_nullable || ':' || coalesce(column_default, '') FROM "
        "information_schema.columns WHERE table_name = '" +
        table + "' ORDER BY ordinal_position");
  }
  // "triggers/functions" the expand phase added and the contract drops.
  std::string sync_objects() const {
    return one(
        "SELECT (SELECT count(*) FROM pg_trigger WHERE tgname = 'migrate_sync') || '/' || "
        "(SELECT count(*) FROM pg_proc WHERE proname LIKE 'migrate_sync_%')");
  }
};

}  // namespace e2e
