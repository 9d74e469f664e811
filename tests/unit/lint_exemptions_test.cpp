// Two places where a full-table DELETE/UPDATE is not a mistake, each with
// its fire case beside it (issue 11): DML on a table created earlier in the
// same run (it holds only the run's own rows), and the full-table UPDATE of
// a `phase: backfill` revision (filling every row is its job).
#include <catch2/catch.hpp>

#include "lint_support.h"

using namespace linttest;
using V = std::vector<std::string>;

namespace {

std::vector<Finding> lint_backfill(Dialect dialect, const std::string& sql, bool backfill_phase) {
  migrate::lint::Linter linter(dialect, Settings());
  std::vector<Finding> out;
  migrate::lint::Source s;
  s.file = "b.sql";
  s.sql = sql;
  s.transactional = false;
  s.backfill_phase = backfill_phase;
  linter.lint(s, out);
  return out;
}

// Sections linted as one run, as the upgrade gate does (`pending_on_database`) or not.
std::vector<Finding> lint_run(Dialect dialect, const std::vector<std::string>& sqls,
                              bool pending_on_database) {
  migrate::lint::Linter linter(dialect, Settings());
  std::vector<Finding> out;
  for (const auto& sql : sqls) {
    migrate::lint::Source s;
    s.file = "r.sql";
    s.sql = sql;
    s.pending_on_database = pending_on_database;
    linter.lint(s, out);
  }
  return out;
}

}  // namespace

TEST_CASE("lint: DML on a table created earlier in the run is not reported", "[lint][pg][sqlite]") {
  const std::vector<std::string> run = {"CREATE TABLE seeds (id integer PRIMARY KEY, n integer);",
                                        "INSERT INTO seeds (id, n) VALUES (1, 1);\n"
                                        "UPDATE seeds SET n = 0;\nDELETE FROM seeds;"};
  for (Dialect d : {Dialect::postgres, Dialect::sqlite}) {
    INFO((d == Dialect::postgres ? "postgres" : "sqlite"));
    // Fires: the table is an existing one.
    CHECK(rules_of(lint_sections(d, {"UPDATE seeds SET n = 0;\nDELETE FROM seeds;"})) ==
          V{"update-without-where", "delete-without-where"});
    // Silent: created earlier in the same revision, wherever it runs.
    CHECK(rules_of(lint_sections(d, {"CREATE TABLE seeds (id integer PRIMARY KEY, n integer);\n"
                                     "UPDATE seeds SET n = 0;\nDELETE FROM seeds;"}))
              .empty());
    // Created by an earlier revision: silent when the run is a database's
    // pending steps (the gate); fires for --all, --since and files, where
    // that revision may have been applied long ago.
    CHECK(rules_of(lint_run(d, run, true)).empty());
    CHECK(rules_of(lint_run(d, run, false)) == V{"update-without-where", "delete-without-where"});
    // Another table of the same run does not make an old one new.
    CHECK(rules_of(
              lint_run(d, {"CREATE TABLE seeds (id integer PRIMARY KEY);", "DELETE FROM sessions;"},
                       true)) == V{"delete-without-where"});
  }
  // PostgreSQL: MERGE joined ON true, and DML inside a WITH, on a new table.
  CHECK(rules_of(lint_sections(Dialect::postgres, {"MERGE INTO old USING s ON true WHEN MATCHED "
                                                   "THEN DELETE;"})) ==
        V{"merge-without-condition"});
  CHECK(rules_of(lint_run(Dialect::postgres,
                          {"CREATE TABLE n (id int);",
                           "MERGE INTO n USING s ON true WHEN MATCHED THEN DELETE;\n"
                           "WITH g AS (DELETE FROM n RETURNING *) SELECT count(*) FROM g;"},
                          true))
            .empty());
}

TEST_CASE("lint: a full-table UPDATE in a `phase: backfill` revision is not reported",
          "[lint][pg][sqlite]") {
  for (Dialect d : {Dialect::postgres, Dialect::sqlite}) {
    INFO((d == Dialect::postgres ? "postgres" : "sqlite"));
    const std::string update = "UPDATE users SET email_address = email;";
    // Fires: the same statement in an ordinary revision.
    CHECK(rules_of(lint_backfill(d, update, false)) == V{"update-without-where"});
    // Silent in a backfill revision.
    CHECK(rules_of(lint_backfill(d, update, true)).empty());
    // A DELETE without WHERE is no backfill's job: still an error there.
    CHECK(rules_of(lint_backfill(d, "DELETE FROM users;", true)) == V{"delete-without-where"});
    // An ignore kept from before silences nothing now, and says so.
    CHECK(rules_of(lint_backfill(
              d, "-- migrate:lint-ignore update-without-where fills every row\n" + update, true)) ==
          V{"unused-ignore"});
  }
}
