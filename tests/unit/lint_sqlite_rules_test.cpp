// The SQLite rules (token-based): fire and silent cases.
#include <catch2/catch.hpp>

#include "lint_support.h"

using namespace linttest;

TEST_CASE("lint sqlite: DELETE and UPDATE without WHERE or with a constant-true one",
          "[lint][sqlite]") {
  for (const char* sql :
       {"DELETE FROM old;", "DELETE FROM old WHERE 1;", "DELETE FROM old WHERE 1=1;",
        "DELETE FROM old WHERE (1 == 1);", "DELETE FROM old WHERE TRUE OR id = 2;",
        "WITH x AS (SELECT 1) DELETE FROM old;", "DELETE FROM main.old RETURNING *;"}) {
    INFO(sql);
    auto f = lint_sections(Dialect::sqlite, {sql});
    CHECK(rules_of(f) == std::vector<std::string>{"delete-without-where"});
  }
  for (const char* sql :
       {"UPDATE old SET a = 1;", "UPDATE OR IGNORE old SET a = 1 WHERE 'a' = 'a';",
        "UPDATE old SET a = (SELECT max(b) FROM t WHERE t.id = 1);"}) {
    INFO(sql);
    CHECK(rules_of(lint_sections(Dialect::sqlite, {sql})) ==
          std::vector<std::string>{"update-without-where"});
  }
  for (const char* sql :
       {"DELETE FROM old WHERE id = 1;", "DELETE FROM old WHERE 1 = 1 AND id = 2;",
        "UPDATE old SET a = 1 WHERE a IS NULL;", "DELETE FROM old WHERE 0;",
        "INSERT INTO old (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET b = 2;",
        "CREATE TRIGGER tr AFTER INSERT ON old BEGIN DELETE FROM log; END;"}) {
    INFO(sql);
    CHECK(rules_of(lint_sections(Dialect::sqlite, {sql})).empty());
  }
}

TEST_CASE("lint sqlite: transaction control, VACUUM, drops and renames", "[lint][sqlite]") {
  auto f = lint_sections(Dialect::sqlite, {"BEGIN;\nCOMMIT;\nVACUUM;"});
  CHECK(rules_of(f) == std::vector<std::string>{"transaction-control", "transaction-control",
                                                "concurrently-in-transaction"});
  CHECK(rules_of(lint_sections(Dialect::sqlite, {"VACUUM;"}, Settings(), false)).empty());
  CHECK(rules_of(lint_sections(Dialect::sqlite, {"SAVEPOINT a;\nRELEASE a;"})).empty());

  CHECK(rules_of(lint_sections(Dialect::sqlite, {"DROP TABLE old;"})) ==
        std::vector<std::string>{"drop-table"});
  CHECK(rules_of(lint_sections(Dialect::sqlite, {"ALTER TABLE old DROP COLUMN a;"})) ==
        std::vector<std::string>{"drop-column"});
  CHECK(rules_of(lint_sections(Dialect::sqlite, {"ALTER TABLE old RENAME TO newer;"})) ==
        std::vector<std::string>{"rename-table"});
  CHECK(rules_of(lint_sections(Dialect::sqlite, {"ALTER TABLE old RENAME COLUMN a TO b;"})) ==
        std::vector<std::string>{"rename-column"});
  // New tables (this run) and the table-rebuild idiom stay silent.
  CHECK(rules_of(lint_sections(Dialect::sqlite, {"CREATE TABLE n (id INTEGER PRIMARY KEY, a TEXT);",
                                                 "ALTER TABLE n DROP COLUMN a;\nDROP TABLE n;"}))
            .empty());
  CHECK(rules_of(lint_sections(Dialect::sqlite, {"CREATE TABLE old_new (id INTEGER PRIMARY KEY);\n"
                                                 "INSERT INTO old_new (id) SELECT id FROM old;\n"
                                                 "DROP TABLE old;\n"
                                                 "ALTER TABLE old_new RENAME TO old;"}))
            .empty());
}
