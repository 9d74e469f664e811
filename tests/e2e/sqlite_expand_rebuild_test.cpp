// End to end on real SQLite files: the online table rebuild, for what
// SQLite's ALTER TABLE cannot do in place. Each such operation alone, then
// several with a view, an index and foreign keys around: the shadow table
// kept in step by the mirror triggers through writes of both versions, the
// copy batches, a write the final shape refuses failing in the window, the
// swap, the checks of the contract, and the downgrades (the contract's too:
// the swap run backwards, then the contract again).
#include "e2e/sqlite_expand_window.h"

using Catch::Matchers::Contains;
using e2e::SqliteWindow;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

const char* const kBase =
    "CREATE TABLE owners (id INTEGER PRIMARY KEY);\n"
    "INSERT INTO owners VALUES (1), (2);\n"
    "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '', phone TEXT, "
    "cents INTEGER NOT NULL DEFAULT 0, legacy TEXT, owner_id INTEGER);\n"
    "CREATE INDEX items_legacy_idx ON items (legacy);\n"
    "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 50)\n"
    "INSERT INTO items (name, phone, cents, legacy, owner_id) SELECT 'i' || i, CASE WHEN i % 2 "
    "THEN 'p' || i END, i, 'L', 1 + i % 2 FROM g;";

struct Case {
  std::string operation;
  std::string old_sql, new_sql;  // both versions' writes in the window
  std::string check, expected;   // after the contract
};

void run_case(const Case& c) {
  INFO(c.operation);
  SqliteWindow w(kBase);
  w.plan_and_expand("table: items\noperations:\n  - " + c.operation + "\n");
  CHECK(w.one("SELECT count(*) FROM sqlite_schema WHERE name = 'migrate_new_items'") == "1");
  CHECK(w.one("SELECT (SELECT count(*) FROM items) = (SELECT count(*) FROM migrate_new_items)") ==
        "1");
  REQUIRE(w.exec(c.old_sql) == "");
  REQUIRE(w.exec(c.new_sql) == "");
  REQUIRE(w.exec("DELETE FROM items WHERE id = 3;") == "");
  const std::string rows = w.one("SELECT count(*) FROM items");
  const std::string window_columns = w.columns("items"), window_triggers = w.sync_triggers();
  auto contract = w.run({"upgrade", "heads", "--contract"});
  REQUIRE_THAT(contract, ExitedWith(0));
  CHECK(w.one(c.check) == c.expected);
  CHECK(w.one("SELECT count(*) FROM items") == rows);
  CHECK(w.sync_triggers() == "0");
  CHECK(w.one("SELECT count(*) FROM sqlite_schema WHERE name = 'migrate_new_items'") == "0");
  CHECK(w.one("PRAGMA integrity_check") == "ok");
  // The contract undone: the window is back as the backfill left it (both
  // tables, every row, the triggers), the old version writes again, and the
  // contract run again ends where the first one did.
  const std::string after = w.snapshot("items");
  REQUIRE_THAT(w.run({"downgrade", "b_backfill"}), ExitedWith(0));
  CHECK(w.p.version() == V{"b_backfill"});
  CHECK(w.columns("items") == window_columns);
  CHECK(w.one("SELECT count(*) FROM items") == rows);
  CHECK(w.one("SELECT count(*) FROM migrate_new_items") == rows);
  CHECK(w.sync_triggers() == window_triggers);
  CHECK(w.one("PRAGMA integrity_check") == "ok");
  CHECK(w.one("SELECT count(*) FROM pragma_foreign_key_check") == "0");
  REQUIRE_THAT(w.run({"upgrade", "heads", "--contract"}), ExitedWith(0));
  CHECK(w.snapshot("items") == after);
  // And back before the expand.
  REQUIRE_THAT(w.run({"downgrade", "a1"}), ExitedWith(0));
  CHECK(w.columns("items") == "id,name,phone,cents,legacy,owner_id");
  CHECK(w.sync_triggers() == "0");
  CHECK(w.one("PRAGMA integrity_check") == "ok");
}

}  // namespace

TEST_CASE("sqlite rebuild: set_not_null", "[e2e][expand]") {
  run_case({"set_not_null: {column: phone, fill: \"'none'\"}",
            "INSERT INTO items (name) VALUES ('old');",
            "UPDATE items SET phone = NULL WHERE id = 1;",
            "SELECT (SELECT \"notnull\" FROM pragma_table_info('items') WHERE name = 'phone') || "
            "',' || (SELECT count(*) FROM items WHERE phone = 'none') || ',' || (SELECT phone FROM "
            "items WHERE id = 1)",
            "1,27,none"});
}

TEST_CASE("sqlite rebuild: add_check and add_foreign_key are checked in the window",
          "[e2e][expand]") {
  run_case({"add_check: {name: cents_small, check: \"cents < 1000\"}",
            "INSERT INTO items (name, cents) VALUES ('old', 5);",
            "UPDATE items SET cents = 999 WHERE id = 1;",
            "SELECT sql LIKE '%CONSTRAINT cents_small CHECK (cents < 1000)%' FROM sqlite_schema "
            "WHERE name = 'items'",
            "1"});
  run_case(
      {"add_foreign_key: {name: items_owner_fk, columns: [owner_id], references: {table: "
       "owners, columns: [id]}}",
       "INSERT INTO items (name, owner_id) VALUES ('old', 2);", "",
       "SELECT count(*) FROM pragma_foreign_key_list('items')", "1"});
  // A write the final shape refuses fails at once.
  SqliteWindow w(kBase);
  w.plan_and_expand(
      "table: items\noperations:\n  - add_check: {name: cents_small, check: \"cents "
      "< 1000\"}\n");
  CHECK_THAT(w.exec("UPDATE items SET cents = 5000 WHERE id = 1;"),
             Contains("CHECK constraint failed: cents_small"));
  CHECK(w.one("SELECT cents FROM items WHERE id = 1") == "1");
}

TEST_CASE("sqlite rebuild: add_column with a volatile default", "[e2e][expand]") {
  run_case(
      {"add_column: {column: token, type: TEXT, not_null: true, default: "
       "\"hex(randomblob(4))\"}",
       "INSERT INTO items (name) VALUES ('old');",
       "INSERT INTO items (name, token) VALUES ('new', 'mine');",
       "SELECT count(*) || ',' || count(DISTINCT token) || ',' || sum(length(token) = 8) || "
       "',' || (SELECT token FROM items WHERE name = 'new') FROM items",
       "51,51,50,mine"});
}

TEST_CASE("sqlite rebuild: change_type of a NOT NULL column, drop_column of an indexed one",
          "[e2e][expand]") {
  run_case(
      {"change_type: {column: cents, to: amount, type: REAL, up: \"cents / 100.0\", down: "
       "\"CAST(round(amount * 100) AS INTEGER)\"}",
       "INSERT INTO items (name, cents) VALUES ('old', 250);",
       "INSERT INTO items (name, amount) VALUES ('new', 1.5);",
       "SELECT (SELECT group_concat(name || ':' || type || ':' || \"notnull\") FROM "
       "pragma_table_info('items') WHERE name IN ('cents', 'amount')) || ',' || (SELECT "
       "group_concat(amount) FROM items WHERE name IN ('old', 'new'))",
       "amount:REAL:1,2.5,1.5"});
  run_case({"drop_column: {column: legacy, down: \"'v2'\"}",
            "INSERT INTO items (name, legacy) VALUES ('old', 'x');",
            "INSERT INTO items (name) VALUES ('new');",
            "SELECT (SELECT count(*) FROM pragma_table_info('items') WHERE name = 'legacy') || ',' "
            "|| (SELECT count(*) FROM sqlite_schema WHERE name = 'items_legacy_idx')",
            "0,0"});
}

TEST_CASE("sqlite rebuild: several operations, a view, indexes, foreign keys, downgrades",
          "[e2e][expand]") {
  SqliteWindow w(std::string(kBase) +
                 "\nCREATE INDEX items_phone_idx ON items (phone);\n"
                 "CREATE VIEW item_names AS SELECT id, name FROM items;\n"
                 "CREATE TABLE tags (id INTEGER PRIMARY KEY, item_id INTEGER REFERENCES items "
                 "(id));\nINSERT INTO tags VALUES (1, 1), (2, 2);");
  const std::string plan =
      "table: items\noperations:\n"
      "  - rename_column: {from: name, to: title}\n"
      "  - set_not_null: {column: phone, fill: \"'?'\"}\n"
      "  - add_check: {name: cents_small, check: \"cents < 1000\"}\n"
      "  - create_index: {name: items_title_key, columns: [title], unique: true}\n";
  // Downgrade of the expand and the backfill, before any contract.
  w.plan_and_expand(plan);
  CHECK(w.sync_triggers() == "5");
  REQUIRE_THAT(w.run({"downgrade", "a1"}), ExitedWith(0));
  CHECK(w.columns("items") == "id,name,phone,cents,legacy,owner_id");
  CHECK(w.sync_triggers() == "0");
  CHECK(w.one("SELECT count(*) FROM sqlite_schema WHERE name = 'migrate_new_items'") == "0");

  REQUIRE_THAT(w.run({"upgrade", "heads"}), ExitedWith(0));
  REQUIRE(w.exec("INSERT INTO items (name, cents) VALUES ('old', 1);") == "");
  REQUIRE(w.exec("INSERT INTO items (title, phone, cents) VALUES ('new', '5', 2);") == "");
  REQUIRE(w.exec("UPDATE items SET title = 't2' WHERE id = 2;") == "");
  REQUIRE(w.exec("UPDATE items SET id = 500 WHERE id = 4;") == "");  // the key moves too
  CHECK(w.one("SELECT group_concat(id) FROM (SELECT id FROM migrate_new_items EXCEPT SELECT id "
              "FROM items)") == "NULL");
  CHECK(w.one("SELECT title || phone FROM migrate_new_items WHERE id = 2") == "t2?");
  auto contract = w.run({"upgrade", "heads", "--contract"});
  REQUIRE_THAT(contract, ExitedWith(0));
  CHECK(w.columns("items") == "id,title,phone,cents,legacy,owner_id");
  CHECK(w.one("SELECT group_concat(name) FROM (SELECT name FROM sqlite_schema WHERE type = "
              "'index' AND tbl_name = 'items' AND sql IS NOT NULL ORDER BY name)") ==
        "items_legacy_idx,items_phone_idx,items_title_key");
  // The view follows the rename; the other table's foreign key finds the new table.
  CHECK(w.one("SELECT group_concat(title) FROM (SELECT title FROM item_names WHERE id IN (1, 2) "
              "ORDER BY id)") == "i1,t2");
  CHECK(w.one("SELECT count(*) FROM tags JOIN items ON items.id = tags.item_id") == "2");
  CHECK_THAT(w.exec("INSERT INTO items (title, phone) VALUES ('new', 'x');"), Contains("UNIQUE"));
  CHECK_THAT(w.exec("INSERT INTO items (title, phone) VALUES (NULL, 'x');"), Contains("NOT NULL"));
}

TEST_CASE(
    "sqlite rebuild: the contract refuses a table the copy has not finished, and a "
    "broken foreign key",
    "[e2e][expand]") {
  SqliteWindow w(kBase);
  REQUIRE_THAT(w.plan("table: items\noperations:\n  - add_foreign_key: {name: items_owner_fk, "
                      "columns: [owner_id], references: {table: owners, columns: [id]}}\n"),
               ExitedWith(0));
  REQUIRE_THAT(w.run({"upgrade", "b_expand"}), ExitedWith(0));
  REQUIRE_THAT(w.run({"stamp", "b_backfill"}), ExitedWith(0));  // no copy
  auto c = w.run({"upgrade", "heads", "--contract"});
  CHECK_THAT(c, ExitedWith(1));
  CHECK_THAT(c.err, Contains("contract refused: the rebuilt table migrate_new_items and "
                             "main.items differ in their keys"));
  CHECK_THAT(c.err, Contains("50 row(s)"));
  // Copied now, but one row points at no owner: the swap is rolled back.
  REQUIRE(w.exec("INSERT INTO migrate_new_items SELECT id, name, phone, cents, legacy, owner_id "
                 "FROM items WHERE id NOT IN (SELECT id FROM migrate_new_items);") == "");
  REQUIRE(w.exec("UPDATE items SET owner_id = 99 WHERE id = 7;") == "");
  c = w.run({"upgrade", "heads", "--contract"});
  CHECK_THAT(c, ExitedWith(1));
  CHECK_THAT(c.err, Contains("foreign key"));
  CHECK(w.p.version() == V{"b_backfill"});
  CHECK(w.sync_triggers() == "3");
  REQUIRE(w.exec("UPDATE items SET owner_id = 2 WHERE id = 7;") == "");
  REQUIRE_THAT(w.run({"upgrade", "heads", "--contract"}), ExitedWith(0));
  CHECK(w.one("SELECT count(*) FROM pragma_foreign_key_list('items')") == "1");
}
