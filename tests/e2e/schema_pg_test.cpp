// PostgreSQL schema diffs on the real server (scripts/test.sh starts it; the
// tests fail, never skip, without MIGRATE_TEST_PG_URL). The corpus: pairs of
// schemas A and B, each checked both ways — the diff A->B applied to A (in
// one transaction, as a revision runs) must make A inspect equal to B, and
// pg_dump --schema-only of both must agree after normalising; rows seeded in
// A must survive wherever the change keeps them. Then B->A the same way.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <iostream>
#include <pqxx/pqxx>
#include <random>
#include <sstream>

#include "backend/backend.h"
#include "config/url.h"
#include "e2e/pg_fixture.h"
#include "schema/postgres/postgres_schema.h"
#include "support/matchers.h"
#include "support/test_support.h"
#include "util/error.h"

using Catch::Matchers::Contains;
using Catch::Matchers::VectorContains;
using migrate::schema::Diff;
using migrate::schema::Schema;
using testsupport::ExitedWith;

namespace {

using e2e::TempPgDatabase;

Schema inspect(const TempPgDatabase& db) {
  return migrate::backend::inspect_database(db.url(), "", migrate::schema::InspectOptions{});
}

// ---- model comparison: the first difference, in words ----------------------

std::string q(const migrate::schema::QualifiedName& n) { return n.schema + "." + n.name; }

template <typename T, typename Key, typename Cmp>
std::string compare_lists(const std::string& what, const std::vector<T>& a, const std::vector<T>& b,
                          Key key, Cmp cmp) {
  std::map<std::string, const T*> ma, mb;
  for (const auto& x : a) ma[key(x)] = &x;
  for (const auto& x : b) mb[key(x)] = &x;
  for (const auto& [k, x] : ma) {
    auto it = mb.find(k);
    if (it == mb.end()) return what + " " + k + " is only on the left";
    std::string d = cmp(*x, *it->second);
    if (!d.empty()) return what + " " + k + ": " + d;
  }
  for (const auto& [k, x] : mb)
    if (!ma.count(k)) return what + " " + k + " is only on the right";
  return "";
}

#define FIELD(f)          \
  if (!(x.f == y.f)) {    \
    std::ostringstream s; \
    s << #f " differs";   \
    return s.str();       \
  }
#define TEXT(f) \
  if (x.f != y.f) return std::string(#f " differs: '") + x.f + "' vs '" + y.f + "'";

std::string index_diff(const migrate::schema::Index& x, const migrate::schema::Index& y) {
  TEXT(definition) TEXT(comment) TEXT(method) TEXT(where) FIELD(unique) FIELD(columns) return "";
}

// Columns are compared by name: PostgreSQL adds columns at the end, so a
// diff cannot reproduce the other side's column order (nor is it asked to).
std::string first_difference(const Schema& a, const Schema& b) {
  using namespace migrate::schema;
  auto id = [](const std::string& s) { return s; };
  if (a.schemas != b.schemas) return "the lists of schemas differ";
  std::string d;
  d = compare_lists(
      "extension", a.extensions, b.extensions, [](const Extension& e) { return e.name; },
      [](const Extension& x, const Extension& y) -> std::string {
        TEXT(schema) TEXT(version) return "";
      });
  if (!d.empty()) return d;
  d = compare_lists(
      "enum", a.enums, b.enums, [](const EnumType& e) { return q(e.name); },
      [](const EnumType& x, const EnumType& y) -> std::string {
        FIELD(labels) TEXT(comment) return "";
      });
  if (!d.empty()) return d;
  d = compare_lists(
      "sequence", a.sequences, b.sequences, [](const Sequence& s) { return q(s.name); },
      [](const Sequence& x, const Sequence& y) -> std::string {
        TEXT(type)
        FIELD(start)
        FIELD(increment)
        FIELD(min_value) FIELD(max_value) FIELD(cache) FIELD(cycle) TEXT(owned_by) return "";
      });
  if (!d.empty()) return d;
  d = compare_lists(
      "function", a.functions, b.functions,
      [](const Function& f) { return q(f.name) + "(" + f.identity_args + ")"; },
      [](const Function& x, const Function& y) -> std::string {
        TEXT(definition) TEXT(kind) TEXT(comment) return "";
      });
  if (!d.empty()) return d;
  d = compare_lists(
      "table", a.tables, b.tables, [](const Table& t) { return q(t.name); },
      [](const Table& x, const Table& y) -> std::string {
        TEXT(comment)
        std::string d2 = compare_lists(
            "column", x.columns, y.columns, [](const Column& c) { return c.name; },
            [](const Column& x, const Column& y) -> std::string {
              TEXT(type)
              FIELD(not_null)
              FIELD(default_expr)
              TEXT(identity) TEXT(generated) TEXT(collation) TEXT(comment) return "";
            });
        if (!d2.empty()) return d2;
        d2 = compare_lists(
            "constraint", x.constraints, y.constraints, [](const Constraint& k) { return k.name; },
            [](const Constraint& x, const Constraint& y) -> std::string {
              TEXT(definition)
              FIELD(kind)
              FIELD(columns)
              FIELD(ref_table)
              FIELD(ref_columns)
              FIELD(deferrable) FIELD(initially_deferred) TEXT(comment) return "";
            });
        if (!d2.empty()) return d2;
        return compare_lists(
            "index", x.indexes, y.indexes, [](const Index& i) { return i.name; }, index_diff);
      });
  if (!d.empty()) return d;
  d = compare_lists(
      "view", a.views, b.views, [](const View& v) { return q(v.name); },
      [](const View& x, const View& y) -> std::string {
        TEXT(definition)
        FIELD(materialized)
        FIELD(depends_on)
        TEXT(comment)
        return compare_lists(
            "index", x.indexes, y.indexes, [](const Index& i) { return i.name; }, index_diff);
      });
  if (!d.empty()) return d;
  d = compare_lists(
      "trigger", a.triggers, b.triggers, [](const Trigger& t) { return q(t.table) + "." + t.name; },
      [](const Trigger& x, const Trigger& y) -> std::string {
        TEXT(definition)
        return "";
      });
  (void)id;
  return d;
}

// ---- pg_dump as an independent check ----------------------------------------

std::string pg_dump_binary() {
  for (const char* p : {"/usr/lib/postgresql/15/bin/pg_dump", "/usr/bin/pg_dump"})
    if (access(p, X_OK) == 0) return p;
  return "pg_dump";
}

// pg_dump --schema-only without comments, SET lines and blank lines, each
// line without a trailing comma (column order differs), sorted.
std::vector<std::string> normalised_dump(const TempPgDatabase& db) {
  auto r = testsupport::run_program(
      ".", {pg_dump_binary(), "--schema-only", "--no-owner", "--dbname", db.url()});
  REQUIRE_THAT(r, ExitedWith(0));
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.rfind("--", 0) == 0 || line.rfind("SET ", 0) == 0 ||
        line.rfind("SELECT pg_catalog.set_config", 0) == 0 || line.rfind("\\restrict", 0) == 0 ||
        line.rfind("\\unrestrict", 0) == 0)
      continue;
    while (!line.empty() && (line.back() == ',' || line.back() == ' ')) line.pop_back();
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::string dump_difference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> only_a, only_b;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only_a));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(only_b));
  std::string out;
  for (const auto& l : only_a) out += "\n  only after the diff: " + l;
  for (const auto& l : only_b) out += "\n  only in the target:  " + l;
  return out;
}

// ---- the round trip -----------------------------------------------------------

// Applies the statements in one transaction, as a revision's step runs.
void apply(const TempPgDatabase& db, const Diff& diff) {
  pqxx::connection c(db.url());
  pqxx::work tx(c);
  for (const auto& s : diff.statements) {
    try {
      tx.exec(s.sql);
    } catch (const std::exception& e) {
      FAIL("statement failed: " << s.sql << "\n"
                                << e.what() << "\nscript:\n"
                                << migrate::schema::render_script(diff));
    }
  }
  tx.commit();
}

struct Case {
  std::string a, b;    // each side's schema
  std::string seed_a;  // rows inserted in A before A -> B
  std::string seed_b;  // rows inserted in B before B -> A
  std::string kept_a;  // a query whose rows must be the same after A -> B
  std::string kept_b;  // the same for B -> A
};

void one_way(const std::string& from_sql, const std::string& to_sql, const std::string& seed,
             const std::string& kept, const char* direction) {
  INFO("direction " << direction);
  TempPgDatabase from, to;
  from.exec(from_sql);
  to.exec(to_sql);
  from.exec(seed);
  const auto rows_before = kept.empty() ? std::vector<std::string>{} : from.rows(kept);
  Schema target = inspect(to);
  Diff diff = migrate::schema::diff_postgres(inspect(from), target);
  INFO("script:\n" << migrate::schema::render_script(diff));
  // SCHEMA_PG_TEST_PRINT=1 shows every script, for reading them.
  if (std::getenv("SCHEMA_PG_TEST_PRINT"))
    std::cout << "-- " << direction << "\n" << migrate::schema::render_script(diff) << "\n";
  REQUIRE_FALSE(diff.empty());
  CHECK(diff.changes.size() > 0);
  apply(from, diff);
  const std::string difference = first_difference(inspect(from), target);
  INFO("first difference: " << difference);
  CHECK(difference.empty());
  auto dump_from = normalised_dump(from), dump_to = normalised_dump(to);
  INFO("pg_dump differs:" << dump_difference(dump_from, dump_to));
  CHECK(dump_from == dump_to);
  if (!kept.empty()) CHECK(from.rows(kept) == rows_before);
  // The diff is complete: nothing is left to do.
  Diff again = migrate::schema::diff_postgres(inspect(from), target);
  INFO("left over:\n" << migrate::schema::render_script(again));
  CHECK(again.empty());
}

void round_trip(const Case& c) {
  one_way(c.a, c.b, c.seed_a, c.kept_a, "A -> B");
  one_way(c.b, c.a, c.seed_b, c.kept_b, "B -> A");
}

}  // namespace

TEST_CASE("pg diff: tables and columns", "[schema][pg]") {
  round_trip({
      "CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL,"
      " balance numeric(12,2) DEFAULT 0, old_col integer, code varchar(10));"
      "CREATE TABLE gone (id int, note text);",
      "CREATE TABLE accounts (id bigint PRIMARY KEY, name varchar(200),"
      " balance numeric(14,2) NOT NULL DEFAULT 1, code text COLLATE \"C\","
      " created_at timestamptz DEFAULT now());"
      "CREATE TABLE fresh (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text);",
      "INSERT INTO accounts VALUES (1, 'a', 5, 1, 'x'), (2, 'b', 6, 2, 'y')",
      "INSERT INTO accounts VALUES (1, 'a', 5, 'x'), (2, 'b', 6, 'y')",
      "SELECT id, name, balance::int, code FROM accounts ORDER BY id",
      "SELECT id, name, balance::int, code FROM accounts ORDER BY id",
  });
}

TEST_CASE("pg diff: constraints of every kind", "[schema][pg]") {
  round_trip({
      "CREATE TABLE owners (id int PRIMARY KEY, email text UNIQUE);"
      "CREATE TABLE items (id int PRIMARY KEY, owner_id int REFERENCES owners (id),"
      " qty int CHECK (qty > 0), span int4range);",
      "CREATE TABLE owners (id int PRIMARY KEY, email text,"
      " CONSTRAINT owners_email_key UNIQUE (email, id));"
      "CREATE TABLE items (id int PRIMARY KEY, owner_id int REFERENCES owners (id)"
      " ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED,"
      " qty int CONSTRAINT items_qty_check CHECK (qty >= 0), span int4range,"
      " CONSTRAINT items_span_excl EXCLUDE USING gist (span WITH &&),"
      " CONSTRAINT items_qty_max CHECK (qty < 1000) NOT VALID);",
      "INSERT INTO owners VALUES (1, 'x'); INSERT INTO items VALUES (1, 1, 2, '[1,5)')",
      "INSERT INTO owners VALUES (1, 'x'); INSERT INTO items VALUES (1, 1, 2, '[1,5)')",
      "SELECT * FROM items",
      "SELECT * FROM items",
  });
}

TEST_CASE("pg diff: a table referenced by foreign keys changes its key type", "[schema][pg]") {
  round_trip({
      "CREATE TABLE parent (id int PRIMARY KEY);"
      "CREATE TABLE legacy (id int PRIMARY KEY);"
      "CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent (id),"
      " legacy_id int REFERENCES legacy (id));"
      "CREATE TABLE other (id int PRIMARY KEY, parent_id int REFERENCES parent (id));",
      "CREATE TABLE parent (id bigint PRIMARY KEY);"
      "CREATE TABLE child (id int PRIMARY KEY, parent_id bigint REFERENCES parent (id));"
      "CREATE TABLE other (id int PRIMARY KEY, parent_id int REFERENCES parent (id));",
      "INSERT INTO parent VALUES (1), (2); INSERT INTO legacy VALUES (7);"
      "INSERT INTO child VALUES (10, 1, 7); INSERT INTO other VALUES (1, 2)",
      "INSERT INTO parent VALUES (1), (2); INSERT INTO child VALUES (10, 1);"
      "INSERT INTO other VALUES (1, 2)",
      "SELECT c.id, c.parent_id, o.parent_id FROM child c, other o",
      "SELECT c.id, c.parent_id, o.parent_id FROM child c, other o",
  });
}

TEST_CASE("pg diff: indexes of every kind", "[schema][pg]") {
  const std::string table =
      "CREATE TABLE docs (id int PRIMARY KEY, title text, body text, tags text[], score int,"
      " data jsonb);";
  round_trip({
      table + "CREATE INDEX docs_title ON docs (title);"
              "CREATE UNIQUE INDEX docs_lower_title ON docs (lower(title));"
              "CREATE INDEX docs_tags ON docs USING gin (tags);"
              "CREATE INDEX docs_gone ON docs (score DESC NULLS LAST);",
      table + "CREATE INDEX docs_title ON docs (title) WHERE score > 0;"
              "CREATE UNIQUE INDEX docs_lower_title ON docs (lower(title));"
              "CREATE INDEX docs_tags ON docs USING gin (tags);"
              "CREATE INDEX docs_hash ON docs USING hash (body);"
              "CREATE INDEX docs_cover ON docs (score) INCLUDE (title);"
              "CREATE INDEX docs_data ON docs USING gin (data jsonb_path_ops);"
              "CREATE UNIQUE INDEX docs_score_title ON docs (score, title) WHERE body IS NOT NULL;",
      "INSERT INTO docs VALUES (1, 'T', 'b', '{x}', 3, '{}')",
      "",
      "SELECT * FROM docs",
      "",
  });
}

TEST_CASE("pg diff: views on views, materialized views, a column type a view uses",
          "[schema][pg]") {
  const std::string views =
      "CREATE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 100;"
      "CREATE VIEW big_order_ids AS SELECT id FROM big_orders;"
      "CREATE MATERIALIZED VIEW order_totals AS"
      " SELECT status, sum(amount) AS total FROM orders GROUP BY status;"
      "CREATE UNIQUE INDEX order_totals_status ON order_totals (status);";
  round_trip({
      "CREATE TABLE orders (id int PRIMARY KEY, amount int, status text);" + views +
          "CREATE VIEW old_view AS SELECT 1 AS x;",
      "CREATE TABLE orders (id int PRIMARY KEY, amount bigint, status text);" + views +
          "CREATE VIEW status_counts AS SELECT status, count(*) AS n FROM orders GROUP BY status;"
          "CREATE VIEW huge AS SELECT * FROM big_orders WHERE amount > 1000;"
          "CREATE VIEW huge_ids AS SELECT id FROM huge;"
          "CREATE INDEX order_totals_total ON order_totals (total);",
      "INSERT INTO orders VALUES (1, 150, 'new'), (2, 50, 'old')",
      "INSERT INTO orders VALUES (1, 150, 'new'), (2, 50, 'old')",
      "SELECT * FROM orders ORDER BY id",
      "SELECT * FROM orders ORDER BY id",
  });
}

TEST_CASE("pg diff: enums gain and lose values", "[schema][pg]") {
  const std::string table =
      "CREATE TABLE people (id int PRIMARY KEY, m mood DEFAULT 'ok', c color, cs color[]);"
      "CREATE VIEW moods AS SELECT id, m FROM people;";
  round_trip({
      "CREATE TYPE mood AS ENUM ('sad', 'ok');"
      "CREATE TYPE color AS ENUM ('red', 'green', 'blue');"
      "CREATE TYPE old_status AS ENUM ('x');" +
          table,
      "CREATE TYPE mood AS ENUM ('awful', 'sad', 'meh', 'ok', 'happy', 'ecstatic');"
      "CREATE TYPE color AS ENUM ('red', 'blue');"
      "CREATE TYPE new_status AS ENUM ('y', 'z');" +
          table,
      "INSERT INTO people VALUES (1, 'sad', 'red', '{blue}'), (2, DEFAULT, 'blue', '{}')",
      "INSERT INTO people VALUES (1, 'sad', 'red', '{blue}'), (2, DEFAULT, 'blue', '{}')",
      "SELECT id, m::text, c::text, cs::text FROM people ORDER BY id",
      "SELECT id, m::text, c::text, cs::text FROM people ORDER BY id",
  });
}

// ADD VALUE's label cannot be used in the transaction that adds it, so a
// label the same script uses (here in a default, a CHECK and a partial
// index) comes through a rebuilt type; literals of the old type in kept
// constraints and indexes are recreated.
TEST_CASE("pg diff: a new enum value used by the same script, and constraints over enum columns",
          "[schema][pg]") {
  round_trip({
      "CREATE TYPE state AS ENUM ('open', 'closed');"
      "CREATE TABLE tickets (id int PRIMARY KEY, s state NOT NULL DEFAULT 'open',"
      " CONSTRAINT tickets_not_closed CHECK (s <> 'closed'));"
      "CREATE INDEX tickets_open ON tickets (id) WHERE s = 'open';",
      "CREATE TYPE state AS ENUM ('new', 'open', 'closed');"
      "CREATE TABLE tickets (id int PRIMARY KEY, s state NOT NULL DEFAULT 'new',"
      " CONSTRAINT tickets_not_closed CHECK (s <> 'closed'));"
      "CREATE INDEX tickets_open ON tickets (id) WHERE s = 'open';"
      "CREATE INDEX tickets_new ON tickets (id) WHERE s = 'new';",
      "INSERT INTO tickets VALUES (1, 'open'), (2, DEFAULT)",
      "INSERT INTO tickets VALUES (1, 'open'), (2, 'open')",
      "SELECT id, s::text FROM tickets ORDER BY id",
      "SELECT id, s::text FROM tickets ORDER BY id",
  });
}

TEST_CASE("pg diff: sequences, identity and generated columns", "[schema][pg]") {
  round_trip({
      "CREATE SEQUENCE counter START 10 INCREMENT 2;"
      "CREATE SEQUENCE gone_seq;"
      "CREATE TABLE s1 (id serial PRIMARY KEY, n int,"
      " total int GENERATED ALWAYS AS (n * 2) STORED,"
      " ident int GENERATED BY DEFAULT AS IDENTITY, plain int);",
      "CREATE SEQUENCE counter START 10 INCREMENT 5 MAXVALUE 100000 CYCLE;"
      "CREATE SEQUENCE new_seq AS integer;"
      "CREATE TABLE s1 (id serial PRIMARY KEY, n int,"
      " total int GENERATED ALWAYS AS (n * 3) STORED,"
      " ident int GENERATED ALWAYS AS IDENTITY, plain int GENERATED BY DEFAULT AS IDENTITY);"
      "CREATE TABLE s2 (id bigserial PRIMARY KEY, label text);",
      "INSERT INTO s1 (n, plain) VALUES (1, 5), (2, 6)",
      "INSERT INTO s1 (n) VALUES (1), (2)",
      "SELECT id, n, ident FROM s1 ORDER BY id",
      "SELECT id, n, ident FROM s1 ORDER BY id",
  });
}

TEST_CASE("pg diff: a column made an identity continues after the values it holds",
          "[schema][pg]") {
  TempPgDatabase from, to;
  from.exec(
      "CREATE TABLE \"Items\" (\"Id\" int PRIMARY KEY, label text);"
      "INSERT INTO \"Items\" VALUES (1, 'a'), (7, 'b')");
  to.exec(
      "CREATE TABLE \"Items\" (\"Id\" int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
      " label text)");
  Diff diff = migrate::schema::diff_postgres(inspect(from), inspect(to));
  INFO(migrate::schema::render_script(diff));
  apply(from, diff);
  from.exec("INSERT INTO \"Items\" (label) VALUES ('c')");
  CHECK(from.rows("SELECT \"Id\" FROM \"Items\" WHERE label = 'c'") ==
        std::vector<std::string>{"8"});
  CHECK(first_difference(inspect(from), inspect(to)).empty());
}

TEST_CASE("pg diff: functions and triggers", "[schema][pg]") {
  const std::string table = "CREATE TABLE t (id int PRIMARY KEY, updated timestamptz, n int);";
  round_trip({
      table +
          "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS"
          " $$BEGIN NEW.updated := now(); RETURN NEW; END$$;"
          "CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();"
          "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b';"
          "CREATE FUNCTION gone() RETURNS int LANGUAGE sql AS 'SELECT 1';"
          "CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1';",
      table + "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS"
              " $$BEGIN NEW.updated := now(); NEW.n := coalesce(NEW.n, 0); RETURN NEW; END$$;"
              "CREATE TRIGGER t_touch BEFORE INSERT OR UPDATE ON t FOR EACH ROW"
              " EXECUTE FUNCTION touch();"
              "CREATE TRIGGER t_stmt AFTER INSERT ON t FOR EACH STATEMENT EXECUTE FUNCTION touch();"
              "CREATE FUNCTION add(a int, b int) RETURNS bigint LANGUAGE sql IMMUTABLE"
              " AS 'SELECT (a + b)::bigint';"
              "CREATE FUNCTION count_t() RETURNS bigint LANGUAGE sql BEGIN ATOMIC"
              " SELECT count(*) FROM public.t; END;"
              "CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 2';",
      "INSERT INTO t VALUES (1, NULL, 1)",
      "INSERT INTO t VALUES (1, NULL, 1)",
      "SELECT id, n FROM t",
      "SELECT id, n FROM t",
  });
}

// A LANGUAGE sql function normally comes after the tables (its body is
// checked against them), but one a table calls in a default or a CHECK must
// exist before that table.
TEST_CASE("pg diff: SQL functions that tables call, and SQL functions that read tables",
          "[schema][pg]") {
  round_trip({
      "CREATE TABLE plain (id int PRIMARY KEY);",
      "CREATE FUNCTION next_code() RETURNS text LANGUAGE sql AS $$SELECT 'c' || 1$$;"
      "CREATE FUNCTION positive(x int) RETURNS boolean LANGUAGE sql IMMUTABLE"
      " RETURN x > 0;"
      "CREATE TABLE plain (id int PRIMARY KEY, n int CHECK (positive(n)));"
      "CREATE TABLE coded (id int PRIMARY KEY, code text DEFAULT next_code());"
      "CREATE FUNCTION coded_count() RETURNS bigint LANGUAGE sql BEGIN ATOMIC"
      " SELECT count(*) FROM public.coded; END;",
      "INSERT INTO plain VALUES (1)",
      "INSERT INTO plain VALUES (1, 2)",
      "SELECT id FROM plain",
      "SELECT id FROM plain",
  });
}

TEST_CASE("pg diff: extensions, comments and schemas", "[schema][pg]") {
  round_trip({
      "CREATE EXTENSION citext;"
      "CREATE TABLE users (id int PRIMARY KEY, email citext);"
      "COMMENT ON TABLE users IS 'people';"
      "COMMENT ON COLUMN users.email IS 'login';",
      "CREATE EXTENSION citext; CREATE EXTENSION pgcrypto;"
      "CREATE TABLE users (id int PRIMARY KEY, email citext,"
      " token text DEFAULT encode(gen_random_bytes(8), 'hex'));"
      "COMMENT ON TABLE users IS 'the people''s table';"
      "COMMENT ON COLUMN users.id IS 'key';"
      "CREATE INDEX users_email ON users (email); COMMENT ON INDEX users_email IS 'lookup';"
      "COMMENT ON CONSTRAINT users_pkey ON users IS 'pk';"
      "CREATE VIEW v AS SELECT id FROM users; COMMENT ON VIEW v IS 'ids';"
      "CREATE TYPE e AS ENUM ('a'); COMMENT ON TYPE e IS 'an enum';"
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';"
      "COMMENT ON FUNCTION f() IS 'one';"
      "CREATE SCHEMA extra; CREATE TABLE extra.\"Mixed Case\" (\"select\" int);",
      "INSERT INTO users VALUES (1, 'A@x')",
      "INSERT INTO users VALUES (1, 'A@x')",
      "SELECT id, email FROM users",
      "SELECT id, email FROM users",
  });
}

TEST_CASE("pg diff: rename hints rename tables and columns and keep their rows", "[schema][pg]") {
  TempPgDatabase from, to;
  // The index and the CHECK follow the renamed column: kept, not recreated.
  from.exec(
      "CREATE TABLE old_name (id int PRIMARY KEY, a text CONSTRAINT a_len CHECK (length(a) < 9));"
      "CREATE INDEX by_a ON old_name (lower(a));"
      "INSERT INTO old_name VALUES (1, 'kept')");
  to.exec(
      "CREATE TABLE new_name (id int PRIMARY KEY, b text CONSTRAINT a_len CHECK (length(b) < 9));"
      "CREATE INDEX by_a ON new_name (lower(b))");
  Schema target = inspect(to);
  target.tables.at(0).renamed_from = "old_name";
  target.tables.at(0).columns.at(1).renamed_from = "a";
  Diff diff = migrate::schema::diff_postgres(inspect(from), target);
  const std::string script = migrate::schema::render_script(diff);
  INFO(script);
  CHECK_THAT(script, Contains("ALTER TABLE public.old_name RENAME TO new_name"));
  CHECK_THAT(script, Contains("ALTER TABLE public.new_name RENAME COLUMN a TO b"));
  CHECK_THAT(script, !Contains("DROP TABLE"));
  CHECK_THAT(script, !Contains("DROP COLUMN"));
  CHECK_THAT(script, !Contains("DROP INDEX"));
  CHECK_THAT(script, !Contains("DROP CONSTRAINT a_len"));
  apply(from, diff);
  CHECK(from.rows("SELECT id, b FROM new_name") == std::vector<std::string>{"1|kept"});
  CHECK(first_difference(inspect(from), target).empty());
}

TEST_CASE("pg diff: probable renames warn and destructive statements are marked", "[schema][pg]") {
  TempPgDatabase from, to;
  from.exec("CREATE TABLE t (id int PRIMARY KEY, a text, n bigint); CREATE TABLE x (id int)");
  to.exec("CREATE TABLE t (id int PRIMARY KEY, b text, n int)");
  // Through the dispatcher, which adds the dialect-neutral rename warnings.
  Diff diff = migrate::backend::diff_schemas(inspect(from), inspect(to));
  REQUIRE(diff.warnings.size() == 1);
  CHECK_THAT(diff.warnings[0], Contains("drops column a and adds column b of the same type"));
  CHECK_THAT(diff.warnings[0], Contains("-- migrate:renamed-from a"));
  auto destructive = [&](const std::string& needle) {
    for (const auto& s : diff.statements)
      if (s.sql.find(needle) != std::string::npos) return s.destructive && !s.note.empty();
    FAIL("no statement holds " << needle);
    return false;
  };
  CHECK(destructive("DROP TABLE public.x"));
  CHECK(destructive("DROP COLUMN a"));
  CHECK(destructive("ALTER COLUMN n TYPE integer"));
  for (const auto& s : diff.statements)
    if (s.sql.find("ADD COLUMN b") != std::string::npos) CHECK_FALSE(s.destructive);
  CHECK_THAT(diff.changes, VectorContains(std::string("drop table public.x")));
  CHECK_THAT(
      diff.changes,
      VectorContains(std::string("change the type of column public.t.n from bigint to integer")));
}

TEST_CASE(
    "pg inspect: equal schemas give an empty diff, and own tables and extension objects "
    "are left out",
    "[schema][pg]") {
  TempPgDatabase db;
  db.exec(
      "CREATE EXTENSION citext;"
      "CREATE TABLE migrate_version (version_num varchar(64) PRIMARY KEY);"
      "CREATE TABLE migrate_history (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);"
      "CREATE TABLE app (id serial PRIMARY KEY, e citext);"
      "CREATE TEMP TABLE scratch (id int)");
  migrate::schema::InspectOptions options;
  options.exclude_tables = {"migrate_version", "public.migrate_history"};
  Schema s = migrate::backend::inspect_database(db.url(), "", options);
  REQUIRE(s.tables.size() == 1);
  CHECK(s.tables[0].name.name == "app");
  CHECK(s.functions.empty());        // citext's functions belong to the extension
  REQUIRE(s.sequences.size() == 1);  // identity sequences belong to their column
  CHECK(s.sequences[0].owned_by == "public.app.id");
  CHECK(s.tables[0].columns[1].type == "public.citext");
  CHECK(migrate::schema::diff_postgres(s, migrate::backend::inspect_database(db.url(), "", options))
            .empty());
}

TEST_CASE("pg dev database: created on the server, applies a file, dropped afterwards",
          "[schema][pg]") {
  const std::string url = testsupport::pg_url();
  REQUIRE_FALSE(url.empty());
  std::string dev_url;
  {
    auto dev = migrate::backend::make_dev_database(url, "", "");
    dev_url = dev->url();
    CHECK_THAT(dev_url, Contains("/migrate_dev_"));
    dev->apply_sql("CREATE TABLE a (id int);\n\nCREATE VIEW v AS SELECT id FROM a;\n", "s.sql");
    Schema s = migrate::backend::inspect_database(dev->url(), "", {});
    CHECK(s.tables.size() == 1);
    CHECK(s.views.size() == 1);
    const std::string err = testsupport::error_of(
        [&] { dev->apply_sql("CREATE TABLE b (id int);\n\nCREATE TABLE b (id int);\n", "s.sql"); });
    CHECK_THAT(err, Contains("s.sql:3:"));
    CHECK_THAT(err, Contains("already exists"));
    const char* password = std::getenv("MIGRATE_TEST_PG_PASSWORD");
    if (password) CHECK_THAT(err, !Contains(password));
  }
  // A given dev URL is used as is, and left in place.
  {
    TempPgDatabase scratch;
    auto dev = migrate::backend::make_dev_database(url, scratch.url(), "");
    CHECK(dev->url() == scratch.url());
    dev->apply_sql("CREATE TABLE given (id int);", "g.sql");
    dev.reset();
    CHECK(scratch.rows("SELECT count(*) FROM given") == std::vector<std::string>{"0"});
  }
  const std::string name = dev_url.substr(dev_url.rfind('/') + 1);
  pqxx::connection c(url);
  pqxx::nontransaction tx(c);
  CHECK(tx.exec("SELECT 1 FROM pg_database WHERE datname = " + tx.quote(name)).empty());
}
