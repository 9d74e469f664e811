// PostgreSQL schema diffs on the real server (scripts/test.sh starts it; the
// tests fail, never skip, without MIGRATE_TEST_PG_URL). The corpus: pairs of
// schemas A and B, each checked both ways — the diff A->B applied to A (in
// one transaction, as a revision runs) must make A inspect equal to B, and
// pg_dump --schema-only of both must agree after normalising; rows seeded in
// A must survive wherever the change keeps them. Then B->A the same way.
#include <catch2/catch.hpp>

#include "e2e/schema_pg_roundtrip.h"

using Catch::Matchers::Contains;
using Catch::Matchers::VectorContains;
using namespace schema_pg;

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
  // A given dev URL is used in place, never dropped, but emptied of what a
  // use made in it (pg_dev_url_test.cpp: every kind, through the CLI).
  {
    TempPgDatabase scratch;
    auto dev = migrate::backend::make_dev_database(url, scratch.url(), "");
    CHECK(dev->url() == scratch.url());
    dev->apply_sql("CREATE TABLE given (id int);", "g.sql");
    CHECK(scratch.rows("SELECT to_regclass('given') IS NULL") == std::vector<std::string>{"f"});
    dev.reset();
    CHECK(scratch.rows("SELECT to_regclass('given') IS NULL") == std::vector<std::string>{"t"});
  }
  const std::string name = dev_url.substr(dev_url.rfind('/') + 1);
  pqxx::connection c(url);
  pqxx::nontransaction tx(c);
  CHECK(tx.exec("SELECT 1 FROM pg_database WHERE datname = " + tx.quote(name)).empty());
}

TEST_CASE("pg diff: a foreign key on the columns of a unique index that is no constraint",
          "[schema][pg]") {
  // Rails' structure.sql writes unique indexes, and foreign keys on them:
  // the foreign key is added after the index it needs.
  round_trip({
      "CREATE TABLE logins (id bigint PRIMARY KEY);",
      "CREATE TABLE logins (id bigint PRIMARY KEY, login_id text, region int);"
      "CREATE UNIQUE INDEX logins_login_idx ON logins (region, login_id);"
      "CREATE TABLE events (id bigint PRIMARY KEY, login_id text, region int,"
      " CONSTRAINT events_login_fk FOREIGN KEY (login_id, region)"
      " REFERENCES logins (login_id, region));",
      "INSERT INTO logins VALUES (1)",
      "INSERT INTO logins VALUES (1, 'a', 1); INSERT INTO events VALUES (1, 'a', 1)",
      "SELECT id FROM logins",
      "SELECT id FROM logins",
  });
}

TEST_CASE("pg diff: a function whose signature uses a table's row type", "[schema][pg]") {
  // Pagila's rewards_report() RETURNS SETOF customer: created after the
  // table, dropped before it (plpgsql: its body is not what orders it).
  round_trip({
      "CREATE TABLE other (id int);",
      "CREATE TABLE customer (id int PRIMARY KEY, name text);"
      "CREATE FUNCTION top_customers(n int) RETURNS SETOF customer LANGUAGE plpgsql AS"
      " $$ BEGIN RETURN QUERY SELECT * FROM customer LIMIT n; END $$;"
      "CREATE FUNCTION rename_customer(c customer) RETURNS text LANGUAGE plpgsql AS"
      " $$ BEGIN RETURN c.name; END $$;",
      "",
      "",
      "",
      "",
  });
}

TEST_CASE("pg diff: a column moves from one enum type to another", "[schema][pg]") {
  // No cast between two enums: the conversion goes through text.
  const std::string types =
      "CREATE TYPE mood AS ENUM ('sad', 'ok');"
      "CREATE TYPE feeling AS ENUM ('ok', 'sad', 'happy');";
  round_trip({
      types + "CREATE TABLE t (id int PRIMARY KEY, m mood, ms mood[]);",
      types + "CREATE TABLE t (id int PRIMARY KEY, m feeling, ms feeling[]);",
      "INSERT INTO t VALUES (1, 'ok', '{sad,ok}')",
      "INSERT INTO t VALUES (1, 'sad', '{ok}')",
      "SELECT id, m::text, ms::text FROM t",
      "SELECT id, m::text, ms::text FROM t",
  });
}
