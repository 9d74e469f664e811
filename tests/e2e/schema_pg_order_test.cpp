// The order of views and functions, from what the server records (pg_depend)
// and, for a LANGUAGE sql body in a string (on which it records nothing),
// from the body's parse tree: a function reading a view comes after it, a
// view calling a function after the function, both ways round; and what a
// change to one disturbs in the other (a function recreated under a view, an
// enum rebuilt under a function's signature).
#include <catch2/catch.hpp>

#include "e2e/schema_pg_roundtrip.h"

using Catch::Matchers::Contains;
using namespace schema_pg;

namespace {

using migrate::schema::QualifiedName;

const migrate::schema::Function& function(const Schema& s, const std::string& name) {
  for (const auto& f : s.functions)
    if (f.name.name == name) return f;
  FAIL("no function " << name);
  throw 0;
}

bool has(const std::vector<QualifiedName>& list, const std::string& name) {
  for (const auto& n : list)
    if (n.name == name) return true;
  return false;
}

// migra's `dependencies` case: views over views, a string-bodied SQL
// function reading one of them, a view reading a function reading a view.
const char* const kChain =
    "CREATE TABLE base (id serial PRIMARY KEY, name text);"
    "CREATE VIEW v1 AS SELECT name FROM base;"
    "CREATE VIEW v2 AS SELECT name FROM v1;"
    "CREATE FUNCTION reads_v2(t text) RETURNS TABLE (x text) LANGUAGE sql"
    " AS $$ SELECT * FROM public.v2 $$;"
    "CREATE VIEW lit AS SELECT 'abc'::text AS a;"
    "CREATE FUNCTION reads_lit(t text) RETURNS TABLE (x text) LANGUAGE sql"
    " AS $$ SELECT a FROM lit WHERE a = t $$;"
    "CREATE VIEW calls AS SELECT * FROM reads_lit('abc');"
    "CREATE FUNCTION atomic_v1() RETURNS bigint LANGUAGE sql"
    " BEGIN ATOMIC SELECT count(*) FROM v1; END;";

}  // namespace

TEST_CASE("pg inspect: what functions and views use, from pg_depend and SQL bodies",
          "[schema][pg][order]") {
  TempPgDatabase db;
  db.exec(kChain);
  db.exec(
      "CREATE TYPE mood AS ENUM ('a', 'b');"
      "CREATE FUNCTION rows_of() RETURNS SETOF base LANGUAGE plpgsql"
      " AS $$BEGIN RETURN QUERY SELECT * FROM base; END$$;"
      "CREATE FUNCTION takes(m mood[]) RETURNS int LANGUAGE plpgsql AS $$BEGIN RETURN 1; END$$;"
      "CREATE FUNCTION literal_only() RETURNS text LANGUAGE sql AS $$ SELECT 'v1' $$;");
  const Schema s = inspect(db);
  CHECK(has(function(s, "reads_v2").relations, "v2"));    // parse tree, qualified
  CHECK(has(function(s, "reads_lit").relations, "lit"));  // parse tree, unqualified
  CHECK(has(function(s, "atomic_v1").relations, "v1"));   // pg_depend of BEGIN ATOMIC
  CHECK(has(function(s, "rows_of").relations, "base"));   // row type in the signature
  CHECK(function(s, "rows_of").signature_uses_table);
  CHECK(has(function(s, "takes").uses.types, "mood"));   // an array as its element type
  CHECK(function(s, "literal_only").relations.empty());  // a string names nothing
  for (const auto& v : s.views)
    if (v.name.name == "calls") CHECK(has(v.functions, "reads_lit"));
}

TEST_CASE("pg diff: functions and views are created and dropped in dependency order",
          "[schema][pg][order]") {
  round_trip({"", kChain, "", "", "", ""});
  // migra's `dependencies`: the views a function reads go, the function too.
  round_trip({kChain, "CREATE TABLE base (id serial PRIMARY KEY, name text);", "", "", "", ""});
}

TEST_CASE("pg diff: a function returning a table's rows comes after the table",
          "[schema][pg][order]") {
  round_trip({"",
              "CREATE TABLE customer (id int PRIMARY KEY);"
              "CREATE VIEW names AS SELECT id FROM customer;"
              "CREATE FUNCTION all_customers() RETURNS SETOF public.customer LANGUAGE plpgsql"
              " AS $$BEGIN RETURN QUERY SELECT * FROM customer; END$$;"
              "CREATE FUNCTION all_names() RETURNS SETOF public.names LANGUAGE plpgsql"
              " AS $$BEGIN RETURN QUERY SELECT * FROM names; END$$;",
              "", "", "", ""});
}

TEST_CASE("pg diff: a view calling a function whose signature changes is recreated",
          "[schema][pg][order]") {
  const std::string a =
      "CREATE FUNCTION f(x int) RETURNS int LANGUAGE plpgsql AS $$BEGIN RETURN x; END$$;"
      "CREATE VIEW v AS SELECT f(1) AS one;";
  const std::string b =
      "CREATE FUNCTION f(x int) RETURNS bigint LANGUAGE plpgsql AS $$BEGIN RETURN x; END$$;"
      "CREATE VIEW v AS SELECT f(1) AS one;";
  round_trip({a, b, "", "", "", ""});
  TempPgDatabase from, to;
  from.exec(a);
  to.exec(b);
  const std::string script =
      migrate::schema::render_script(migrate::schema::diff_postgres(inspect(from), inspect(to)));
  CHECK(script.find("DROP VIEW public.v") < script.find("DROP FUNCTION public.f"));
}

// migra's `migra-pr246.enumwithfuncdep`: the rebuilt type is renamed aside;
// a function whose argument uses it is dropped first and created again.
TEST_CASE("pg diff: a function whose signature uses a rebuilt enum is recreated",
          "[schema][pg][order]") {
  const std::string fn =
      "CREATE TABLE t (m mood);"
      "CREATE FUNCTION f(p mood) RETURNS void LANGUAGE plpgsql"
      " AS $$BEGIN RAISE NOTICE '%', p; END$$;"
      "CREATE FUNCTION g(p mood[]) RETURNS mood LANGUAGE sql AS $$ SELECT p[1] $$;";
  round_trip({"CREATE TYPE mood AS ENUM ('a', 'b', 'c');" + fn,
              "CREATE TYPE mood AS ENUM ('a', 'b');" + fn, "INSERT INTO t VALUES ('a')",
              "INSERT INTO t VALUES ('b')", "SELECT m::text FROM t", "SELECT m::text FROM t"});
}
