// The SQLite schema-diff corpus: pairs of schemas A and B, each checked both
// ways on real database files. For A -> B: build a database from A, seed
// rows, apply diff(A, B) the way the runner runs a step (foreign keys off,
// one transaction, PRAGMA foreign_key_check before COMMIT), inspect it, and
// require exactly what inspecting B gives; then require the seeded rows that
// the change keeps. The same from B to A. B's file may carry
// `-- migrate:renamed-from` hints; the reverse direction gets them reversed,
// as `revision --autogenerate` does for the downgrade.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "backend/backend.h"
#include "backend/source.h"
#include "db/sqlite/sqlite_connection.h"
#include "db/sqlite/sqlite_executor.h"
#include "db/sqlite/sqlite_foreign_keys.h"
#include "schema/diff.h"
#include "schema/inspect.h"
#include "schema/rename_hints.h"
#include "schema/sqlite/sqlite_schema.h"
#include "support/test_support.h"

using Catch::Matchers::Contains;
using namespace migrate;
using testsupport::TempDir;

namespace {

struct Case {
  const char* name;
  const char* a;
  const char* b;
  const char* seed_a;    // rows for A (run with foreign keys on)
  const char* query;     // valid on both schemas
  const char* after_ab;  // query's rows after A -> B, joined by ";"
  const char* seed_b;
  const char* after_ba;
  const char* ab_has;       // the A -> B script must contain this ("" = no check)
  const char* ab_has_not;   // ... and must not contain this
  const char* ba_has = "";  // the same for B -> A
  const char* ba_has_not = "";
};

void exec(const std::string& path, const std::string& sql) {
  db::sqlite::Connection conn(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, path);
  conn.exec("PRAGMA foreign_keys = ON");
  db::sqlite::run_section(conn, {sql, 1, path, "setup", false});
}

// As the runner runs a step: foreign keys off around it, one transaction,
// foreign_key_check before COMMIT.
void apply_like_runner(const std::string& path, const std::string& script) {
  db::sqlite::Connection conn(path, SQLITE_OPEN_READWRITE, path);
  conn.exec("PRAGMA foreign_keys = ON");
  db::sqlite::ForeignKeysOff off(conn);
  conn.exec("BEGIN IMMEDIATE");
  try {
    db::sqlite::run_section(conn, {script, 1, "diff.sql", "diff", true});
  } catch (...) {
    conn.exec("ROLLBACK");
    throw;
  }
  std::string violations = db::sqlite::foreign_key_violations(conn);
  INFO(violations);
  CHECK(violations.empty());
  conn.exec("COMMIT");
}

std::string rows(const std::string& path, const std::string& sql) {
  std::string out;
  for (const auto& r : testsupport::sqlite_rows(path, sql)) out += (out.empty() ? "" : ";") + r;
  return out;
}

schema::Schema inspect(const std::string& path) {
  return backend::inspect_database("sqlite:///" + path, "", {});
}

// One direction: a database built from `from_sql` (+ seed) is diffed
// against the schema file `to_file` and must end up equal to it.
std::string one_way(const TempDir& dir, const std::string& tag, const std::string& from_sql,
                    const std::string& seed, const std::string& to_file,
                    const schema::Schema* hinted_other) {
  std::string db = dir / (tag + ".db");
  exec(db, from_sql);
  if (!seed.empty()) exec(db, seed);
  backend::SourceContext sc;
  sc.database_url = "sqlite:///:memory:";
  schema::Schema to = backend::load_source(to_file, sc);
  if (hinted_other) to = schema::with_reversed_hints(*hinted_other, to);
  schema::Diff diff = backend::diff_schemas(inspect(db), to);
  std::string script = schema::render_script(diff);
  INFO(tag << " script:\n" << script);
  apply_like_runner(db, script);
  schema::Schema after = inspect(db);
  CHECK(schema::sqlite::dump_sqlite(after) == schema::sqlite::dump_sqlite(to));
  schema::Diff again = backend::diff_schemas(after, to);
  CHECK(schema::render_script(again).empty());
  return script;
}

void run_case(const Case& c) {
  INFO("case: " << c.name);
  TempDir dir;
  testsupport::write_file(dir / "a.sql", c.a);
  testsupport::write_file(dir / "b.sql", c.b);
  backend::SourceContext sc;
  sc.database_url = "sqlite:///:memory:";
  schema::Schema hinted_b = backend::load_source(dir / "b.sql", sc);

  std::string ab = one_way(dir, "ab", c.a, c.seed_a, dir / "b.sql", nullptr);
  if (*c.ab_has) CHECK_THAT(ab, Contains(c.ab_has));
  if (*c.ab_has_not) CHECK_THAT(ab, !Contains(c.ab_has_not));
  if (*c.query) CHECK(rows(dir / "ab.db", c.query) == c.after_ab);

  std::string ba = one_way(dir, "ba", c.b, c.seed_b, dir / "a.sql", &hinted_b);
  if (*c.ba_has) CHECK_THAT(ba, Contains(c.ba_has));
  if (*c.ba_has_not) CHECK_THAT(ba, !Contains(c.ba_has_not));
  if (*c.query) CHECK(rows(dir / "ba.db", c.query) == c.after_ba);
}

const Case kCases[] = {
    {"add and drop a table", "CREATE TABLE t (id integer PRIMARY KEY);",
     "CREATE TABLE t (id integer PRIMARY KEY); CREATE TABLE u (id integer PRIMARY KEY, n text);",
     "INSERT INTO t VALUES (1), (2);", "SELECT id FROM t ORDER BY id", "1;2",
     "INSERT INTO t VALUES (3); INSERT INTO u VALUES (1, 'x');", "3", "CREATE TABLE u", "DROP"},

    {"nullable column: ADD COLUMN in place, DROP COLUMN back",
     "CREATE TABLE t (id integer PRIMARY KEY, a text);",
     "CREATE TABLE t (id integer PRIMARY KEY, a text, b integer);",
     "INSERT INTO t VALUES (1, 'x');", "SELECT id, a FROM t", "1|x",
     "INSERT INTO t VALUES (2, 'y', 7);", "2|y", "ALTER TABLE t ADD COLUMN b integer",
     "migrate_tmp_"},

    {"NOT NULL column with a constant default and a CHECK: in place",
     "CREATE TABLE t (id integer PRIMARY KEY);",
     "CREATE TABLE t (id integer PRIMARY KEY, n integer NOT NULL DEFAULT 0 CHECK (n >= 0));",
     "INSERT INTO t VALUES (1);", "SELECT count(*) FROM t", "1", "INSERT INTO t VALUES (2, 5);",
     "1", "ADD COLUMN n integer NOT NULL DEFAULT 0", "migrate_tmp_"},

    {"column with a non-constant default: rebuild", "CREATE TABLE t (id integer PRIMARY KEY);",
     "CREATE TABLE t (id integer PRIMARY KEY, at timestamp DEFAULT CURRENT_TIMESTAMP);",
     "INSERT INTO t VALUES (1);", "SELECT id FROM t", "1", "INSERT INTO t (id) VALUES (4);", "4",
     "migrate_tmp_t", "ADD COLUMN"},

    {"NOT NULL column without a default on an empty table: rebuild",
     "CREATE TABLE t (id integer PRIMARY KEY);",
     "CREATE TABLE t (id integer PRIMARY KEY, n text NOT NULL);", "", "SELECT count(*) FROM t", "0",
     "INSERT INTO t VALUES (1, 'a');", "1", "migrate_tmp_t", ""},

    {"change a column's type", "CREATE TABLE t (id integer PRIMARY KEY, v integer);",
     "CREATE TABLE t (id integer PRIMARY KEY, v text);", "INSERT INTO t VALUES (1, 42);",
     "SELECT id, v FROM t", "1|42", "INSERT INTO t VALUES (2, '17');", "2|17", "migrate_tmp_t", ""},

    {"add and drop NOT NULL; change a default",
     "CREATE TABLE t (id integer PRIMARY KEY, v text, w integer DEFAULT 1);",
     "CREATE TABLE t (id integer PRIMARY KEY, v text NOT NULL, w integer DEFAULT 2);",
     "INSERT INTO t VALUES (1, 'a', 5);", "SELECT id, v, w FROM t", "1|a|5",
     "INSERT INTO t VALUES (2, 'b', 6);", "2|b|6", "migrate_tmp_t", ""},

    {"add and drop CHECK constraints, named and unnamed, column and table level",
     "CREATE TABLE t (id integer PRIMARY KEY, lo integer, hi integer);",
     "CREATE TABLE t (id integer PRIMARY KEY, lo integer CHECK (lo >= 0), hi integer,\n"
     "  CONSTRAINT ordered CHECK (lo <= hi));",
     "INSERT INTO t VALUES (1, 1, 2);", "SELECT * FROM t", "1|1|2",
     "INSERT INTO t VALUES (2, 3, 4);", "2|3|4", "CONSTRAINT ordered", ""},

    {"add and drop a UNIQUE constraint", "CREATE TABLE t (id integer PRIMARY KEY, email text);",
     "CREATE TABLE t (id integer PRIMARY KEY, email text, UNIQUE (email));",
     "INSERT INTO t VALUES (1, 'a'), (2, 'b');", "SELECT id, email FROM t ORDER BY id", "1|a;2|b",
     "INSERT INTO t VALUES (3, 'c');", "3|c", "migrate_tmp_t", ""},

    {"primary key: add a column to it, and drop a PK column",
     "CREATE TABLE t (a integer NOT NULL, b integer NOT NULL, c text, PRIMARY KEY (a));",
     "CREATE TABLE t (a integer NOT NULL, b integer NOT NULL, PRIMARY KEY (a, b));",
     "INSERT INTO t VALUES (1, 1, 'x');", "SELECT a, b FROM t ORDER BY a", "1|1",
     "INSERT INTO t VALUES (1, 2), (2, 3);", "1|2;2|3", "migrate_tmp_t", ""},

    {"foreign key with actions: add, change action",
     "CREATE TABLE p (id integer PRIMARY KEY);\n"
     "CREATE TABLE c (id integer PRIMARY KEY, p_id integer REFERENCES p (id));",
     "CREATE TABLE p (id integer PRIMARY KEY);\n"
     "CREATE TABLE c (id integer PRIMARY KEY,\n"
     "  p_id integer REFERENCES p (id) ON DELETE CASCADE ON UPDATE SET NULL);",
     "INSERT INTO p VALUES (1); INSERT INTO c VALUES (10, 1);", "SELECT id, p_id FROM c", "10|1",
     "INSERT INTO p VALUES (2); INSERT INTO c VALUES (20, 2);", "20|2", "ON DELETE CASCADE", ""},

    {"a table referenced by foreign keys is rebuilt; its children keep their rows",
     "CREATE TABLE p (id integer PRIMARY KEY, name text);\n"
     "CREATE TABLE c (id integer PRIMARY KEY, p_id integer NOT NULL REFERENCES p (id));\n"
     "CREATE TABLE d (id integer PRIMARY KEY, p_id integer REFERENCES p);",
     "CREATE TABLE p (id integer PRIMARY KEY, name text NOT NULL DEFAULT '');\n"
     "CREATE TABLE c (id integer PRIMARY KEY, p_id integer NOT NULL REFERENCES p (id));\n"
     "CREATE TABLE d (id integer PRIMARY KEY, p_id integer REFERENCES p);",
     "INSERT INTO p VALUES (1, 'a'), (2, 'b'); INSERT INTO c VALUES (1, 1), (2, 2);"
     "INSERT INTO d VALUES (1, 2);",
     "SELECT c.id, p.name FROM c JOIN p ON p.id = c.p_id ORDER BY c.id", "1|a;2|b",
     "INSERT INTO p VALUES (3, 'z'); INSERT INTO c VALUES (3, 3);", "3|z", "migrate_tmp_p",
     "migrate_tmp_c"},

    {"add a foreign key to a table (rebuild) and an FK cycle between new tables",
     "CREATE TABLE c (id integer PRIMARY KEY, p_id integer);",
     "CREATE TABLE c (id integer PRIMARY KEY, p_id integer REFERENCES p (id));\n"
     "CREATE TABLE p (id integer PRIMARY KEY, best_child integer REFERENCES q (id));\n"
     "CREATE TABLE q (id integer PRIMARY KEY, p_id integer REFERENCES p (id));",
     "INSERT INTO c VALUES (1, NULL);", "SELECT id FROM c", "1",
     "INSERT INTO p VALUES (1, NULL); INSERT INTO c VALUES (2, 1);", "2", "migrate_tmp_c", ""},

    {"deferrable foreign keys and MATCH-free defaults",
     "CREATE TABLE p (id integer PRIMARY KEY);\n"
     "CREATE TABLE c (id integer PRIMARY KEY, p_id integer REFERENCES p (id));",
     "CREATE TABLE p (id integer PRIMARY KEY);\n"
     "CREATE TABLE c (id integer PRIMARY KEY,\n"
     "  p_id integer REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED);",
     "INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1);", "SELECT * FROM c", "1|1", "", "",
     "DEFERRABLE", ""},

    {"indexes: unique, partial, expression; change one, drop one",
     "CREATE TABLE t (id integer PRIMARY KEY, a text, b integer);\n"
     "CREATE INDEX ix_a ON t (a);\nCREATE INDEX ix_gone ON t (b);",
     "CREATE TABLE t (id integer PRIMARY KEY, a text, b integer);\n"
     "CREATE UNIQUE INDEX ix_a ON t (a) WHERE b > 0;\n"
     "CREATE INDEX ix_expr ON t (lower(a), b DESC);",
     "INSERT INTO t VALUES (1, 'x', 1), (2, 'y', 0);", "SELECT count(*) FROM t", "2",
     "INSERT INTO t VALUES (3, 'z', 1);", "1", "DROP INDEX ix_gone", "migrate_tmp_"},

    {"views on views; a view's base column changes type and the views are recreated",
     "CREATE TABLE t (id integer PRIMARY KEY, v integer);\n"
     "CREATE VIEW v1 AS SELECT id, v FROM t;\nCREATE VIEW v2 AS SELECT id FROM v1 WHERE v > 0;",
     "CREATE TABLE t (id integer PRIMARY KEY, v real);\n"
     "CREATE VIEW v1 AS SELECT id, v FROM t;\nCREATE VIEW v2 AS SELECT id FROM v1 WHERE v > 0;\n"
     "CREATE VIEW v3 AS SELECT count(*) AS n FROM v2;",
     "INSERT INTO t VALUES (1, 1), (2, 0);", "SELECT id FROM v2", "1",
     "INSERT INTO t VALUES (5, 2.5);", "5", "CREATE VIEW v3", ""},

    {"triggers: add, change, and a trigger on a rebuilt table",
     "CREATE TABLE t (id integer PRIMARY KEY, v integer, changed integer DEFAULT 0);\n"
     "CREATE TABLE log (msg text);\n"
     "CREATE TRIGGER t_upd AFTER UPDATE ON t BEGIN INSERT INTO log VALUES ('u'); END;",
     "CREATE TABLE t (id integer PRIMARY KEY, v text, changed integer DEFAULT 0);\n"
     "CREATE TABLE log (msg text);\n"
     "CREATE TRIGGER t_upd AFTER UPDATE ON t BEGIN INSERT INTO log VALUES ('u'); END;\n"
     "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.id); END;",
     "INSERT INTO t (id, v) VALUES (1, 1);", "SELECT id FROM t", "1",
     "INSERT INTO t (id, v) VALUES (2, 'x');", "2", "CREATE TRIGGER t_ins", ""},

    {"rename a column and a table with hints; a child's foreign key follows",
     "CREATE TABLE accounts (id integer PRIMARY KEY, amount integer NOT NULL);\n"
     "CREATE TABLE moves (id integer PRIMARY KEY, account_id integer REFERENCES accounts (id));\n"
     "CREATE INDEX ix_amount ON accounts (amount);",
     "-- migrate:renamed-from accounts\n"
     "CREATE TABLE wallets (\n  id integer PRIMARY KEY,\n"
     "  balance integer NOT NULL -- migrate:renamed-from amount\n);\n"
     "CREATE TABLE moves (id integer PRIMARY KEY, account_id integer REFERENCES wallets (id));\n"
     "CREATE INDEX ix_amount ON wallets (balance);",
     "INSERT INTO accounts VALUES (1, 100); INSERT INTO moves VALUES (1, 1);",
     "SELECT id, account_id FROM moves", "1|1",
     "INSERT INTO wallets VALUES (2, 5); INSERT INTO moves VALUES (2, 2);", "2|2",
     "RENAME COLUMN amount TO balance", "DROP TABLE"},

    {"renamed column that also changes type: rename, then rebuild keeps the data",
     "CREATE TABLE t (id integer PRIMARY KEY, qty integer);",
     "CREATE TABLE t (\n  id integer PRIMARY KEY,\n  -- migrate:renamed-from qty\n"
     "  quantity integer NOT NULL DEFAULT 0\n);",
     "INSERT INTO t VALUES (1, 7);", "SELECT count(*) FROM t", "1", "INSERT INTO t VALUES (2, 9);",
     "1", "RENAME COLUMN qty TO quantity", ""},

    {"drop a column used by an index (the index goes first)",
     "CREATE TABLE t (id integer PRIMARY KEY, a text, b text);\nCREATE INDEX ix_b ON t (b);",
     "CREATE TABLE t (id integer PRIMARY KEY, a text);", "INSERT INTO t VALUES (1, 'x', 'y');",
     "SELECT id, a FROM t", "1|x", "INSERT INTO t VALUES (2, 'z');", "2|z", "DROP INDEX ix_b",
     "migrate_tmp_"},

    {"collation, generated columns (virtual and stored), AUTOINCREMENT",
     "CREATE TABLE t (id integer PRIMARY KEY, name text, price integer);",
     "CREATE TABLE t (id integer PRIMARY KEY AUTOINCREMENT, name text COLLATE NOCASE,\n"
     "  price integer, doubled integer AS (price * 2) VIRTUAL,\n"
     "  label text GENERATED ALWAYS AS (upper(name)) STORED);",
     "INSERT INTO t VALUES (1, 'a', 3);", "SELECT id, name, price FROM t", "1|a|3",
     "INSERT INTO t (id, name, price) VALUES (2, 'b', 4);", "2|b|4", "AUTOINCREMENT", ""},

    {"WITHOUT ROWID and STRICT", "CREATE TABLE kv (k text PRIMARY KEY, v text);",
     "CREATE TABLE kv (k text PRIMARY KEY, v text) WITHOUT ROWID, STRICT;",
     "INSERT INTO kv VALUES ('a', 'b');", "SELECT k, v FROM kv", "a|b",
     "INSERT INTO kv VALUES ('c', 'd');", "c|d", "WITHOUT ROWID", ""},

    {"self-referencing table rebuilt",
     "CREATE TABLE node (id integer PRIMARY KEY, parent integer REFERENCES node (id));",
     "CREATE TABLE node (id integer PRIMARY KEY, parent integer REFERENCES node (id),\n"
     "  name text NOT NULL DEFAULT 'n' CHECK (name <> ''));",
     "INSERT INTO node VALUES (1, NULL), (2, 1), (3, 2);",
     "SELECT id, parent FROM node ORDER BY id", "1|NULL;2|1;3|2",
     "INSERT INTO node VALUES (1, NULL, 'a'), (2, 1, 'b');", "1|NULL;2|1", "", ""},

    {"ADD COLUMN leaves views alone; DROP COLUMN recreates the view that reads it",
     "CREATE TABLE t (id integer PRIMARY KEY, a text, b text);\n"
     "CREATE VIEW all_t AS SELECT * FROM t;\nCREATE VIEW just_b AS SELECT id, b FROM t;",
     "CREATE TABLE t (id integer PRIMARY KEY, a text, c text);\n"
     "CREATE VIEW all_t AS SELECT * FROM t;\nCREATE VIEW just_b AS SELECT id FROM t;",
     "INSERT INTO t VALUES (1, 'x', 'y');", "SELECT id, a FROM all_t", "1|x",
     "INSERT INTO t VALUES (2, 'p', 'q');", "2|p", "DROP VIEW just_b", "DROP VIEW all_t"},

    {"a column with its own CHECK is added and dropped in place",
     "CREATE TABLE t (id integer PRIMARY KEY, q integer);",
     "CREATE TABLE t (id integer PRIMARY KEY, q integer,\n"
     "  p integer NOT NULL DEFAULT 1 CHECK (p BETWEEN 0 AND 3));",
     "INSERT INTO t VALUES (1, 5);", "SELECT id, q FROM t", "1|5",
     "INSERT INTO t VALUES (2, 6, 2);", "2|6",
     "ADD COLUMN p integer NOT NULL DEFAULT 1 CHECK (p BETWEEN 0 AND 3)", "migrate_tmp_",
     "ALTER TABLE t DROP COLUMN p", "migrate_tmp_"},

    {"a CHECK on another column that names the dropped one forces a rebuild",
     "CREATE TABLE t (id integer PRIMARY KEY, lo integer CHECK (lo <= hi), hi integer);",
     "CREATE TABLE t (id integer PRIMARY KEY, lo integer);", "INSERT INTO t VALUES (1, 1, 2);",
     "SELECT id, lo FROM t", "1|1", "INSERT INTO t VALUES (2, 7);", "2|7", "migrate_tmp_t",
     "DROP COLUMN"},

    {"spelling differences only: no diff either way",
     "CREATE TABLE t (id INTEGER PRIMARY KEY, \"Name\" TEXT NOT NULL DEFAULT 'x'\n"
     "  CHECK (length(\"Name\") > 0), b INT);\nCREATE INDEX ix ON t (b);\n"
     "CREATE VIEW v AS SELECT id FROM t;",
     "-- the same schema written another way\n"
     "create table T (\n  b int,\n  id integer primary key,\n"
     "  name text not null default 'x' check (LENGTH(name)>0) -- comment\n);\n"
     "create index IX on t(B);\ncreate view V as select ID from T;",
     "INSERT INTO t VALUES (1, 'n', 2);", "SELECT id FROM t", "1", "", "", "", ""},
};

}  // namespace

TEST_CASE("SQLite schema diff corpus, both ways", "[schema][sqlite]") {
  for (const Case& c : kCases) {
    SECTION(c.name) { run_case(c); }
  }
}

TEST_CASE("spelling differences give an empty diff", "[schema][sqlite]") {
  const Case& c = kCases[sizeof kCases / sizeof kCases[0] - 1];
  TempDir dir;
  testsupport::write_file(dir / "a.sql", c.a);
  testsupport::write_file(dir / "b.sql", c.b);
  backend::SourceContext sc;
  sc.database_url = "sqlite:///:memory:";
  auto d = backend::diff_schemas(backend::load_source(dir / "a.sql", sc),
                                 backend::load_source(dir / "b.sql", sc));
  CHECK(d.empty());
  CHECK(d.changes.empty());
}

TEST_CASE("a NOT NULL column without default fails the rebuild on a table with rows",
          "[schema][sqlite]") {
  TempDir dir;
  std::string db = dir / "a.db";
  exec(db, "CREATE TABLE t (id integer PRIMARY KEY); INSERT INTO t VALUES (1);");
  testsupport::write_file(dir / "b.sql",
                          "CREATE TABLE t (id integer PRIMARY KEY, n text NOT NULL);");
  backend::SourceContext sc;
  sc.database_url = "sqlite:///:memory:";
  auto d = backend::diff_schemas(inspect(db), backend::load_source(dir / "b.sql", sc));
  REQUIRE(d.warnings.size() == 1);
  CHECK_THAT(d.warnings[0], Contains("NOT NULL without a default"));
  std::string err = testsupport::error_of([&] { apply_like_runner(db, schema::render_script(d)); });
  CHECK_THAT(err, Contains("NOT NULL constraint failed"));
  // Rolled back: the table and its row are as they were.
  CHECK(rows(db, "SELECT id FROM t") == "1");
  CHECK(inspect(db).tables.at(0).columns.size() == 1);
}

TEST_CASE("drops are marked destructive; probable renames are warned about", "[schema][sqlite]") {
  TempDir dir;
  std::string db = dir / "a.db";
  exec(db, "CREATE TABLE t (id integer PRIMARY KEY, old_name text); CREATE TABLE gone (x int);");
  testsupport::write_file(dir / "b.sql", "CREATE TABLE t (id integer PRIMARY KEY, new_name text);");
  backend::SourceContext sc;
  sc.database_url = "sqlite:///:memory:";
  auto d = backend::diff_schemas(inspect(db), backend::load_source(dir / "b.sql", sc));
  std::string script = schema::render_script(d);
  CHECK_THAT(script, Contains("-- destructive: drops table gone"));
  CHECK_THAT(script, Contains("-- destructive: drops column t.old_name"));
  REQUIRE(d.warnings.size() == 1);
  CHECK_THAT(d.warnings[0], Contains("probable rename"));
  CHECK_THAT(d.warnings[0], Contains("-- migrate:renamed-from old_name"));
  CHECK(d.changes == std::vector<std::string>{"drop column t.old_name", "add column t.new_name",
                                              "drop table gone"});
}

TEST_CASE("the tool's own tables are never part of a schema", "[schema][sqlite]") {
  TempDir dir;
  std::string db = dir / "a.db";
  exec(db,
       "CREATE TABLE migrate_version (version_num varchar(64) NOT NULL PRIMARY KEY);"
       "CREATE TABLE migrate_history (id integer PRIMARY KEY); CREATE TABLE t (id int);");
  schema::InspectOptions o;
  o.exclude_tables = {"migrate_version", "MIGRATE_HISTORY"};
  auto s = backend::inspect_database("sqlite:///" + db, "", o);
  REQUIRE(s.tables.size() == 1);
  CHECK(s.tables[0].name.name == "t");
}

// What a CHECK or a generated column uses comes from the names among its
// tokens: a column named inside a string literal is not used, so dropping it
// is an in-place DROP COLUMN, not a rebuild.
TEST_CASE("a column named in a string literal is not used", "[schema][sqlite]") {
  TempDir dir;
  std::string db = dir / "a.db";
  exec(db,
       "CREATE TABLE t (id integer PRIMARY KEY, kind text, status text, n integer,"
       " g integer AS (n * 2) VIRTUAL, CHECK (kind <> 'status'), CHECK (n > id));");
  schema::Schema s = inspect(db);
  const schema::Table& t = s.tables.at(0);
  std::vector<std::vector<std::string>> uses;
  for (const auto& c : t.constraints) uses.push_back(c.uses.columns);
  CHECK_THAT(uses, Catch::Matchers::VectorContains(std::vector<std::string>{"kind"}));
  CHECK_THAT(uses, Catch::Matchers::VectorContains(std::vector<std::string>{"id", "n"}));
  CHECK(t.column("g")->uses.columns == std::vector<std::string>{"n"});
  testsupport::write_file(
      dir / "b.sql",
      "CREATE TABLE t (id integer PRIMARY KEY, kind text, n integer,"
      " g integer AS (n * 2) VIRTUAL, CHECK (kind <> 'status'), CHECK (n > id));");
  backend::SourceContext sc;
  sc.database_url = "sqlite:///:memory:";
  auto d = backend::diff_schemas(s, backend::load_source(dir / "b.sql", sc));
  CHECK(schema::render_script(d) ==
        "-- destructive: drops column t.status and its data\n"
        "ALTER TABLE t DROP COLUMN status;\n");
  CHECK(d.changes == std::vector<std::string>{"drop column t.status"});
}
