// End to end on real SQLite files: each expand/contract operation SQLite
// does in place, alone and all together, through `revision
// --expand-contract`, expand and the real backfill engine (`upgrade
// heads`), the window (statements of both application versions), the
// contract, and the downgrade back to the start.
#include "e2e/sqlite_expand_window.h"

using Catch::Matchers::Contains;
using e2e::SqliteWindow;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

const char* const kItems =
    "CREATE TABLE owners (id INTEGER PRIMARY KEY);\n"
    "INSERT INTO owners VALUES (1);\n"
    "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '', cents INTEGER, "
    "phone TEXT, legacy TEXT, balance INTEGER NOT NULL DEFAULT 0, owner_id INTEGER);\n"
    "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 20)\n"
    "INSERT INTO items (name, cents, legacy, owner_id) SELECT 'i' || i, i, 'L', 1 FROM g;";
const char* const kDropItems = "DROP TABLE items; DROP TABLE owners;";
const char* const kColumns = "balance,cents,id,legacy,name,owner_id,phone";

struct Case {
  std::string operation;  // one line of `operations:`
  std::string old_sql;    // the old version's statements in the window
  std::string new_sql;    // the new version's
  std::string window_check, window_expected;
  std::string after_check, after_expected;  // after the contract
};

std::string sorted_columns(const SqliteWindow& w) {
  return w.one(
      "SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('items') ORDER BY "
      "name)");
}

std::string user_indexes(const SqliteWindow& w) {
  return w.one(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'items' AND sql IS "
      "NOT NULL");
}

void run_case(const Case& c) {
  INFO(c.operation);
  SqliteWindow w(kItems, kDropItems);
  w.plan_and_expand("table: items\noperations:\n  - " + c.operation + "\n");
  REQUIRE(w.exec(c.old_sql) == "");
  REQUIRE(w.exec(c.new_sql) == "");
  CHECK(w.one(c.window_check) == c.window_expected);
  const std::string rows = w.one("SELECT count(*) FROM items");
  auto contract = w.run({"upgrade", "heads", "--contract"});
  REQUIRE_THAT(contract, ExitedWith(0));
  CHECK(w.p.version() == V{"b_contract"});
  CHECK(w.one(c.after_check) == c.after_expected);
  CHECK(w.sync_triggers() == "0");
  CHECK(w.one("PRAGMA integrity_check") == "ok");
  // Every phase downgrades: back where a1 left the table.
  REQUIRE_THAT(w.run({"downgrade", "a1"}), ExitedWith(0));
  CHECK(sorted_columns(w) == kColumns);
  CHECK(user_indexes(w) == "0");
  CHECK(w.sync_triggers() == "0");
  CHECK(w.one("SELECT count(*) FROM items") == rows);
}

}  // namespace

TEST_CASE("sqlite expand: rename_column", "[e2e][expand]") {
  run_case({"rename_column: {from: name, to: title}",
            "INSERT INTO items (name, cents) VALUES ('old1', 5); UPDATE items SET name = 'o2' "
            "WHERE id = 2;",
            "INSERT INTO items (title, cents) VALUES ('new1', 6); UPDATE items SET title = 'n3' "
            "WHERE id = 3;",
            "SELECT (SELECT count(*) FROM items WHERE title IS NOT name) || ',' || (SELECT title "
            "FROM items WHERE id = 2) || ',' || (SELECT name FROM items WHERE id = 3) || ',' || "
            "(SELECT name FROM items WHERE title = 'new1') || ',' || (SELECT title FROM items "
            "WHERE name = 'old1')",
            "0,o2,n3,new1,old1",
            "SELECT title || ',' || (SELECT \"notnull\" || dflt_value FROM "
            "pragma_table_info('items') WHERE name = 'title') FROM items WHERE id = 3",
            "n3,1''"});
}

TEST_CASE("sqlite expand: change_type with up and down", "[e2e][expand]") {
  run_case(
      {"change_type: {column: cents, to: amount, type: REAL, up: \"cents / 100.0\", down: "
       "\"CAST(round(amount * 100) AS INTEGER)\"}",
       "INSERT INTO items (name, cents) VALUES ('o', 250); UPDATE items SET cents = 900 "
       "WHERE id = 5;",
       "INSERT INTO items (name, amount) VALUES ('n', 1.5); UPDATE items SET amount = 0.07 "
       "WHERE id = 4;",
       "SELECT (SELECT count(*) FROM items WHERE amount IS NOT cents / 100.0) || ',' || "
       "(SELECT cents FROM items WHERE id = 4) || ',' || (SELECT amount FROM items WHERE id "
       "= 5) || ',' || (SELECT cents FROM items WHERE name = 'n') || ',' || (SELECT amount "
       "FROM items WHERE name = 'o')",
       "0,7,9.0,150,2.5", "SELECT group_concat(name, ',') FROM pragma_table_info('items')",
       "id,name,phone,legacy,balance,owner_id,amount"});
}

TEST_CASE("sqlite expand: add_column NOT NULL with a constant default", "[e2e][expand]") {
  run_case({"add_column: {column: currency, type: TEXT, not_null: true, default: \"'EUR'\"}",
            "INSERT INTO items (name) VALUES ('o');",
            "INSERT INTO items (name, currency) VALUES ('n', 'USD');",
            "SELECT group_concat(currency || ':' || n) FROM (SELECT currency, count(*) AS n FROM "
            "items GROUP BY currency ORDER BY currency)",
            "EUR:21,USD:1",
            "SELECT \"notnull\" || ',' || dflt_value FROM pragma_table_info('items') WHERE name = "
            "'currency'",
            "1,'EUR'"});
}

TEST_CASE("sqlite expand: drop_column with down", "[e2e][expand]") {
  run_case({"drop_column: {column: legacy, down: \"'from v2'\"}",
            "INSERT INTO items (name, legacy) VALUES ('o', 'mine');",
            "INSERT INTO items (name) VALUES ('n');",
            "SELECT group_concat(legacy, ',') FROM (SELECT legacy FROM items WHERE id > 20 ORDER "
            "BY id)",
            "mine,from v2", "SELECT group_concat(name, ',') FROM pragma_table_info('items')",
            "id,name,cents,phone,balance,owner_id"});
}

TEST_CASE("sqlite expand: add_unique and a partial create_index", "[e2e][expand]") {
  run_case({"add_unique: {name: items_name_key, columns: [name]}", "", "",
            "SELECT sql FROM sqlite_schema WHERE name = 'items_name_key'",
            "CREATE UNIQUE INDEX items_name_key ON items (name)",
            "SELECT count(*) FROM sqlite_schema WHERE name = 'items_name_key'", "1"});
  run_case({"create_index: {name: items_rich_idx, columns: [balance], where: \"balance > 1000\"}",
            "", "", "SELECT sql FROM sqlite_schema WHERE name = 'items_rich_idx'",
            "CREATE INDEX items_rich_idx ON items (balance) WHERE balance > 1000",
            "SELECT count(*) FROM sqlite_schema WHERE name = 'items_rich_idx'", "1"});
}

TEST_CASE("sqlite expand: every in-place operation on one table", "[e2e][expand]") {
  SqliteWindow w(kItems, kDropItems);
  w.plan_and_expand(
      "table: items\noperations:\n"
      "  - rename_column: {from: name, to: title}\n"
      "  - change_type: {column: cents, to: amount, type: REAL, up: \"cents / 100.0\", down: "
      "\"CAST(round(amount * 100) AS INTEGER)\"}\n"
      "  - add_column: {column: currency, type: TEXT, not_null: true, default: \"'EUR'\"}\n"
      "  - drop_column: {column: legacy, down: \"'v2'\"}\n"
      "  - add_unique: {name: items_title_key, columns: [title]}\n"
      "  - create_index: {name: items_rich_idx, columns: [balance], where: \"balance > 1000\"}\n");
  // The backfill engine filled the old rows: every row in step.
  CHECK(w.one("SELECT count(*) FROM items WHERE title IS NOT name OR amount IS NOT cents / "
              "100.0") == "0");
  // The index over the renamed column waits for the contract; the other is built.
  CHECK(w.one("SELECT group_concat(name) FROM sqlite_schema WHERE type = 'index' AND sql IS NOT "
              "NULL") == "items_rich_idx");
  REQUIRE(w.exec("INSERT INTO items (name, cents, legacy) VALUES ('old', 123, 'x');") == "");
  REQUIRE(w.exec("INSERT INTO items (title, amount, currency) VALUES ('new', 4.56, 'USD');") == "");
  REQUIRE(w.exec("UPDATE items SET name = 'o1', cents = 1000 WHERE id = 1;") == "");
  REQUIRE(w.exec("UPDATE items SET title = 't2', amount = 0.5 WHERE id = 2;") == "");
  REQUIRE(w.exec("DELETE FROM items WHERE id = 3;") == "");
  CHECK(w.one("SELECT count(*) FROM items WHERE title IS NOT name OR amount IS NOT cents / "
              "100.0") == "0");
  CHECK(w.one("SELECT name || cents || legacy || currency FROM items WHERE title = 'new'") ==
        "new456v2USD");
  CHECK(w.one("SELECT title || amount FROM items WHERE id = 1") == "o110.0");
  CHECK(w.one("SELECT name || cents FROM items WHERE id = 2") == "t250");

  REQUIRE_THAT(w.run({"upgrade", "heads", "--contract"}), ExitedWith(0));
  CHECK(w.one("SELECT group_concat(name, ',') FROM pragma_table_info('items')") ==
        "id,title,phone,balance,owner_id,amount,currency");
  CHECK(w.one("SELECT group_concat(name) FROM (SELECT name FROM sqlite_schema WHERE type = "
              "'index' AND sql IS NOT NULL ORDER BY name)") == "items_rich_idx,items_title_key");
  CHECK(w.one("SELECT count(*) || ',' || sum(currency = 'EUR') FROM items") == "21,20");
  CHECK_THAT(w.exec("INSERT INTO items (title) VALUES ('new');"), Contains("UNIQUE"));
  CHECK(w.sync_triggers() == "0");

  // The contract's downgrade re-expands: the old columns back, filled by down.
  REQUIRE_THAT(w.run({"downgrade", "b_backfill"}), ExitedWith(0));
  CHECK(w.sync_triggers() == "2");
  CHECK(w.one("SELECT name || ',' || cents || ',' || legacy FROM items WHERE id = 2") ==
        "t2,50,v2");
  REQUIRE(w.exec("INSERT INTO items (name, cents) VALUES ('again', 7);") == "");
  CHECK(w.one("SELECT title || amount FROM items WHERE name = 'again'") == "again0.07");
  REQUIRE_THAT(w.run({"downgrade", "a1"}), ExitedWith(0));
  CHECK(sorted_columns(w) == kColumns);
  CHECK(user_indexes(w) == "0");
  CHECK(w.sync_triggers() == "0");
}

TEST_CASE("sqlite expand: downgrade of the expand alone", "[e2e][expand]") {
  SqliteWindow w(kItems, kDropItems);
  REQUIRE_THAT(w.plan("table: items\noperations:\n  - rename_column: {from: name, to: title}\n"),
               ExitedWith(0));
  REQUIRE_THAT(w.run({"upgrade", "b_expand"}), ExitedWith(0));
  CHECK(w.sync_triggers() == "2");
  CHECK(w.one("SELECT count(*) FROM items WHERE title IS NULL") == "20");
  REQUIRE_THAT(w.run({"downgrade", "a1"}), ExitedWith(0));
  CHECK(w.columns("items") == "id,name,cents,phone,legacy,balance,owner_id");
  CHECK(w.sync_triggers() == "0");
}
