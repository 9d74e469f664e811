// The SQLite backend on real database files: steps, version and history
// tables, foreign keys, non-transactional steps, stamp, read-only opens and
// the run lock.
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "backend/backend.h"
#include "db/database.h"
#include "support/test_support.h"
#include "util/error.h"

using migrate::Error;
using migrate::db::Database;
using migrate::db::StepSpec;
using migrate::graph::VersionOp;
using testsupport::error_of;
using testsupport::sqlite_rows;
using testsupport::TempDir;
using Rows = std::vector<std::string>;

namespace {

std::string url_for(const std::string& path) { return "sqlite:///" + path; }

std::unique_ptr<Database> open_db(const std::string& path, bool create = true) {
  return migrate::backend::open_database(url_for(path), {}, "", create);
}

VersionOp insert(const std::string& to) { return {VersionOp::kInsert, "", to}; }
VersionOp update(const std::string& from, const std::string& to) {
  return {VersionOp::kUpdate, from, to};
}
VersionOp drop(const std::string& from) { return {VersionOp::kDelete, from, ""}; }

StepSpec step(const std::string& rev, const std::string& sql, std::vector<VersionOp> ops,
              int first_line = 1) {
  StepSpec s;
  s.revision = rev;
  s.sql = sql;
  s.file = "versions/" + rev + "_x.sql";
  s.first_line = first_line;
  s.version_ops = std::move(ops);
  s.checksum = "sum-" + rev;
  return s;
}

Rows history_rows(const std::string& path) {
  return sqlite_rows(
      path, "SELECT revision, direction, checksum, status FROM migrate_history ORDER BY id");
}

Rows tables_of(const std::string& path) {
  return sqlite_rows(path,
                     "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                     "'sqlite_%' ORDER BY name");
}

}  // namespace

TEST_CASE("ensure_tables creates both tables, idempotently", "[sqlite][database]") {
  TempDir dir;
  std::string path = dir / "app.db";
  auto db = open_db(path);
  db->ensure_tables();
  db->ensure_tables();
  open_db(path)->ensure_tables();
  CHECK(tables_of(path) == Rows{"migrate_history", "migrate_version"});
  auto cols = sqlite_rows(
      path, "SELECT name, type, \"notnull\", pk FROM pragma_table_info('migrate_version')");
  CHECK(cols == Rows{"version_num|VARCHAR(64)|1|1"});
  CHECK(db->current_heads().empty());
  CHECK(db->describe() == url_for(path));
}

TEST_CASE("a step commits its statements, version op and history row together",
          "[sqlite][database]") {
  TempDir dir;
  std::string path = dir / "app.db";
  auto db = open_db(path);
  db->ensure_tables();
  // The INSERT is prepared only after the CREATE ran.
  db->run_step(step("a1",
                    "CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INT);\n"
                    "INSERT INTO accounts VALUES (1, 100);\n",
                    {insert("a1")}),
               {});
  db->run_step(step("b2", "ALTER TABLE accounts ADD COLUMN owner TEXT;", {update("a1", "b2")}),
               {"a1"});
  CHECK(db->current_heads() == Rows{"b2"});
  CHECK(sqlite_rows(path, "SELECT * FROM accounts") == Rows{"1|100|NULL"});
  CHECK(history_rows(path) == Rows{"a1|upgrade|sum-a1|ok", "b2|upgrade|sum-b2|ok"});

  auto h = db->history();
  REQUIRE(h.size() == 2);
  CHECK(h[0].id < h[1].id);
  CHECK_THAT(h[0].started_at, Catch::Matches(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"));
  CHECK_THAT(h[0].applied_by, Catch::Contains("@"));
  REQUIRE(h[0].duration_ms);
  CHECK(*h[0].duration_ms >= 0);

  auto down = step("b2", "ALTER TABLE accounts DROP COLUMN owner;", {update("b2", "a1")});
  down.upgrade = false;
  db->run_step(down, {"b2"});
  CHECK(db->current_heads() == Rows{"a1"});
  CHECK(history_rows(path).back() == "b2|downgrade|sum-b2|ok");
}

TEST_CASE("a failing statement rolls back its whole step and names file:line",
          "[sqlite][database]") {
  TempDir dir;
  std::string path = dir / "app.db";
  auto db = open_db(path);
  db->run_step(step("a1", "CREATE TABLE accounts (id INTEGER);", {insert("a1")}), {});
  std::string sql =
      "CREATE TABLE audit (id INTEGER);\n"  // 10
      "INSERT INTO audit VALUES (1);\n"     // 11
      "-- a comment\n"                      // 12
      "INSERT INTO acounts\n"               // 13
      "  VALUES (2);\n";                    // 14
  std::string msg =
      error_of([&] { db->run_step(step("b2", sql, {update("a1", "b2")}, 10), {"a1"}); });
  CHECK_THAT(msg, Catch::StartsWith(
                      "versions/b2_x.sql:13: step b2 (upgrade) failed: no such table: acounts"));
  CHECK_THAT(msg, Catch::Contains("\n  in: INSERT INTO acounts ..."));
  // Earlier steps stay; nothing of the failed one does, not even a history row.
  CHECK(db->current_heads() == Rows{"a1"});
  CHECK(tables_of(path) == Rows{"accounts", "migrate_history", "migrate_version"});
  CHECK(history_rows(path) == Rows{"a1|upgrade|sum-a1|ok"});

  // A runtime error (not a prepare error) is reported the same way.
  std::string msg2 = error_of([&] {
    db->run_step(
        step("c3",
             "CREATE TABLE u (x UNIQUE);\nINSERT INTO u VALUES (1);\nINSERT INTO u VALUES (1);",
             {update("a1", "c3")}),
        {"a1"});
  });
  CHECK_THAT(msg2,
             Catch::StartsWith(
                 "versions/c3_x.sql:3: step c3 (upgrade) failed: UNIQUE constraint failed: u.x"));
  CHECK_THAT(msg2, Catch::Contains("in: INSERT INTO u VALUES (1);"));
  CHECK(db->current_heads() == Rows{"a1"});
}

// The pragma is not undone by the rollback: a step that failed between
// `PRAGMA writable_schema = ON` and its RESET (expand/contract's NOT NULL
// relax does this on SQLite) left the connection able to rewrite
// sqlite_schema in whatever ran on it next.
TEST_CASE("a failed step leaves no writable_schema behind on its connection",
          "[sqlite][database]") {
  TempDir dir;
  std::string path = dir / "app.db";
  auto db = open_db(path);
  db->run_step(step("a1", "CREATE TABLE t (id INTEGER);", {insert("a1")}), {});
  CHECK_THAT(error_of([&] {
               db->run_step(step("b2", "PRAGMA writable_schema = ON;\nINSERT INTO nope VALUES (1);",
                                 {update("a1", "b2")}),
                            {"a1"});
             }),
             Catch::Contains("no such table: nope"));
  CHECK_THAT(error_of([&] {
               db->run_step(step("c3", "UPDATE sqlite_schema SET sql = sql WHERE 0;",
                                 {update("a1", "c3")}),
                            {"a1"});
             }),
             Catch::Contains("may not be modified"));
  CHECK(db->current_heads() == Rows{"a1"});
}

TEST_CASE("triggers, queries and comment-only tails run as SQLite reads them",
          "[sqlite][database]") {
  TempDir dir;
  std::string path = dir / "app.db";
  auto db = open_db(path);
  std::string sql =
      "CREATE TABLE t (x);\n"                                 // 1
      "CREATE TABLE log (msg TEXT);\n"                        // 2
      "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN\n"        // 3
      "  INSERT INTO log VALUES ('saw; ' || new.x);\n"        // 4
      "END;\n"                                                // 5
      "SELECT * FROM sqlite_master; PRAGMA table_info(t);\n"  // 6
      "INSERT INTO t VALUES (1); -- trailing; comment\n"      // 7
      "/* a closing comment; */\n";                           // 8
  db->run_step(step("a1", sql, {insert("a1")}), {});
  CHECK(sqlite_rows(path, "SELECT msg FROM log") == Rows{"saw; 1"});
  std::string msg = error_of([&] {
    db->run_step(step("b2",
                      "INSERT INTO t VALUES (2);\nCREATE TRIGGER t_ins AFTER INSERT ON t BEGIN\n  "
                      "SELECT 1;\nEND;",
                      {update("a1", "b2")}),
                 {"a1"});
  });
  CHECK_THAT(msg,
             Catch::StartsWith(
                 "versions/b2_x.sql:2: step b2 (upgrade) failed: trigger t_ins already exists"));
  CHECK(sqlite_rows(path, "SELECT count(*) FROM log") == Rows{"1"});
}

TEST_CASE("every version update and delete must touch one row", "[sqlite][database]") {
  TempDir dir;
  std::string path = dir / "app.db";
  auto db = open_db(path);
  db->run_step(step("a1", "CREATE TABLE t (x);", {insert("a1")}), {});
  std::string msg = error_of(
      [&] { db->run_step(step("b2", "CREATE TABLE u (x);", {update("zz", "b2")}), {"a1"}); });
  CHECK_THAT(msg, Catch::Contains("'zz'"));
  CHECK_THAT(msg, Catch::Contains("migrate_version"));
  CHECK_THAT(msg, Catch::Contains("touched 0 rows"));
  CHECK(tables_of(path) == Rows{"migrate_history", "migrate_version", "t"});
  CHECK(db->current_heads() == Rows{"a1"});

  std::string del = error_of([&] { db->run_step(step("a1", "", {drop("nope")}), {"a1"}); });
  CHECK_THAT(del, Catch::Contains("DELETE of version_num 'nope'"));
  CHECK(db->current_heads() == Rows{"a1"});
}

TEST_CASE("a step refuses to run when the version table moved", "[sqlite][database]") {
  TempDir dir;
  std::string path = dir / "app.db";
  auto db = open_db(path);
  db->run_step(step("a1", "CREATE TABLE t (x);", {insert("a1")}), {});
  // Another run got there first: the plan expected an empty table.
  std::string msg =
      error_of([&] { db->run_step(step("a1", "CREATE TABLE t2 (x);", {insert("a1")}), {}); });
  CHECK_THAT(msg, Catch::Contains("changed"));
  CHECK_THAT(msg, Catch::Contains("another migrate run?"));
  CHECK_THAT(msg, Catch::Contains("expected [] (empty), found [a1]"));
  CHECK(tables_of(path) == Rows{"migrate_history", "migrate_version", "t"});
  CHECK(history_rows(path) == Rows{"a1|upgrade|sum-a1|ok"});
  // Heads compare as sets.
  db->run_step(step("b2", "", {insert("b2")}), {"a1"});
  db->run_step(step("c3", "", {drop("a1"), update("b2", "c3")}), {"b2", "a1"});
  CHECK(db->current_heads() == Rows{"c3"});
}

namespace {

// Changes the database behind the backend's back, as another program would.
void exec_raw(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
  REQUIRE(msg.empty());
}

}  // namespace

TEST_CASE("a chain step checks the whole version table with its update", "[sqlite][database]") {
  // Along a chain the expected-heads check is folded into the version
  // update; it must refuse every table that is not exactly the expected one.
  TempDir dir;
  std::string path = dir / "app.db";
  auto db = open_db(path);
  db->run_step(step("a1", "CREATE TABLE t (x);", {insert("a1")}), {});
  db->run_step(step("b2", "CREATE TABLE u (x);", {update("a1", "b2")}), {"a1"});
  CHECK(db->current_heads() == Rows{"b2"});

  SECTION("an extra row beside the expected head") {
    exec_raw(path, "INSERT INTO migrate_version VALUES ('x9')");
    std::string msg = error_of(
        [&] { db->run_step(step("c3", "CREATE TABLE v (x);", {update("b2", "c3")}), {"b2"}); });
    CHECK_THAT(msg, Catch::Contains("expected [b2], found [b2, x9]"));
    CHECK_THAT(msg, Catch::Contains("step c3 (upgrade) was not run"));
    CHECK(db->current_heads() == Rows{"b2", "x9"});
    // Going down to base along the chain is a folded DELETE: refused too.
    std::string down = error_of([&] { db->run_step(step("b2", "", {drop("b2")}), {"b2"}); });
    CHECK_THAT(down, Catch::Contains("expected [b2], found [b2, x9]"));
  }
  SECTION("another head instead of the expected one") {
    exec_raw(path, "UPDATE migrate_version SET version_num = 'z9'");
    std::string msg = error_of(
        [&] { db->run_step(step("c3", "CREATE TABLE v (x);", {update("b2", "c3")}), {"b2"}); });
    CHECK_THAT(msg, Catch::Contains("expected [b2], found [z9]"));
    CHECK(db->current_heads() == Rows{"z9"});
  }
  SECTION("an empty table") {
    exec_raw(path, "DELETE FROM migrate_version");
    std::string msg = error_of(
        [&] { db->run_step(step("c3", "CREATE TABLE v (x);", {update("b2", "c3")}), {"b2"}); });
    CHECK_THAT(msg, Catch::Contains("expected [b2], found [] (empty)"));
    CHECK(db->current_heads().empty());
  }
  // Whatever was refused ran nothing and recorded nothing.
  CHECK(tables_of(path) == Rows{"migrate_history", "migrate_version", "t", "u"});
  CHECK(history_rows(path) == Rows{"a1|upgrade|sum-a1|ok", "b2|upgrade|sum-b2|ok"});
}

TEST_CASE("chain steps down and up keep the version table exact", "[sqlite][database]") {
  TempDir dir;
  std::string path = dir / "app.db";
  auto db = open_db(path);
  db->run_step(step("a1", "CREATE TABLE t (x);", {insert("a1")}), {});
  db->run_step(step("b2", "CREATE TABLE u (x);", {update("a1", "b2")}), {"a1"});
  StepSpec down = step("b2", "DROP TABLE u;", {update("b2", "a1")});
  down.upgrade = false;
  db->run_step(down, {"b2"});
  CHECK(db->current_heads() == Rows{"a1"});
  StepSpec base = step("a1", "DROP TABLE t;", {drop("a1")});
  base.upgrade = false;
  db->run_step(base, {"a1"});
  CHECK(db->current_heads().empty());
  CHECK(tables_of(path) == Rows{"migrate_history", "migrate_version"});
  // A new branch beside a stored head is no chain step: checked in full.
  db->run_step(step("a1", "", {insert("a1")}), {});
  db->run_step(step("k1", "", {insert("k1")}), {"a1"});
  CHECK(db->current_heads() == Rows{"a1", "k1"});
  std::string msg = error_of([&] { db->run_step(step("m1", "", {insert("m1")}), {"a1"}); });
  CHECK_THAT(msg, Catch::Contains("expected [a1], found [a1, k1]"));
}

TEST_CASE("a step that breaks foreign keys rolls back", "[sqlite][database]") {
  TempDir dir;
  std::string path = dir / "app.db";
  auto db = open_db(path);
  db->run_step(step("a1",
                    "CREATE TABLE customers (id INTEGER PRIMARY KEY);\n"
                    "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INT REFERENCES "
                    "customers(id));\n"
                    "INSERT INTO customers VALUES (1);\n"
                    "INSERT INTO orders VALUES (7, 1);\n",
                    {insert("a1")}),
               {});
  std::string msg = error_of(
      [&] { db->run_step(step("b2", "DELETE FROM customers;", {update("a1", "b2")}), {"a1"}); });
  CHECK_THAT(msg, Catch::Contains("step b2 (upgrade) failed: 1 foreign key violation"));
  CHECK_THAT(msg, Catch::Contains("orders rowid 7 references a missing row in customers"));
  CHECK(sqlite_rows(path, "SELECT count(*) FROM customers") == Rows{"1"});
  CHECK(db->current_heads() == Rows{"a1"});
}

TEST_CASE("foreign keys made before the run are checked by steps that never name them",
          "[sqlite][database]") {
  // The check is skipped only while the database has no foreign key at all;
  // here they come from outside, and the breaking step's SQL does not say
  // REFERENCES.
  TempDir dir;
  std::string path = dir / "app.db";
  exec_raw(path,
           "CREATE TABLE customers (id INTEGER PRIMARY KEY);\n"
           "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INT,\n"
           "  FOREIGN KEY (customer_id) REFERENCES customers(id));\n"
           "INSERT INTO customers VALUES (1);\n"
           "INSERT INTO orders VALUES (7, 1);\n");
  auto db = open_db(path);
  db->run_step(step("a1", "CREATE TABLE t (x);", {insert("a1")}), {});
  std::string msg = error_of(
      [&] { db->run_step(step("b2", "DELETE FROM customers;", {update("a1", "b2")}), {"a1"}); });
  CHECK_THAT(msg, Catch::Contains("orders rowid 7 references a missing row in customers"));
  CHECK(sqlite_rows(path, "SELECT count(*) FROM customers") == Rows{"1"});
  CHECK(db->current_heads() == Rows{"a1"});
}

TEST_CASE("a foreign key declared by a later step is checked from then on", "[sqlite][database]") {
  TempDir dir;
  std::string path = dir / "app.db";
  auto db = open_db(path);
  db->run_step(step("a1", "CREATE TABLE customers (id INTEGER PRIMARY KEY);", {insert("a1")}), {});
  // Lower case, and added by ALTER TABLE.
  db->run_step(step("b2",
                    "CREATE TABLE orders (id INTEGER PRIMARY KEY);\n"
                    "ALTER TABLE orders ADD COLUMN customer_id INT references customers(id);\n"
                    "INSERT INTO customers VALUES (1);\n"
                    "INSERT INTO orders VALUES (7, 1);\n",
                    {update("a1", "b2")}),
               {"a1"});
  std::string msg = error_of(
      [&] { db->run_step(step("c3", "DELETE FROM customers;", {update("b2", "c3")}), {"b2"}); });
  CHECK_THAT(msg, Catch::Contains("1 foreign key violation"));
  CHECK(db->current_heads() == Rows{"b2"});
}

TEST_CASE("a foreign key failure says when the violations predate the step", "[sqlite][database]") {
  TempDir dir;
  std::string path = dir / "app.db";
  auto db = open_db(path);
  // SQLite enforces nothing unless asked: old databases can hold dangling
  // references that every later check will see.
  db->run_step(step("a1",
                    "CREATE TABLE customers (id INTEGER PRIMARY KEY);\n"
                    "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INT REFERENCES "
                    "customers(id));\n",
                    {insert("a1")}),
               {});
  auto dangling = step("b2", "INSERT INTO orders VALUES (1, 42);", {update("a1", "b2")});
  dangling.transactional = false;
  db->run_step(dangling, {"a1"});
  std::string msg = error_of(
      [&] { db->run_step(step("c3", "CREATE TABLE x (y);", {update("b2", "c3")}), {"b2"}); });
  CHECK_THAT(msg, Catch::Contains("orders rowid 1 references a missing row in customers"));
  CHECK_THAT(msg, Catch::Contains("note: the database already had 1 foreign key violation"));
  CHECK(db->current_heads() == Rows{"b2"});
}

TEST_CASE("a step waits for another connection's write lock", "[sqlite][database]") {
  TempDir dir;
  std::string path = dir / "app.db";
  auto db = open_db(path);
  db->ensure_tables();
  // A plain connection, as an application would hold one, keeps the write
  // lock for a moment; the step waits (busy timeout) instead of failing.
  sqlite3* other = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &other) == SQLITE_OK);
  REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE; CREATE TABLE app (x);", nullptr, nullptr,
                       nullptr) == SQLITE_OK);
  std::thread committer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
  });
  db->run_step(step("a1", "INSERT INTO app VALUES (1);", {insert("a1")}), {});
  committer.join();
  sqlite3_close(other);
  CHECK(sqlite_rows(path, "SELECT x FROM app") == Rows{"1"});
}

TEST_CASE("a table rebuild with foreign keys pointing at it succeeds", "[sqlite][database]") {
  TempDir dir;
  std::string path = dir / "app.db";
  auto db = open_db(path);
  db->run_step(
      step("a1",
           "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);\n"
           "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INT REFERENCES parent(id) "
           "ON DELETE CASCADE);\n"
           "INSERT INTO parent VALUES (1, 'p');\n"
           "INSERT INTO child VALUES (10, 1);\n",
           {insert("a1")}),
      {});
  // Enforcement on for this connection, as an application would have it:
  // without the step's guard, DROP TABLE parent would cascade into child.
  auto on = step("b2", "PRAGMA foreign_keys = ON;", {update("a1", "b2")});
  on.transactional = false;
  db->run_step(on, {"a1"});

  db->run_step(
      step("c3",
           "CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');\n"
           "INSERT INTO parent_new SELECT id, name FROM parent;\n"
           "DROP TABLE parent;\n"
           "ALTER TABLE parent_new RENAME TO parent;\n",
           {update("b2", "c3")}),
      {"b2"});
  CHECK(sqlite_rows(path, "SELECT * FROM child") == Rows{"10|1"});
  CHECK(sqlite_rows(path, "PRAGMA foreign_key_check").empty());
  CHECK(db->current_heads() == Rows{"c3"});

  // The connection's setting is back on after the step: outside a
  // transactional step, a dangling reference is refused at once.
  auto bad = step("d4", "INSERT INTO child VALUES (11, 99);", {update("c3", "d4")});
  bad.transactional = false;
  CHECK_THAT(error_of([&] { db->run_step(bad, {"c3"}); }),
             Catch::Contains("FOREIGN KEY constraint failed"));
}

TEST_CASE("a transactional step may not end its own transaction", "[sqlite][database]") {
  TempDir dir;
  std::string path = dir / "app.db";
  auto db = open_db(path);
  std::string msg = error_of([&] {
    db->run_step(step("a1", "CREATE TABLE t (x);\nCOMMIT;\nCREATE TABLE u (x);", {insert("a1")}),
                 {});
  });
  CHECK_THAT(msg, Catch::Contains("versions/a1_x.sql:2: step a1 (upgrade) failed: BEGIN, COMMIT"));
  CHECK_THAT(msg, Catch::Contains("transactional: false"));
  // The tables were created in the failed step's transaction: gone with it.
  CHECK(tables_of(path) == Rows{});
  // Savepoints are fine.
  db->run_step(
      step("a1", "SAVEPOINT s; CREATE TABLE t (x); ROLLBACK TO s; RELEASE s;", {insert("a1")}), {});
  CHECK(tables_of(path) == Rows{"migrate_history", "migrate_version"});
  CHECK(db->current_heads() == Rows{"a1"});
}

TEST_CASE("non-transactional steps run in autocommit", "[sqlite][database]") {
  TempDir dir;
  std::string path = dir / "app.db";
  auto db = open_db(path);
  auto ok = step("a1", "CREATE TABLE t (x);\nVACUUM;\nINSERT INTO t VALUES (1);", {insert("a1")});
  ok.transactional = false;
  db->run_step(ok, {});
  CHECK(db->current_heads() == Rows{"a1"});
  CHECK(history_rows(path) == Rows{"a1|upgrade|sum-a1|ok"});

  auto bad = step("b2", "CREATE TABLE u (x);\n\nINSERT INTO nope VALUES (1);\nCREATE TABLE v (x);",
                  {update("a1", "b2")});
  bad.transactional = false;
  std::string msg = error_of([&] { db->run_step(bad, {"a1"}); });
  CHECK_THAT(
      msg, Catch::StartsWith("versions/b2_x.sql:3: step b2 (upgrade) failed: no such table: nope"));
  // What ran before the failure stays: there was no transaction to undo it.
  CHECK(tables_of(path) == Rows{"migrate_history", "migrate_version", "t", "u"});
  CHECK(db->current_heads() == Rows{"a1"});
  CHECK(history_rows(path) == Rows{"a1|upgrade|sum-a1|ok", "b2|upgrade|sum-b2|failed"});

  auto open_tx = step("c3", "BEGIN; CREATE TABLE w (x);", {update("a1", "c3")});
  open_tx.transactional = false;
  CHECK_THAT(error_of([&] { db->run_step(open_tx, {"a1"}); }),
             Catch::Contains("left a transaction open"));
  CHECK(db->current_heads() == Rows{"a1"});
}

TEST_CASE("stamp changes only the version table, recorded in history (removals as unstamp)",
          "[sqlite][database]") {
  TempDir dir;
  std::string path = dir / "app.db";
  auto db = open_db(path);
  db->stamp({insert("a1"), insert("b2")}, {});
  CHECK(db->current_heads() == Rows{"a1", "b2"});
  db->stamp({drop("a1"), update("b2", "c3")}, {"b2", "a1"});
  CHECK(db->current_heads() == Rows{"c3"});
  CHECK(sqlite_rows(path,
                    "SELECT revision, direction, checksum IS NULL, status FROM migrate_history") ==
        Rows{"a1|stamp|1|ok", "b2|stamp|1|ok", "a1|unstamp|1|ok", "b2|unstamp|1|ok",
             "c3|stamp|1|ok"});
  CHECK_THAT(error_of([&] { db->stamp({insert("x")}, {}); }), Catch::Contains("found [c3]"));
  CHECK_THAT(error_of([&] { db->stamp({update("zz", "x")}, {"c3"}); }),
             Catch::Contains("touched 0 rows"));
  CHECK(db->current_heads() == Rows{"c3"});
  CHECK(db->history().size() == 5);
}

TEST_CASE("reading never creates tables or files", "[sqlite][database]") {
  TempDir dir;
  SECTION("existing file without tables") {
    std::string path = dir / "app.db";
    testsupport::write_file(path, "");
    auto db = open_db(path, false);
    CHECK(db->current_heads().empty());
    CHECK(db->history().empty());
    CHECK(tables_of(path).empty());
  }
  SECTION("missing file, opened read-only") {
    std::string path = dir / "missing.db";
    auto db = open_db(path, false);
    CHECK(db->current_heads().empty());
    CHECK(db->history().empty());
    { auto lock = db->lock(std::chrono::milliseconds(0)); }
    CHECK_THAT(error_of([&] { db->ensure_tables(); }), Catch::Contains("no such database file"));
    CHECK_THAT(error_of([&] { db->run_step(step("a1", "", {insert("a1")}), {}); }),
               Catch::Contains("no such database file"));
    CHECK(std::filesystem::is_empty(dir.path()));
  }
  SECTION("missing directory") {
    CHECK_THAT(error_of([&] { open_db(dir / "no/such/dir/app.db"); }),
               Catch::Contains("directory " + (dir / "no/such/dir") + " does not exist"));
  }
}

TEST_CASE("in-memory databases work and need no lock", "[sqlite][database]") {
  auto db = migrate::backend::open_database("sqlite:///:memory:", {});
  auto lock = db->lock(std::chrono::milliseconds(0));
  db->run_step(step("a1", "CREATE TABLE t (x);", {insert("a1")}), {});
  CHECK(db->current_heads() == Rows{"a1"});
  CHECK(db->history().size() == 1);
}

TEST_CASE("custom table names are quoted", "[sqlite][database]") {
  TempDir dir;
  std::string path = dir / "app.db";
  migrate::db::TableNames names;
  names.version_table = "my versions";
  names.history_table = "my-history";
  auto db = migrate::backend::open_database(url_for(path), names);
  db->run_step(step("a1", "", {insert("a1")}), {});
  CHECK(sqlite_rows(path, "SELECT version_num FROM \"my versions\"") == Rows{"a1"});
  CHECK(sqlite_rows(path, "SELECT revision FROM \"my-history\"") == Rows{"a1"});
}

TEST_CASE("the run lock makes a second run wait, then time out", "[sqlite][database][lock]") {
  TempDir dir;
  std::string path = dir / "app.db";
  auto first = open_db(path);
  // A file that does not exist yet takes no lock (nothing can be in it).
  CHECK(first->lock(std::chrono::milliseconds(0)) != nullptr);
  CHECK(!std::filesystem::exists(path + ".migrate-lock"));
  REQUIRE(first->create_if_absent());
  auto second = open_db(path);
  auto held = first->lock(std::chrono::milliseconds(0));
  CHECK(std::filesystem::exists(path + ".migrate-lock"));

  auto t0 = std::chrono::steady_clock::now();
  std::string msg = error_of([&] { second->lock(std::chrono::milliseconds(200)); });
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(200));
  CHECK_THAT(msg, Catch::Contains("another migrate run holds the lock"));
  CHECK_THAT(msg, Catch::Contains("held by pid " + std::to_string(getpid())));
  CHECK_THAT(msg, Catch::Contains("waiting 0.2 s"));
  CHECK_THAT(msg, Catch::Contains(path + ".migrate-lock"));

  held.reset();
  auto mine = second->lock(std::chrono::milliseconds(0));
  // The file stays (deleting it would race), but says nothing stale.
  mine.reset();
  CHECK(std::filesystem::exists(path + ".migrate-lock"));
  CHECK(testsupport::read_file(path + ".migrate-lock").empty());
}

TEST_CASE("a waiting run gets the lock once the holder releases it", "[sqlite][database][lock]") {
  TempDir dir;
  std::string path = dir / "app.db";
  auto first = open_db(path);
  REQUIRE(first->create_if_absent());
  auto held = first->lock(std::chrono::milliseconds(0));
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    held.reset();
  });
  auto second = open_db(path);
  auto t0 = std::chrono::steady_clock::now();
  auto mine = second->lock(std::chrono::seconds(10));
  auto waited = std::chrono::steady_clock::now() - t0;
  releaser.join();
  CHECK(waited >= std::chrono::milliseconds(250));
  CHECK(waited < std::chrono::seconds(5));
}

TEST_CASE("the run lock holds across processes", "[sqlite][database][lock]") {
  TempDir dir;
  std::string path = dir / "app.db";
  open_db(path)->ensure_tables();
  int ready[2];
  REQUIRE(pipe(ready) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    // Child: take the lock, tell the parent, hold it a while, run a step.
    int code = 0;
    try {
      auto db = open_db(path);
      auto lock = db->lock(std::chrono::milliseconds(0));
      [[maybe_unused]] ssize_t n = write(ready[1], "x", 1);
      std::this_thread::sleep_for(std::chrono::milliseconds(400));
      db->run_step(step("a1", "CREATE TABLE from_child (x);", {insert("a1")}), {});
    } catch (...) {
      code = 1;
    }
    _exit(code);
  }
  close(ready[1]);
  char c;
  REQUIRE(read(ready[0], &c, 1) == 1);
  close(ready[0]);
  auto db = open_db(path);
  CHECK_THAT(error_of([&] { db->lock(std::chrono::milliseconds(50)); }),
             Catch::Contains("held by pid " + std::to_string(pid)));
  auto lock = db->lock(std::chrono::seconds(10));
  // The holder finished its step before letting go: the waiter sees it.
  CHECK(db->current_heads() == Rows{"a1"});
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
