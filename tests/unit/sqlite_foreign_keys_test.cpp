// sql_may_add_foreign_keys (src/db/sqlite/sqlite_foreign_keys.h): whether a
// step's SQL may declare a foreign key, so that the per-step
// foreign_key_check cannot be skipped after it. A miss would skip a check.
#include "db/sqlite/sqlite_foreign_keys.h"

#include <catch2/catch.hpp>

using migrate::db::sqlite::sql_may_add_foreign_keys;

TEST_CASE("sql_may_add_foreign_keys finds the keywords in any case, anywhere", "[sqlite]") {
  CHECK(sql_may_add_foreign_keys("CREATE TABLE a (b int REFERENCES c(id));"));
  CHECK(sql_may_add_foreign_keys("create table a (b int references c(id));"));
  CHECK(sql_may_add_foreign_keys("ReFeReNcEs"));    // the whole text
  CHECK(sql_may_add_foreign_keys("x REFERENCES"));  // at the very end
  CHECK(sql_may_add_foreign_keys("PRAGMA writable_schema = ON;"));
  CHECK(sql_may_add_foreign_keys("PRAGMA WRITABLE_SCHEMA=1"));
  CHECK(sql_may_add_foreign_keys("rrreferences"));  // a partial match first
  CHECK(sql_may_add_foreign_keys("writable_schemreferences"));

  CHECK_FALSE(sql_may_add_foreign_keys(""));
  CHECK_FALSE(sql_may_add_foreign_keys("CREATE TABLE a (b int);"));
  CHECK_FALSE(sql_may_add_foreign_keys("REFERENCE"));  // cut short
  CHECK_FALSE(sql_may_add_foreign_keys("x referencez"));
  CHECK_FALSE(sql_may_add_foreign_keys("writable_schem"));
}
