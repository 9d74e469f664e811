// Foreign keys around a step, as SQLite's documented table-rebuild procedure
// requires (https://sqlite.org/lang_altertable.html#otheralter): enforcement
// off for the step, then PRAGMA foreign_key_check before COMMIT.
//
// `PRAGMA foreign_keys` is a no-op inside a transaction, which is why the
// guard is taken before BEGIN and released after COMMIT/ROLLBACK.
#pragma once

#include <string>

#include "db/sqlite/sqlite_connection.h"

namespace migrate::db::sqlite {

// Turns enforcement off for its lifetime and restores the connection's
// previous setting on every exit path.
class ForeignKeysOff {
 public:
  explicit ForeignKeysOff(Connection& conn);
  ~ForeignKeysOff();
  ForeignKeysOff(const ForeignKeysOff&) = delete;
  ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;

 private:
  Connection& conn_;
  bool was_on_ = false;
};

// Runs PRAGMA foreign_key_check in the open transaction. Returns "" when
// every reference holds, else a message listing the first violations
// ("orders rowid 3 references a missing row in customers; ...").
std::string foreign_key_violations(Connection& conn);

// Whether the database may declare a foreign key: some table (or temp
// table) whose SQL says REFERENCES, case-insensitively. False is exact:
// SQLite declares every foreign key with that keyword, in CREATE TABLE or
// ALTER TABLE ADD COLUMN, and keeps the text in sqlite_schema.
bool schema_may_have_foreign_keys(Connection& conn);

// Whether running `sql` may declare one: it says REFERENCES, or
// writable_schema (which lets SQL rewrite sqlite_schema's text), in any case.
bool sql_may_add_foreign_keys(const std::string& sql);

}  // namespace migrate::db::sqlite
