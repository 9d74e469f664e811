// docs/zero-downtime.md's example, run: its plan is planned against a table
// that has the columns it names, applied up to the waiting contract, filled,
// contracted and downgraded, and the lines the document quotes appear.
#include <regex>

#include "test_paths.h"
#include "e2e/pg_expand_window.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using e2e::Window;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

// The ```yaml block after the "checked by" comment.
std::string documented_plan() {
  const std::string doc =
      testsupport::read_file(std::string(MIGRATE_REPO_DIR) + "/docs/zero-downtime.md");
  const auto mark = doc.find("checked by tests/e2e/pg_expand_docs_test.cpp");
  REQUIRE(mark != std::string::npos);
  const auto begin = doc.find("```yaml\n", mark);
  REQUIRE(begin != std::string::npos);
  const auto end = doc.find("```", begin + 8);
  return doc.substr(begin + 8, end - begin - 8);
}

}  // namespace

TEST_CASE("docs/zero-downtime.md: the example plan runs as documented", "[e2e][postgres][expand]") {
  Window w(
      "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT "
      "NULL, amount_cents bigint, phone text, legacy text, balance int NOT NULL DEFAULT 0);\n"
      "INSERT INTO users (email, amount_cents, balance) SELECT 'u' || g, g, g FROM "
      "generate_series(1, 10) g;",
      "DROP TABLE users;");
  const std::string plan = documented_plan();
  CHECK_THAT(plan, Contains("rename_column: {from: email, to: email_address}"));
  auto r = w.plan(plan);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.out, Contains("b_expand_change_expand.sql ... done"));
  for (const char* phase : {"expand", "backfill", "contract"})
    CHECK_THAT(testsupport::read_file(w.p.versions() + "/b_" + phase + "_change_" + phase + ".sql"),
               Contains(std::string("-- phase: ") + phase + "\n"));

  auto up = w.run({"upgrade", "heads"});
  REQUIRE_THAT(up, ExitedWith(0));
  CHECK_THAT(up.out, Contains("Stopped before contract b_contract"));
  auto st = w.run({"status", "--exit-code"});
  CHECK_THAT(st, ExitedWith(0));
  CHECK_THAT(st.out, Contains("Contract b_contract waits"));
  // Offline, the backfill says it needs a live connection.
  auto sql = w.run({"upgrade", "a1:heads", "--sql"});
  CHECK_THAT(sql, ExitedWith(0));
  CHECK_THAT(sql.out, Contains("needs a live connection"));

  if (w.one("SELECT count(*) FROM users WHERE amount IS NULL") != "0") {
    auto refused = w.run({"upgrade", "heads", "--contract"});
    CHECK_THAT(refused, ExitedWith(1));
    CHECK_THAT(refused.err,
               Contains("contract refused: rows of public.users are not backfilled yet"));
  }
  w.fill(
      "UPDATE users SET email_address = email, amount = amount_cents / 100.0, phone = "
      "COALESCE(phone, 'unknown')");
  REQUIRE_THAT(w.run({"upgrade", "heads", "--contract"}), ExitedWith(0));
  CHECK(w.columns("users") == V{"id:NO:", "phone:NO:", "balance:NO:0",
                                "email_address:NO:", "amount:YES:", "currency:NO:'EUR'::text"});
  // Every operation has a `down`: the contract re-expands, and on down to a1.
  REQUIRE_THAT(w.run({"downgrade", "b_backfill"}), ExitedWith(0));
  REQUIRE_THAT(w.run({"downgrade", "a1"}), ExitedWith(0));
  CHECK(w.sync_objects() == "0/0");

  // The offline script, run by psql from a1: the expand commits, the
  // backfill's check stops it before the backfill is recorded.
  testsupport::write_file(w.p.path("up.sql"), sql.out);
  auto psql = testsupport::run_program(
      w.p.dir.path(), {"psql", w.db.url(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "up.sql"});
  CHECK_THAT(psql, ExitedWith(3));
  CHECK_THAT(psql.err, Contains("backfill b_backfill needs a live connection: rows of "
                                "public.users are not filled yet; run `migrate upgrade "
                                "b_backfill`"));
  CHECK(w.db.version() == V{"b_expand"});
}
