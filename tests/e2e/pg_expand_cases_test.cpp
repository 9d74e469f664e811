// End to end on the private PostgreSQL server: every expand/contract
// operation on one table at once; a lock held by another session during
// the expand (retried, then done); a refused plan (nothing written); a
// contract whose downgrade is refused; an INVALID index left by a failed
// CREATE UNIQUE INDEX CONCURRENTLY, dropped and built again on the rerun.
#include <filesystem>
#include <iterator>
#include <pqxx/pqxx>

#include "e2e/pg_expand_window.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using e2e::Window;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

const char* const kAccounts =
    "CREATE TABLE owners (id int PRIMARY KEY);\n"
    "INSERT INTO owners VALUES (1), (2);\n"
    "CREATE TABLE accounts (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner_id int, "
    "amount_cents bigint NOT NULL, phone text, legacy text NOT NULL, balance int NOT NULL "
    "DEFAULT 0);\n"
    "INSERT INTO accounts (owner_id, amount_cents, phone, legacy, balance) SELECT 1 + g % 2, g * "
    "100 + 1, CASE WHEN g % 3 = 0 THEN NULL ELSE 'p' || g END, 'L' || g, g FROM "
    "generate_series(1, 40) g;";

const char* const kPlan =
    "table: accounts\n"
    "operations:\n"
    "  - change_type: {column: amount_cents, to: amount, type: \"numeric(12,2)\", up: "
    "\"amount_cents / 100.0\", down: \"round(amount * 100)::bigint\"}\n"
    "  - set_not_null: {column: phone, fill: \"'unknown'\"}\n"
    "  - add_column: {column: currency, type: text, not_null: true, default: \"'EUR'\"}\n"
    "  - add_column: {column: token, type: uuid, not_null: true, default: "
    "\"gen_random_uuid()\"}\n"
    "  - drop_column: {column: legacy, down: \"'from-v2'\"}\n"
    "  - add_check: {name: balance_nonneg, check: \"balance >= 0\"}\n"
    "  - add_foreign_key: {name: accounts_owner_fk, columns: [owner_id], references: {table: "
    "owners, columns: [id]}}\n"
    "  - add_unique: {name: accounts_token_key, columns: [token]}\n"
    "  - create_index: {name: accounts_rich_idx, columns: [owner_id], where: \"balance > 10\"}\n";

const char* const kFill =
    "UPDATE accounts SET amount = amount_cents / 100.0, phone = COALESCE(phone, 'unknown'), "
    "token = COALESCE(token, gen_random_uuid()) WHERE amount IS DISTINCT FROM (amount_cents / "
    "100.0) OR phone IS NULL OR token IS NULL";

}  // namespace

TEST_CASE("pg expand/contract: every operation on one table shares one expand, fill, contract",
          "[e2e][postgres][expand]") {
  Window w(kAccounts, "DROP TABLE accounts; DROP TABLE owners;");
  w.plan_and_expand(kPlan);
  // One trigger and one function for all of them.
  CHECK(w.sync_objects() == "1/1");

  // The old version and the new version, each writing only its own columns.
  w.db.exec(
      "INSERT INTO accounts (owner_id, amount_cents, phone, legacy, balance) VALUES (2, "
      "999, NULL, 'old', 500)");
  w.db.exec("UPDATE accounts SET amount_cents = 12345 WHERE balance = 1");
  w.db.exec(
      "INSERT INTO accounts (owner_id, amount, phone, currency, balance) VALUES (1, 7.5, "
      "'555', 'USD', 600)");
  w.db.exec("UPDATE accounts SET amount = 3.25 WHERE balance = 2");
  w.db.exec("DELETE FROM accounts WHERE balance = 3");
  CHECK(w.db.rows("SELECT amount_cents || '|' || amount || '|' || phone || '|' || currency || "
                  "'|' || legacy || '|' || (token IS NOT NULL) FROM accounts WHERE balance IN "
                  "(1, 2, 500, 600) ORDER BY balance") ==
        V{"12345|123.45|p1|EUR|L1|true", "325|3.25|p2|EUR|L2|true", "999|9.99|unknown|EUR|old|true",
          "750|7.50|555|USD|from-v2|true"});
  // The indexes were built by the backfill revision, valid.
  CHECK(w.one("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE "
              "c.relname IN ('accounts_token_key', 'accounts_rich_idx') AND i.indisvalid") == "2");
  // A new rule holds for both versions' writes at once.
  CHECK_THROWS(
      w.db.exec("INSERT INTO accounts (owner_id, amount_cents, legacy, balance) VALUES "
                "(1, 1, 'x', -1)"));
  CHECK_THROWS(w.db.exec("INSERT INTO accounts (owner_id, amount, balance) VALUES (99, 1, 1)"));

  w.fill(kFill);
  CHECK(w.one("SELECT count(*) FROM accounts WHERE amount IS DISTINCT FROM (amount_cents / "
              "100.0) OR amount_cents IS DISTINCT FROM round(amount * 100)::bigint OR phone IS "
              "NULL OR token IS NULL") == "0");
  REQUIRE_THAT(w.run({"upgrade", "heads", "--contract"}), ExitedWith(0));
  CHECK(w.columns("accounts") == V{"id:NO:", "owner_id:YES:", "phone:NO:", "balance:NO:0",
                                   "amount:NO:", "currency:NO:'EUR'::text",
                                   "token:NO:gen_random_uuid()"});
  CHECK(
      w.db.rows("SELECT conname || ':' || contype::text || ':' || convalidated FROM pg_constraint "
                "WHERE conrelid = 'accounts'::regclass ORDER BY conname") ==
      V{"accounts_owner_fk:f:true", "accounts_pkey:p:true", "accounts_token_key:u:true",
        "balance_nonneg:c:true"});
  CHECK(w.sync_objects() == "0/0");
  w.db.exec("INSERT INTO accounts (owner_id, amount, phone, balance) VALUES (1, 1, 'p', 700)");

  // The contract re-expands (every operation has a `down`), then back to a1.
  REQUIRE_THAT(w.run({"downgrade", "b_backfill"}), ExitedWith(0));
  CHECK(w.db.rows("SELECT amount_cents || '|' || legacy FROM accounts WHERE balance IN (1, 700) "
                  "ORDER BY balance") == V{"12345|from-v2", "100|from-v2"});
  w.db.exec(
      "INSERT INTO accounts (owner_id, amount_cents, legacy, balance) VALUES (1, 5, 'x', "
      "800)");
  CHECK(w.one("SELECT amount || '|' || phone FROM accounts WHERE balance = 800") == "0.05|unknown");
  REQUIRE_THAT(w.run({"downgrade", "a1"}), ExitedWith(0));
  CHECK(w.one("SELECT string_agg(column_name, ',' ORDER BY column_name) FROM "
              "information_schema.columns WHERE table_name = 'accounts'") ==
        "amount_cents,balance,id,legacy,owner_id,phone");
  CHECK(w.db.rows("SELECT conname FROM pg_constraint WHERE conrelid = 'accounts'::regclass") ==
        V{"accounts_pkey"});
  CHECK(w.one("SELECT count(*) FROM pg_indexes WHERE tablename = 'accounts'") == "1");
  CHECK(w.sync_objects() == "0/0");
}

TEST_CASE("pg expand/contract: a lock held by another session during the expand is waited out",
          "[e2e][postgres][expand]") {
  Window w(kAccounts);
  e2e::add_config(w.p, "lock_timeout: 200ms\nlock_retries: 5\n");
  REQUIRE_THAT(w.plan("table: accounts\noperations:\n  - rename_column: {from: phone, to: tel}\n"),
               ExitedWith(0));
  e2e::LockHolder holder(w.db, "accounts", std::chrono::milliseconds(500));
  auto r = w.run({"upgrade", "b_expand"});
  CHECK_THAT(r, ExitedWith(0));
  CHECK_THAT(r.err, Contains("(lock_timeout); retry 1/5 in "));
  holder.release();
  CHECK(w.db.version() == V{"b_expand"});
  CHECK(w.sync_objects() == "1/1");
}

TEST_CASE("pg expand/contract: a refused plan names its line and writes nothing",
          "[e2e][postgres][expand]") {
  Window w("CREATE TABLE logs (at timestamptz, line text);");
  auto r = w.plan("table: logs\noperations:\n  - rename_column: {from: line, to: text}\n");
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains(w.p.path("plan.yaml") + ":1: table public.logs has no primary key"));
  const auto files = std::distance(std::filesystem::directory_iterator(w.p.versions()),
                                   std::filesystem::directory_iterator());
  CHECK(files == 1);  // a1 only
}

TEST_CASE("pg expand/contract: a contract without `down` refuses its downgrade, saying why",
          "[e2e][postgres][expand]") {
  Window w(kAccounts);
  w.plan_and_expand(
      "table: accounts\noperations:\n  - change_type: {column: phone, to: phone_digits, type: "
      "text, up: \"regexp_replace(phone, '[^0-9]', '', 'g')\"}\n");
  w.fill("UPDATE accounts SET phone_digits = regexp_replace(phone, '[^0-9]', '', 'g')");
  REQUIRE_THAT(w.run({"upgrade", "b_contract"}), ExitedWith(0));
  auto r = w.run({"downgrade", "b_backfill"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err,
             Contains("downgrade of the contract of public.accounts refused: change_type ("));
  CHECK_THAT(r.err, Contains("has no `down`"));
  CHECK(w.db.version() == V{"b_contract"});
}

TEST_CASE("pg expand/contract: an INVALID index of a failed attempt is dropped before the retry",
          "[e2e][postgres][expand]") {
  Window w(kAccounts);
  w.db.exec("UPDATE accounts SET phone = 'dup' WHERE balance IN (1, 2)");
  REQUIRE_THAT(w.plan("table: accounts\noperations:\n  - add_unique: {name: accounts_phone_key, "
                      "columns: [phone]}\n"),
               ExitedWith(0));
  auto first = w.run({"upgrade", "heads"});
  CHECK_THAT(first, ExitedWith(1));
  CHECK_THAT(first.err, Contains("could not create unique index \"accounts_phone_key\""));
  CHECK(w.one("SELECT indisvalid FROM pg_index WHERE indexrelid = "
              "'accounts_phone_key'::regclass") == "f");
  w.db.exec("UPDATE accounts SET phone = 'p2' WHERE balance = 2");
  auto again = w.run({"upgrade", "heads"});
  CHECK_THAT(again, ExitedWith(0));
  CHECK(w.db.version() == V{"b_backfill"});
  CHECK(w.one("SELECT indisvalid FROM pg_index WHERE indexrelid = "
              "'accounts_phone_key'::regclass") == "t");
  REQUIRE_THAT(w.run({"upgrade", "heads", "--contract"}), ExitedWith(0));
  CHECK(w.one("SELECT contype FROM pg_constraint WHERE conname = 'accounts_phone_key'") == "u");
}
