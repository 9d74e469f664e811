// End to end on real SQLite files: a rename_column, change_type and
// drop_column of NOT NULL columns without a default. The new version's
// inserts do not write the old columns, and SQLite checks NOT NULL before
// any AFTER trigger could fill them, so the expand makes them nullable in
// the live table for the window (sqlite.org's writable_schema procedure)
// and the table is rebuilt, its copy keeping NOT NULL: both versions'
// inserts work (from a connection opened before the expand too), a NULL
// either version writes still fails, the contract swaps in the final shape,
// and the downgrades bring back the original CREATE TABLE text exactly.
#include <sqlite3.h>

#include "e2e/sqlite_expand_window.h"

using Catch::Matchers::Contains;
using e2e::SqliteWindow;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

const char* const kUsers =
    "CREATE TABLE users (\n  id INTEGER PRIMARY KEY,\n  email TEXT NOT NULL,\n  cents INTEGER "
    "NOT NULL,\n  tag TEXT NOT NULL,\n  note TEXT\n)";

std::string base() {
  return std::string(kUsers) +
         ";\nCREATE INDEX users_email_idx ON users (email);\n"
         "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 30)\n"
         "INSERT INTO users (email, cents, tag) SELECT 'u' || i || '@x', i * 100, 't' || i FROM g;";
}

// An application's connection, opened (and its schema read) before the
// expand: it must see the window's schema at its next statement.
class OpenConnection {
 public:
  explicit OpenConnection(const std::string& path) {
    REQUIRE(sqlite3_open(path.c_str(), &db_) == SQLITE_OK);
    sqlite3_busy_timeout(db_, 10000);
    REQUIRE(exec("SELECT count(*) FROM users;") == "");
  }
  ~OpenConnection() { sqlite3_close(db_); }
  OpenConnection(const OpenConnection&) = delete;
  OpenConnection& operator=(const OpenConnection&) = delete;
  std::string exec(const std::string& sql) {
    char* err = nullptr;
    sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    std::string message = err ? err : "";
    sqlite3_free(err);
    return message;
  }

 private:
  sqlite3* db_ = nullptr;
};

std::string not_null(const SqliteWindow& w, const std::string& table) {
  return w.one("SELECT group_concat(name || ':' || \"notnull\") FROM pragma_table_info('" + table +
               "') WHERE name <> 'id'");
}

}  // namespace

TEST_CASE("sqlite expand: NOT NULL columns without a default, renamed, retyped and dropped",
          "[e2e][expand]") {
  SqliteWindow w(base());
  OpenConnection app(w.p.db());
  w.plan_and_expand(
      "table: users\noperations:\n"
      "  - rename_column: {from: email, to: mail}\n"
      "  - change_type: {column: cents, to: amount, type: REAL, up: \"cents / 100.0\", down: "
      "\"CAST(round(amount * 100) AS INTEGER)\"}\n"
      "  - drop_column: {column: tag, down: \"'v2'\"}\n"
      "  - add_unique: {name: users_mail_key, columns: [mail]}\n");
  // The window: the old columns nullable in the live table, NOT NULL in its copy.
  CHECK(not_null(w, "users") == "email:0,cents:0,tag:0,note:0,mail:0,amount:0");
  CHECK(not_null(w, "migrate_new_users") == "mail:1,amount:1,note:0");
  CHECK(w.one("SELECT count(*) FROM migrate_new_users") == "30");
  // Both versions write through the connection opened before the expand.
  REQUIRE(app.exec("INSERT INTO users (email, cents, tag) VALUES ('old@x', 250, 'o');") == "");
  REQUIRE(app.exec("INSERT INTO users (mail, amount) VALUES ('new@x', 1.5);") == "");
  REQUIRE(app.exec("UPDATE users SET mail = 'new2@x' WHERE mail = 'new@x';") == "");
  CHECK(w.one("SELECT email || ',' || cents || ',' || tag FROM users WHERE mail = 'new2@x'") ==
        "new2@x,150,v2");
  CHECK(w.one("SELECT mail || ',' || amount FROM migrate_new_users WHERE id = (SELECT id FROM "
              "users WHERE email = 'old@x')") == "old@x,2.5");
  // A NULL either version writes fails, as NOT NULL did before the window.
  CHECK_THAT(w.exec("INSERT INTO users (email, cents, tag) VALUES (NULL, 1, 'o');"),
             Contains("NOT NULL constraint failed: migrate_new_users.mail"));
  CHECK_THAT(w.exec("INSERT INTO users (mail) VALUES ('z@x');"),
             Contains("NOT NULL constraint failed: migrate_new_users.amount"));
  // The plan's unique index is on the copy from the backfill on: enforced in the window.
  CHECK(w.one("SELECT tbl_name FROM sqlite_schema WHERE name = 'users_mail_key'") ==
        "migrate_new_users");
  CHECK_THAT(w.exec("INSERT INTO users (email, cents, tag) VALUES ('u1@x', 1, 'o');"),
             Contains("UNIQUE constraint failed: migrate_new_users.mail"));
  const std::string rows = w.one("SELECT count(*) FROM users");
  CHECK(rows == "32");

  REQUIRE_THAT(w.run({"upgrade", "heads", "--contract"}), ExitedWith(0));
  CHECK(w.columns("users") == "id,mail,amount,note");
  CHECK(not_null(w, "users") == "mail:1,amount:1,note:0");
  CHECK(w.one("SELECT count(*) FROM users") == rows);
  CHECK(w.one("SELECT sql FROM sqlite_schema WHERE name = 'users_email_idx'") ==
        "CREATE INDEX users_email_idx ON users (mail)");
  CHECK(w.one("SELECT tbl_name FROM sqlite_schema WHERE name = 'users_mail_key'") == "users");
  CHECK(w.one("PRAGMA integrity_check") == "ok");
  CHECK_THAT(app.exec("INSERT INTO users (amount) VALUES (1);"),
             Contains("NOT NULL constraint failed: users.mail"));

  // The contract undone: the window again, the old version writing.
  REQUIRE_THAT(w.run({"downgrade", "b_backfill"}), ExitedWith(0));
  CHECK(w.columns("users") == "id,email,cents,tag,note,mail,amount");
  CHECK(not_null(w, "users") == "email:0,cents:0,tag:0,note:0,mail:0,amount:0");
  CHECK(w.one("SELECT email || ',' || cents || ',' || tag FROM users WHERE mail = 'old@x'") ==
        "old@x,250,v2");
  REQUIRE(app.exec("INSERT INTO users (email, cents, tag) VALUES ('old2@x', 300, 'o');") == "");
  // The expand undone: NOT NULL back, in the very text the table had.
  REQUIRE_THAT(w.run({"downgrade", "a1"}), ExitedWith(0));
  CHECK(w.one("SELECT sql FROM sqlite_schema WHERE name = 'users'") == kUsers);
  CHECK(w.sync_triggers() == "0");
  CHECK(w.one("PRAGMA integrity_check") == "ok");
  CHECK_THAT(app.exec("INSERT INTO users (cents, tag) VALUES (1, 't');"),
             Contains("NOT NULL constraint failed: users.email"));
}

TEST_CASE("sqlite expand: its downgrade refuses while a relaxed column holds NULL",
          "[e2e][expand]") {
  SqliteWindow w(base());
  w.plan_and_expand("table: users\noperations:\n  - drop_column: {column: tag, down: \"'v2'\"}\n");
  // Without the trigger that fills it (dropped by hand), a row keeps a NULL tag.
  REQUIRE(w.exec("DROP TRIGGER migrate_sync_users_insert;\n"
                 "INSERT INTO users (email, cents) VALUES ('n@x', 1);") == "");
  auto d = w.run({"downgrade", "a1"});
  CHECK_THAT(d, ExitedWith(1));
  CHECK_THAT(d.err, Contains("downgrade of the expand of main.users refused: rows hold NULL in "
                             "tag, which is NOT NULL again without the window; fill them first: "
                             "1 row(s)"));
  CHECK(w.p.version() == V{"b_expand"});
  CHECK(not_null(w, "users") == "email:1,cents:1,tag:0,note:0");
  REQUIRE(w.exec("UPDATE users SET tag = 'x' WHERE tag IS NULL;") == "");
  REQUIRE_THAT(w.run({"downgrade", "a1"}), ExitedWith(0));
  CHECK(not_null(w, "users") == "email:1,cents:1,tag:1,note:0");
  CHECK(w.one("SELECT count(*) FROM sqlite_schema WHERE name = 'migrate_new_users'") == "0");
  CHECK(w.sync_triggers() == "0");
}
