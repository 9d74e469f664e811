// End to end on the private PostgreSQL server: each expand/contract
// operation alone, then all of them on one table, through expand, the
// window (statements of both application versions), the fill, the
// contract, and the downgrade back to the start. The rows are filled as
// the backfill engine fills them (see pg_expand_contract_test.cpp).
#include <pqxx/pqxx>

#include "e2e/pg_expand_window.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using e2e::Window;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

const char* const kItems =
    "CREATE TABLE owners (id int PRIMARY KEY);\n"
    "INSERT INTO owners VALUES (1);\n"
    "CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, "
    "cents bigint, phone text, legacy text NOT NULL, balance int NOT NULL DEFAULT 0, owner_id "
    "int);\n"
    "INSERT INTO items (name, cents, legacy, owner_id) SELECT 'i' || g, g, 'L', 1 FROM "
    "generate_series(1, 20) g;";
const char* const kDropItems = "DROP TABLE items; DROP TABLE owners;";

struct Case {
  std::string operation;     // one line of `operations:`
  std::string old_sql;       // the old version's statements in the window
  std::string new_sql;       // the new version's
  std::string fill;          // what the backfill engine does ("" = nothing to fill)
  std::string window_check;  // a query, and what it must give in the window
  std::string window_expected;
  std::string after_check;  // after the contract
  std::string after_expected;
};

void run_case(const Case& c) {
  INFO(c.operation);
  Window w(kItems, kDropItems);
  w.plan_and_expand("table: items\noperations:\n  - " + c.operation + "\n");
  w.db.exec(c.old_sql);
  w.db.exec(c.new_sql);
  if (!c.fill.empty()) w.fill(c.fill);
  CHECK(w.one(c.window_check) == c.window_expected);
  REQUIRE_THAT(w.run({"upgrade", "heads", "--contract"}), ExitedWith(0));
  CHECK(w.db.version() == V{"b_contract"});
  CHECK(w.one(c.after_check) == c.after_expected);
  CHECK(w.sync_objects() == "0/0");
  // Every phase downgrades: back where a1 left the table.
  REQUIRE_THAT(w.run({"downgrade", "a1"}), ExitedWith(0));
  CHECK(w.one("SELECT string_agg(column_name, ',' ORDER BY column_name) FROM "
              "information_schema.columns WHERE table_name = 'items'") ==
        "balance,cents,id,legacy,name,owner_id,phone");
  CHECK(w.one("SELECT count(*) FROM pg_constraint WHERE conrelid = 'items'::regclass") == "1");
  CHECK(w.one("SELECT count(*) FROM pg_indexes WHERE tablename = 'items'") == "1");
  CHECK(w.sync_objects() == "0/0");
}

}  // namespace

TEST_CASE("pg expand/contract alone: rename_column", "[e2e][postgres][expand]") {
  run_case({"rename_column: {from: name, to: title}",
            "INSERT INTO items (name, legacy) VALUES ('o', 'L'); UPDATE items SET name = 'o1' "
            "WHERE name = 'i1'",
            "INSERT INTO items (title, legacy) VALUES ('n', 'L'); UPDATE items SET title = 'n2' "
            "WHERE title = 'o1'",
            "UPDATE items SET title = name WHERE title IS DISTINCT FROM name",
            "SELECT count(*) FILTER (WHERE title IS DISTINCT FROM name) || '/' || count(*) FILTER "
            "(WHERE title IN ('o', 'n', 'o1', 'n2')) FROM items",
            "0/3", "SELECT count(*) FROM items WHERE title IN ('o', 'n', 'n2')", "3"});
}

TEST_CASE("pg expand/contract alone: change_type", "[e2e][postgres][expand]") {
  run_case(
      {"change_type: {column: cents, to: amount, type: \"numeric(12,2)\", up: \"cents / "
       "100.0\", down: \"round(amount * 100)::bigint\"}",
       "INSERT INTO items (name, cents, legacy) VALUES ('o', 250, 'L'); UPDATE items SET "
       "cents = 777 WHERE name = 'i1'",
       "INSERT INTO items (name, amount, legacy) VALUES ('n', 1.5, 'L'); UPDATE items SET "
       "amount = 9.99 WHERE name = 'i2'",
       "UPDATE items SET amount = cents / 100.0 WHERE amount IS DISTINCT FROM (cents / 100.0)",
       "SELECT count(*) FILTER (WHERE amount IS DISTINCT FROM cents / 100.0 OR cents IS "
       "DISTINCT FROM round(amount * 100)::bigint) || '/' || string_agg(cents || '=' || "
       "amount, ',' ORDER BY name) FILTER (WHERE name IN ('o', 'n', 'i1', 'i2')) FROM items",
       "0/777=7.77,999=9.99,150=1.50,250=2.50",
       "SELECT string_agg(amount::text, ',' ORDER BY name) FROM items WHERE name IN ('o', "
       "'n')",
       "1.50,2.50"});
}

TEST_CASE("pg expand/contract alone: set_not_null", "[e2e][postgres][expand]") {
  run_case({"set_not_null: {column: phone, fill: \"'unknown'\"}",
            "INSERT INTO items (name, legacy) VALUES ('o', 'L'); UPDATE items SET phone = NULL "
            "WHERE name = 'i1'",
            "INSERT INTO items (name, phone, legacy) VALUES ('n', '555', 'L')",
            "UPDATE items SET phone = COALESCE(phone, 'unknown') WHERE phone IS NULL",
            "SELECT count(*) FILTER (WHERE phone IS NULL) || '/' || string_agg(phone, ',' ORDER "
            "BY name) FILTER (WHERE name IN ('o', 'n', 'i1')) FROM items",
            "0/unknown,555,unknown",
            "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'items' AND "
            "column_name = 'phone'",
            "NO"});
}

TEST_CASE("pg expand/contract alone: add_column", "[e2e][postgres][expand]") {
  run_case({"add_column: {column: currency, type: text, not_null: true, default: \"'EUR'\"}",
            "INSERT INTO items (name, legacy) VALUES ('o', 'L')",
            "INSERT INTO items (name, legacy, currency) VALUES ('n', 'L', 'USD')", "",
            "SELECT string_agg(currency, ',' ORDER BY name) FROM items WHERE name IN ('o', 'n', "
            "'i1')",
            "EUR,USD,EUR", "SELECT count(*) FROM items WHERE currency = 'EUR'", "21"});
}

TEST_CASE("pg expand/contract alone: add_column with a volatile default",
          "[e2e][postgres][expand]") {
  run_case(
      {"add_column: {column: token, type: uuid, not_null: true, default: "
       "\"gen_random_uuid()\"}",
       "INSERT INTO items (name, legacy) VALUES ('o', 'L')",
       "INSERT INTO items (name, legacy, token) VALUES ('n', 'L', "
       "'00000000-0000-0000-0000-000000000001')",
       "UPDATE items SET token = COALESCE(token, gen_random_uuid()) WHERE token IS NULL",
       "SELECT count(DISTINCT token) || '/' || count(*) FROM items", "22/22",
       "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'items' AND "
       "column_name = 'token'",
       "NO"});
}

TEST_CASE("pg expand/contract alone: drop_column", "[e2e][postgres][expand]") {
  run_case({"drop_column: {column: legacy, down: \"'from-v2'\"}",
            "INSERT INTO items (name, legacy) VALUES ('o', 'x')",
            "INSERT INTO items (name) VALUES ('n')", "",
            "SELECT string_agg(legacy, ',' ORDER BY name) FROM items WHERE name IN ('o', 'n')",
            "from-v2,x",
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND "
            "column_name = 'legacy'",
            "0"});
}

TEST_CASE("pg expand/contract alone: add_check", "[e2e][postgres][expand]") {
  run_case({"add_check: {name: items_balance_nonneg, check: \"balance >= 0\"}",
            "INSERT INTO items (name, legacy, balance) VALUES ('o', 'L', 1)",
            "INSERT INTO items (name, legacy, balance) VALUES ('n', 'L', 2)", "",
            "SELECT count(*) FROM pg_constraint WHERE conname = 'items_balance_nonneg' AND NOT "
            "convalidated",
            "1", "SELECT convalidated FROM pg_constraint WHERE conname = 'items_balance_nonneg'",
            "t"});
}

TEST_CASE("pg expand/contract alone: add_foreign_key", "[e2e][postgres][expand]") {
  run_case(
      {"add_foreign_key: {name: items_owner_fk, columns: [owner_id], references: {table: "
       "owners, columns: [id]}}",
       "INSERT INTO items (name, legacy, owner_id) VALUES ('o', 'L', 1)",
       "INSERT INTO items (name, legacy, owner_id) VALUES ('n', 'L', NULL)", "",
       "SELECT count(*) FROM pg_constraint WHERE conname = 'items_owner_fk' AND NOT "
       "convalidated",
       "1", "SELECT convalidated FROM pg_constraint WHERE conname = 'items_owner_fk'", "t"});
}

TEST_CASE("pg expand/contract alone: add_unique", "[e2e][postgres][expand]") {
  run_case({"add_unique: {name: items_name_key, columns: [name]}",
            "INSERT INTO items (name, legacy) VALUES ('o', 'L')",
            "INSERT INTO items (name, legacy) VALUES ('n', 'L')", "",
            "SELECT i.indisvalid::text || i.indisunique::text FROM pg_index i JOIN pg_class c ON "
            "c.oid = i.indexrelid WHERE c.relname = 'items_name_key'",
            "truetrue", "SELECT contype FROM pg_constraint WHERE conname = 'items_name_key'", "u"});
}

TEST_CASE("pg expand/contract alone: create_index (partial, unique)", "[e2e][postgres][expand]") {
  run_case(
      {"create_index: {name: items_big_cents, columns: [cents], where: \"balance > 100\", "
       "unique: true}",
       "INSERT INTO items (name, legacy, cents, balance) VALUES ('o', 'L', 5, 101)",
       "INSERT INTO items (name, legacy, cents, balance) VALUES ('n', 'L', 5, 1)", "",
       "SELECT i.indisvalid::text || i.indisunique::text FROM pg_index i JOIN pg_class c ON "
       "c.oid = i.indexrelid WHERE c.relname = 'items_big_cents'",
       "truetrue",
       "SELECT pg_get_indexdef('items_big_cents'::regclass) LIKE '%WHERE (balance > 100)'", "t"});
}
