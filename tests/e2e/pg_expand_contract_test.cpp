// End to end on the private PostgreSQL server: `revision --expand-contract`
// writes three revisions; `upgrade` applies expand and backfill and stops
// before the contract; in the window, statements written for the old schema
// and for the new one both run unchanged and every row keeps new = up(old)
// and old = down(new); the contract refuses unfilled rows, then finishes;
// each phase downgrades. The rows are filled here as the backfill engine
// fills them (an UPDATE of the new columns under migrate.backfill = 'on'),
// so the tests hold with or without the engine in the build.
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "e2e/pg_expand_window.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using e2e::Window;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

const char* const kUsers =
    "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL "
    "DEFAULT 'none', note text);\n"
    "INSERT INTO users (email, note) SELECT 'u' || g || '@x', 'n' || g FROM generate_series(1, "
    "50) g;";

}  // namespace

TEST_CASE("pg expand/contract: rename_column through the window, contract and every downgrade",
          "[e2e][postgres][expand]") {
  Window w(kUsers, "DROP TABLE users;");
  auto r =
      w.plan("table: users\noperations:\n  - rename_column: {from: email, to: email_address}\n");
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.out, Contains("b_expand_change_expand.sql ... done"));
  CHECK_THAT(testsupport::read_file(w.p.versions() + "/b_expand_change_expand.sql"),
             Contains("-- phase: expand\n"));
  CHECK_THAT(testsupport::read_file(w.p.versions() + "/b_backfill_change_backfill.sql"),
             Contains("-- phase: backfill\n-- transactional: false\n"));
  CHECK_THAT(testsupport::read_file(w.p.versions() + "/b_contract_change_contract.sql"),
             Contains("-- phase: contract\n"));

  auto up = w.run({"upgrade", "heads"});
  REQUIRE_THAT(up, ExitedWith(0));
  CHECK_THAT(up.out, Contains("Stopped before contract b_contract (change (contract))"));
  CHECK(w.db.version() == V{"b_backfill"});

  // The window: the old version's statements and the new version's, unchanged.
  w.db.exec("INSERT INTO users (email, note) VALUES ('old@x', 'old')");
  w.db.exec("INSERT INTO users (email_address, note) VALUES ('new@x', 'new')");
  w.db.exec("INSERT INTO users (note) VALUES ('neither')");  // the old default applies
  w.db.exec("UPDATE users SET email = 'old2@x' WHERE note = 'n1'");
  w.db.exec("UPDATE users SET email_address = 'new2@x' WHERE note = 'n2'");
  w.db.exec("UPDATE users SET note = 'touched' WHERE note = 'n3'");
  w.db.exec("DELETE FROM users WHERE note = 'n4'");
  CHECK(
      w.db.rows("SELECT email || '|' || email_address FROM users WHERE note IN ('old', 'new', "
                "'neither', 'n1', 'n2', 'touched') ORDER BY id") ==
      V{"old2@x|old2@x", "new2@x|new2@x", "u3@x|u3@x", "old@x|old@x", "new@x|new@x", "none|none"});

  // Waiting contracts are listed, and are no failure.
  auto st = w.run({"status", "--exit-code"});
  CHECK_THAT(st, ExitedWith(0));
  CHECK_THAT(st.out, Contains("b_contract  change (contract)  (contract: waits)"));
  auto sj = nlohmann::json::parse(w.run({"status", "--json"}).out);
  CHECK(sj["waiting_contracts"][0]["revision"] == "b_contract");
  CHECK(sj["up_to_date"] == true);
  auto check = w.run({"check"});
  CHECK_THAT(check, ExitedWith(0));
  CHECK_THAT(check.out, Contains("Contract b_contract waits"));
  // `upgrade heads` again runs nothing and says why.
  auto again = w.run({"upgrade", "heads"});
  CHECK_THAT(again, ExitedWith(0));
  CHECK_THAT(again.out, Contains("Stopped before contract b_contract"));
  CHECK_THAT(again.out, !Contains("Running upgrade"));

  // Unfilled rows (unless a backfill engine filled them): the contract refuses.
  if (w.one("SELECT count(*) FROM users WHERE email_address IS NULL") != "0") {
    auto refused = w.run({"upgrade", "b_contract"});
    CHECK_THAT(refused, ExitedWith(1));
    CHECK_THAT(refused.err, Contains("contract refused: rows of public.users are not backfilled"));
    CHECK(w.db.version() == V{"b_backfill"});
  }
  w.fill("UPDATE users SET email_address = email WHERE email_address IS DISTINCT FROM email");
  CHECK(w.one("SELECT count(*) FROM users WHERE email_address IS DISTINCT FROM email") == "0");

  // The contract, named as the target.
  REQUIRE_THAT(w.run({"upgrade", "b_contract"}), ExitedWith(0));
  CHECK(w.columns("users") == V{"id:NO:", "note:YES:", "email_address:NO:'none'::text"});
  CHECK(w.sync_objects() == "0/0");
  CHECK(w.one("SELECT count(*) FROM pg_constraint WHERE contype = 'c' AND conrelid = "
              "'users'::regclass") == "0");
  w.db.exec("INSERT INTO users (email_address, note) VALUES ('after@x', 'after')");

  // Downgrade the contract: the window again, the old column back and filled.
  REQUIRE_THAT(w.run({"downgrade", "b_backfill"}), ExitedWith(0));
  CHECK(w.one("SELECT count(*) FROM users WHERE email IS DISTINCT FROM email_address") == "0");
  CHECK(w.sync_objects() == "1/1");
  w.db.exec("INSERT INTO users (email, note) VALUES ('old3@x', 'old3')");
  CHECK(w.one("SELECT email_address FROM users WHERE note = 'old3'") == "old3@x");
  // Downgrade the backfill, then the expand: the table as it was.
  REQUIRE_THAT(w.run({"downgrade", "b_expand"}), ExitedWith(0));
  REQUIRE_THAT(w.run({"downgrade", "a1"}), ExitedWith(0));
  // (The contract's downgrade added email again: it comes last now.)
  CHECK(w.columns("users") == V{"id:NO:", "note:YES:", "email:NO:'none'::text"});
  CHECK(w.sync_objects() == "0/0");
  CHECK(w.one("SELECT count(*) FROM users WHERE note = 'old3'") == "1");
  // And forward again in one go, contract included.
  REQUIRE_THAT(w.run({"upgrade", "b_backfill"}), ExitedWith(0));
  w.fill("UPDATE users SET email_address = email WHERE email_address IS DISTINCT FROM email");
  REQUIRE_THAT(w.run({"upgrade", "heads", "--contract"}), ExitedWith(0));
  CHECK(w.db.version() == V{"b_contract"});
}
