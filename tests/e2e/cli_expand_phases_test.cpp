// The runner's phases on SQLite, with hand-written revisions carrying
// `phase:` headers: `upgrade` stops before a contract revision unless
// `--contract` is given or the contract is the target, and says so;
// `status` lists the waiting contract without failing `--exit-code`; what
// follows a waiting contract waits too. And `revision --expand-contract` on
// a SQLite project writes its three revisions (tests/e2e/sqlite_expand_*).
#include <nlohmann/json.hpp>

#include "e2e/project_fixture.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

// a1 -> e (expand) -> b (backfill) -> c (contract) -> d (an ordinary revision)
void phased(const e2e::Project& p) {
  p.add({"a1", {}, "CREATE TABLE t (id integer PRIMARY KEY, x text);", "DROP TABLE t;"});
  p.add({"e",
         {"a1"},
         "ALTER TABLE t ADD COLUMN y text;",
         "ALTER TABLE t DROP COLUMN y;",
         {},
         {},
         "phase: expand"});
  p.add({"b",
         {"e"},
         "-- migrate:lint-ignore update-without-where the backfill fills every row\n"
         "UPDATE t SET y = x;",
         "",
         {},
         {},
         "phase: backfill"});
  p.add({"c",
         {"b"},
         "ALTER TABLE t DROP COLUMN x;",
         "ALTER TABLE t ADD COLUMN x text;",
         {},
         {},
         "phase: contract"});
  p.add({"d", {"c"}, "CREATE TABLE u (id integer);", "DROP TABLE u;"});
}

}  // namespace

TEST_CASE("phases: upgrade stops before a contract revision and says so", "[e2e][expand]") {
  e2e::Project p;
  phased(p);
  auto r = p.run({"upgrade", "heads"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.out, Contains("Running upgrade e -> b, rev b"));
  CHECK_THAT(r.out, Contains("Stopped before contract c (rev c): it drops what the old "
                             "application still uses. Once no old instance runs: `migrate "
                             "upgrade c` or `migrate upgrade heads --contract`."));
  CHECK_THAT(r.out, !Contains("-> c"));
  CHECK(p.version() == V{"b"});

  // Waiting is no failure; what follows the contract waits with it.
  auto st = p.run({"status", "--exit-code"});
  CHECK_THAT(st, ExitedWith(0));
  CHECK_THAT(st.out, Contains("  c  rev c  (contract: waits)\n"));
  CHECK_THAT(st.out, Contains("  d  rev d  (after a waiting contract)\n"));
  CHECK_THAT(st.out, Contains("Contract c waits: run `migrate upgrade c`"));
  auto j = nlohmann::json::parse(p.run({"status", "--json"}).out);
  CHECK(j["up_to_date"] == true);
  CHECK(j["waiting_contracts"].size() == 1);
  CHECK(j["waiting_contracts"][0]["revision"] == "c");
  CHECK(j["pending"][0]["phase"] == "contract");
  CHECK(j["pending"][0]["waiting"] == true);
  CHECK(j["pending"][1]["phase"] == "");
  CHECK(j["pending"][1]["waiting"] == true);

  // Again: nothing runs, the same note.
  auto again = p.run({"upgrade", "heads"});
  CHECK_THAT(again, ExitedWith(0));
  CHECK_THAT(again.out, Contains("Stopped before contract c"));
  CHECK_THAT(again.out, !Contains("Nothing to do"));
  CHECK(p.version() == V{"b"});

  // A relative or symbolic target that reaches it does not name it.
  CHECK_THAT(p.run({"upgrade", "+1"}).out, Contains("Stopped before contract c"));
  CHECK(p.version() == V{"b"});
}

TEST_CASE("phases: the contract runs when it is the target, or with --contract", "[e2e][expand]") {
  e2e::Project p;
  phased(p);
  REQUIRE_THAT(p.run({"upgrade", "b"}), ExitedWith(0));
  auto r = p.run({"upgrade", "c"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.out, Contains("Running upgrade b -> c, rev c"));
  CHECK_THAT(r.out, !Contains("Stopped"));
  CHECK(p.version() == V{"c"});
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  CHECK(p.version() == V{"d"});
  auto st = p.run({"status", "--exit-code"});
  CHECK_THAT(st, ExitedWith(0));
  CHECK_THAT(st.out, Contains("Up to date."));

  // From the start with --contract: every phase in one run.
  REQUIRE_THAT(p.run({"downgrade", "base"}), ExitedWith(0));
  auto all = p.run({"upgrade", "heads", "--contract"});
  REQUIRE_THAT(all, ExitedWith(0));
  CHECK_THAT(all.out, Contains("Running upgrade b -> c, rev c"));
  CHECK(p.version() == V{"d"});
  // Offline --sql prints every phase.
  auto sql = p.run({"upgrade", "heads", "--sql"});
  CHECK_THAT(sql, ExitedWith(0));
  CHECK_THAT(sql.out, Contains("ALTER TABLE t DROP COLUMN x;"));
  CHECK_THAT(sql.out, Contains("-- phase: backfill."));
}

TEST_CASE("phases: a wrong phase is an error naming the line; a SQLite plan is written",
          "[e2e][expand]") {
  e2e::Project p;
  p.add({"a1", {}, "SELECT 1;", "", {}, {}, "phase: contrakt"});
  auto r = p.run({"heads"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("a1_rev.sql:7: `phase` must be expand, backfill or contract"));

  e2e::Project q;
  q.add({"a1", {}, "CREATE TABLE t (id integer PRIMARY KEY, x text);", "DROP TABLE t;"});
  testsupport::write_file(q.path("plan.yaml"),
                          "table: t\noperations:\n  - rename_column: {from: x, to: y}\n");
  auto e = q.run({"revision", "--expand-contract", "plan.yaml"});
  CHECK_THAT(e, ExitedWith(0));
  CHECK_THAT(e.out, Contains("_expand.sql ... done"));
  // A plan's own errors come first, with the line.
  testsupport::write_file(q.path("bad.yaml"), "table: t\noperations:\n  - renam: {}\n");
  auto b = q.run({"revision", "--expand-contract", "bad.yaml"});
  CHECK_THAT(b, ExitedWith(1));
  CHECK_THAT(b.err, Contains("bad.yaml:3: unknown operation `renam`"));
  // -m stays required without --expand-contract.
  CHECK_THAT(q.run({"revision"}), ExitedWith(2));
}
