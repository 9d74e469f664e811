// The SQLite expand/contract planner without a database: what each phase
// holds (in-place ALTER TABLE, the sync triggers and their WHEN clauses, the
// contract's check and rename), and the refusals of what needs a rebuild.
#include <catch2/catch.hpp>

#include "expand/change.h"
#include "expand/plan.h"
#include "expand/sqlite_planner.h"
#include "expand/sqlite_relax.h"
#include "util/error.h"

using Catch::Matchers::Contains;
namespace schema = migrate::schema;
namespace expand = migrate::expand;

namespace {

schema::Column col(const std::string& name, const std::string& type, bool not_null = false,
                   const char* def = nullptr) {
  schema::Column c;
  c.name = name;
  c.type = type;
  c.not_null = not_null;
  if (def) c.default_expr = def;
  return c;
}

// main.users(id PK, email NOT NULL DEFAULT '', cents, phone, tag NOT NULL, note),
// an index on phone, a view reading tag and cents.
schema::Schema users() {
  schema::Schema s;
  s.dialect = migrate::config::DatabaseUrl::kSqlite;
  schema::Table t;
  t.name = {"main", "users"};
  t.columns = {col("id", "INTEGER", true), col("email", "TEXT", true, "''"),
               col("cents", "INTEGER"),    col("phone", "TEXT"),
               col("tag", "TEXT", true),   col("note", "TEXT")};
  t.sql =
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL DEFAULT '', cents INTEGER, "
      "phone TEXT, tag TEXT NOT NULL, note TEXT)";
  schema::Constraint pk;
  pk.kind = schema::ConstraintKind::PrimaryKey;
  pk.columns = {"id"};
  t.constraints.push_back(pk);
  schema::Index i;
  i.name = "users_phone_idx";
  i.table = t.name;
  i.columns = {"phone"};
  t.indexes.push_back(i);
  s.tables.push_back(t);
  schema::View v;
  v.name = {"main", "tags"};
  v.definition = "CREATE VIEW tags AS SELECT tag, cents FROM users";
  v.depends_on = {t.name};
  s.views.push_back(v);
  return s;
}

expand::Phases plan(const std::string& yaml) {
  static expand::Plan p;  // the Change points into it
  static schema::Schema s;
  p = expand::parse_plan(yaml, "PLAN.yaml");
  s = users();
  return expand::plan_sqlite(expand::analyse(p, s, "main"), s, "m");
}

std::string refusal(const std::string& yaml) {
  try {
    plan(yaml);
  } catch (const migrate::Error& e) {
    return e.what();
  }
  return "(not refused)";
}

}  // namespace

TEST_CASE("sqlite planner: a rename keeps both columns in step, the contract renames",
          "[expand][sqlite]") {
  auto p = plan("table: users\noperations:\n  - rename_column: {from: email, to: mail}\n");
  CHECK_THAT(p.expand.upgrade_sql, Contains("ALTER TABLE users ADD COLUMN mail TEXT;"));
  // The insert trigger acts only on a row out of step; NULL new = the old version wrote.
  CHECK_THAT(p.expand.upgrade_sql,
             Contains("CREATE TRIGGER migrate_sync_users_insert AFTER INSERT ON users FOR EACH "
                      "ROW\nWHEN NEW.mail IS NOT (NEW.email)\n"));
  CHECK_THAT(p.expand.upgrade_sql,
             Contains("mail = CASE WHEN NEW.mail IS NULL THEN (NEW.email) ELSE mail END"));
  // The update trigger: the new column changed = the new version wrote.
  CHECK_THAT(p.expand.upgrade_sql,
             Contains("email = CASE WHEN NEW.mail IS NOT OLD.mail AND NEW.mail IS NOT "
                      "(NEW.email) THEN (NEW.mail) ELSE email END"));
  CHECK_THAT(p.expand.upgrade_sql, Contains("WHERE id = NEW.id;"));
  CHECK_THAT(p.expand.downgrade_sql, Contains("DROP TRIGGER IF EXISTS migrate_sync_users_update;\n"
                                              "DROP TRIGGER IF EXISTS migrate_sync_users_insert;\n"
                                              "ALTER TABLE users DROP COLUMN mail;"));
  CHECK(p.backfill.header_lines.at(2) == "backfill:");
  CHECK_THAT(p.contract.upgrade_sql, Contains("contract refused: rows of main.users"));
  CHECK_THAT(p.contract.upgrade_sql, Contains("ALTER TABLE users DROP COLUMN mail;\n"
                                              "ALTER TABLE users RENAME COLUMN email TO mail;"));
  CHECK_THAT(p.contract.downgrade_sql, Contains("ALTER TABLE users RENAME COLUMN mail TO email;\n"
                                                "ALTER TABLE users ADD COLUMN mail TEXT;"));
}

TEST_CASE("sqlite planner: indexes go in the backfill, or after a rename in the contract",
          "[expand][sqlite]") {
  auto p = plan(
      "table: users\noperations:\n  - rename_column: {from: email, to: mail}\n"
      "  - create_index: {name: users_cents_idx, columns: [cents], where: \"cents > 0\"}\n"
      "  - add_unique: {name: users_mail_key, columns: [mail]}\n");
  CHECK_THAT(
      p.backfill.upgrade_sql,
      Contains("CREATE INDEX IF NOT EXISTS users_cents_idx ON users (cents) WHERE cents > 0;"));
  CHECK_THAT(p.backfill.upgrade_sql, !Contains("users_mail_key"));
  CHECK_THAT(p.contract.upgrade_sql,
             Contains("CREATE UNIQUE INDEX IF NOT EXISTS users_mail_key ON users (mail);"));
  CHECK_THAT(p.backfill.downgrade_sql, Contains("DROP INDEX IF EXISTS users_cents_idx;"));
}

TEST_CASE("sqlite planner: what SQLite cannot do in place is rebuilt online", "[expand][sqlite]") {
  auto p = plan(
      "table: users\noperations:\n  - drop_column: {column: phone}\n"
      "  - add_foreign_key: {name: fk, columns: [cents], references: {table: users, "
      "columns: [id]}}\n");
  CHECK_THAT(p.expand.upgrade_sql, Contains("-- Rebuilt online (add_foreign_key (PLAN.yaml:4))"));
  CHECK_THAT(
      p.expand.upgrade_sql,
      Contains("CREATE TABLE migrate_new_users (\n  id INTEGER PRIMARY KEY,\n  email TEXT NOT "
               "NULL DEFAULT '',\n  cents INTEGER,\n  tag TEXT NOT NULL,\n"));
  CHECK_THAT(p.expand.upgrade_sql,
             Contains("CONSTRAINT fk FOREIGN KEY (cents) REFERENCES users (id)\n)"));
  CHECK_THAT(p.expand.upgrade_sql, Contains("CREATE TRIGGER migrate_sync_users_mirror_delete AFTER "
                                            "DELETE ON users FOR EACH ROW"));
  CHECK_THAT(p.expand.downgrade_sql, Contains("DROP TABLE IF EXISTS migrate_new_users;"));
  CHECK_THAT(p.contract.upgrade_sql, Contains("DROP TABLE users;\nALTER TABLE migrate_new_users "
                                              "RENAME TO users;\n"));
  // The index over the dropped column goes with it; the view is made again.
  CHECK_THAT(p.contract.upgrade_sql, !Contains("users_phone_idx"));
  CHECK_THAT(p.contract.upgrade_sql, Contains("DROP VIEW tags;\nDROP TABLE users;"));
  CHECK_THAT(p.contract.upgrade_sql, Contains("CREATE VIEW tags AS SELECT tag, cents FROM users;"));
  // Without `down` for the dropped column the contract is not undone.
  CHECK_THAT(p.contract.downgrade_sql,
             Contains("downgrade of the contract of main.users refused: drop_column (PLAN.yaml:3) "
                      "has no `down`"));
}

TEST_CASE("sqlite planner: a rebuilt contract is undone by the swap run backwards",
          "[expand][sqlite]") {
  auto p = plan(
      "table: users\noperations:\n  - rename_column: {from: phone, to: tel}\n"
      "  - add_check: {name: tel_short, check: \"length(tel) < 20\"}\n"
      "  - create_index: {name: users_tel_idx, columns: [tel]}\n");
  const std::string& down = p.contract.downgrade_sql;
  // The final table is copied aside, the table made again as before the
  // expand (its own text), with the window's column, and filled from it.
  CHECK_THAT(down, Contains("INSERT INTO migrate_new_users (id, email, cents, tel, tag, note)\n"
                            "SELECT id, email, cents, tel, tag, note FROM users;"));
  CHECK_THAT(down, Contains("DROP VIEW IF EXISTS tags;\nDROP TABLE users;\nCREATE TABLE users "
                            "(id INTEGER PRIMARY KEY, email TEXT NOT NULL DEFAULT '', cents "
                            "INTEGER, phone TEXT, tag TEXT NOT NULL, note TEXT);\n"
                            "ALTER TABLE users ADD COLUMN tel TEXT;\n"));
  CHECK_THAT(down, Contains("INSERT INTO users (id, email, cents, phone, tag, note, tel)\n"
                            "SELECT id, email, cents, (tel), tag, note, tel FROM "
                            "migrate_new_users;"));
  CHECK_THAT(down, Contains("CREATE VIEW tags AS SELECT tag, cents FROM users;"));
  // The plan's index is where the backfill built it: on the rebuilt table.
  CHECK_THAT(down,
             Contains("CREATE INDEX IF NOT EXISTS users_tel_idx ON migrate_new_users (tel);"));
  CHECK_THAT(p.backfill.upgrade_sql,
             Contains("CREATE INDEX IF NOT EXISTS users_tel_idx ON migrate_new_users (tel);"));
  CHECK_THAT(p.backfill.downgrade_sql, Contains("DROP INDEX IF EXISTS users_tel_idx;"));
  CHECK_THAT(down, Contains("CREATE TRIGGER migrate_sync_users_insert AFTER INSERT ON users"));
  CHECK_THAT(down,
             Contains("CREATE TRIGGER migrate_sync_users_mirror_delete AFTER DELETE ON users"));
  // SQLite keeps what a renamed column had: no warning about its index.
  CHECK(p.warnings.empty());
}

TEST_CASE("sqlite planner: a NOT NULL column without a default is nullable in the window",
          "[expand][sqlite]") {
  auto p = plan("table: users\noperations:\n  - rename_column: {from: tag, to: label}\n");
  const std::string& up = p.expand.upgrade_sql;
  CHECK_THAT(up, Contains("-- Rebuilt online (rename_column (PLAN.yaml:3))"));
  const std::string before =
      "'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL DEFAULT '''', cents "
      "INTEGER, phone TEXT, tag TEXT NOT NULL, note TEXT)'";
  const std::string after =
      "'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL DEFAULT '''', cents "
      "INTEGER, phone TEXT, tag TEXT NULL, note TEXT)'";
  // Only when the stored text is the one planned from, then checked.
  CHECK_THAT(up, Contains("PRAGMA writable_schema = ON;\nUPDATE sqlite_schema SET sql = " + after +
                          "\nWHERE type = 'table' AND name = 'users' AND sql = " + before +
                          ";\nPRAGMA writable_schema = RESET;\n"));
  CHECK_THAT(up, Contains("expand refused: the CREATE TABLE text of main.users is not the one"));
  // The rebuilt table keeps NOT NULL.
  CHECK_THAT(up, Contains("  phone TEXT,\n  label TEXT NOT NULL,\n  note TEXT\n)"));
  // The new version's inserts get tag = down(row) from the trigger.
  CHECK_THAT(up, Contains("tag = CASE WHEN NEW.label IS NOT NULL AND NEW.label IS NOT (NEW.tag) "
                          "THEN (NEW.label) ELSE tag END"));
  const std::string& down = p.expand.downgrade_sql;
  CHECK_THAT(down, Contains("rows hold NULL in tag, which is NOT NULL again"));
  CHECK_THAT(down, Contains("UPDATE sqlite_schema SET sql = " + before +
                            "\nWHERE type = 'table' AND name = 'users' AND sql = " + after + ";"));
}

TEST_CASE("sqlite planner: NOT NULL is made nullable only where the column says it",
          "[expand][sqlite]") {
  const std::string sql =
      "CREATE TABLE t (\n  id INTEGER PRIMARY KEY,\n  \"a\" TEXT CONSTRAINT a_nn NOT NULL ON "
      "CONFLICT ABORT CHECK (a IS NOT NULL),\n  aa TEXT NOT /* x */ NULL,\n  b TEXT NOT NULL\n)";
  CHECK(migrate::expand::relax_not_null(sql, {"A", "aa"}) ==
        "CREATE TABLE t (\n  id INTEGER PRIMARY KEY,\n  \"a\" TEXT CONSTRAINT a_nn NULL ON "
        "CONFLICT ABORT CHECK (a IS NOT NULL),\n  aa TEXT NULL,\n  b TEXT NOT NULL\n)");
  // A column whose NOT NULL is not in the text (or that is not there) is
  // reported, each one, so the planner refuses its operation even when
  // another column could be relaxed.
  std::vector<std::string> uncut;
  migrate::expand::relax_not_null(sql, {"aa", "zz", "id"}, &uncut);
  CHECK(uncut == std::vector<std::string>{"zz", "id"});
}

TEST_CASE("sqlite planner: what no rebuild makes safe is refused with the plan's line",
          "[expand][sqlite]") {
  CHECK_THAT(refusal("table: users\noperations:\n  - change_type: {column: cents, to: c2, type: "
                     "REAL, up: \"cents\", down: \"c2\"}\n"),
             Contains("PLAN.yaml:3: change_type on SQLite of column cents, which view tags reads"));
}

TEST_CASE("sqlite planner: a contract without down refuses its downgrade", "[expand][sqlite]") {
  auto p = plan(
      "table: users\noperations:\n  - change_type: {column: note, to: amount, type: "
      "REAL, up: \"note / 100.0\"}\n");
  CHECK_THAT(p.contract.upgrade_sql, Contains("ALTER TABLE users DROP COLUMN note;"));
  CHECK_THAT(p.contract.downgrade_sql,
             Contains("downgrade of the contract of main.users refused: change_type (PLAN.yaml:3) "
                      "has no `down`"));
  // Without down the new version's writes leave the old column NULL.
  CHECK_THAT(p.expand.upgrade_sql, Contains("THEN NULL ELSE note END"));
}
