// What PostgreSQL objects use, read from the server (pg_depend) rather than
// by searching their text for words, and what the differ does with it: a
// name inside a string literal is no dependency, so a change to a column of
// that name leaves the object alone; a real dependency (a trigger's WHEN, a
// generated column, a view's column) orders or recreates what it must.
#include <catch2/catch.hpp>
#include <functional>

#include "e2e/schema_pg_roundtrip.h"

using Catch::Matchers::Contains;
using namespace schema_pg;

namespace {

using migrate::schema::ColumnRef;
using migrate::schema::QualifiedName;
using Names = std::vector<std::string>;

const migrate::schema::Table& table(const Schema& s, const std::string& name) {
  for (const auto& t : s.tables)
    if (t.name.name == name) return t;
  FAIL("no table " << name);
  throw 0;
}

const migrate::schema::View& view(const Schema& s, const std::string& name) {
  for (const auto& v : s.views)
    if (v.name.name == name) return v;
  FAIL("no view " << name);
  throw 0;
}

template <typename T>
const T& named(const std::vector<T>& items, const std::string& name) {
  for (const auto& i : items)
    if (i.name == name) return i;
  FAIL("nothing named " << name);
  throw 0;
}

// The diff between two databases built from `from_sql` and `to_sql` (with
// `-- migrate:renamed-from` hints as `hint` sets them on the target), after
// checking that it applies and leaves nothing to do (schema_pg_roundtrip.h).
std::string script_of(const std::string& from_sql, const std::string& to_sql,
                      const std::function<void(Schema&)>& hint = nullptr) {
  TempPgDatabase from, to;
  from.exec(from_sql);
  to.exec(to_sql);
  Schema target = inspect(to);
  if (hint) hint(target);
  Diff diff = migrate::schema::diff_postgres(inspect(from), target);
  std::string script = migrate::schema::render_script(diff);
  INFO("script:\n" << script);
  apply(from, diff);
  CHECK(first_difference(inspect(from), target).empty());
  CHECK(migrate::schema::diff_postgres(inspect(from), target).empty());
  return script;
}

}  // namespace

TEST_CASE("pg inspect: what constraints, indexes, defaults, triggers and views use",
          "[schema][pg][depends]") {
  TempPgDatabase db;
  db.exec(
      "CREATE TYPE mood AS ENUM ('ok', 'sad');"
      "CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql IMMUTABLE RETURN x * 2;"
      "CREATE TABLE t (id int PRIMARY KEY, kind text, status text, n int DEFAULT twice(1),"
      " g int GENERATED ALWAYS AS (twice(n) + id) STORED, m mood DEFAULT 'ok',"
      " CONSTRAINT kind_ok CHECK (kind <> 'status'), CONSTRAINT n_m CHECK (n > 0 OR m = 'sad'));"
      "CREATE INDEX t_kind ON t (lower(kind)) WHERE status IS NOT NULL;"
      "CREATE INDEX t_cover ON t (id) INCLUDE (n);"
      "CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;"
      "CREATE TRIGGER t_tr BEFORE UPDATE OF kind ON t FOR EACH ROW"
      " WHEN (NEW.status IS DISTINCT FROM 'kind') EXECUTE FUNCTION trg();"
      "CREATE VIEW v_cols AS SELECT id, kind FROM t;"
      "CREATE VIEW v_count AS SELECT count(*) AS n FROM t;");
  Schema s = inspect(db);
  const auto& t = table(s, "t");
  CHECK(named(t.constraints, "kind_ok").uses.columns == Names{"kind"});  // not status
  CHECK(named(t.constraints, "n_m").uses.columns == Names{"n", "m"});
  CHECK(named(t.constraints, "n_m").uses.types == std::vector<QualifiedName>{{"public", "mood"}});
  CHECK(named(t.constraints, "t_pkey").uses.columns == Names{"id"});
  CHECK(named(t.indexes, "t_kind").uses.columns == Names{"kind", "status"});
  CHECK(named(t.indexes, "t_cover").uses.columns == Names{"id", "n"});
  CHECK(t.column("n")->uses.columns.empty());  // never the defaulted column itself
  CHECK(t.column("n")->uses.functions == std::vector<QualifiedName>{{"public", "twice"}});
  CHECK(t.column("g")->uses.columns == Names{"id", "n"});
  CHECK(t.column("m")->uses.types == std::vector<QualifiedName>{{"public", "mood"}});
  REQUIRE(s.triggers.size() == 1);
  CHECK(s.triggers[0].uses.columns == Names{"kind", "status"});
  CHECK(s.triggers[0].uses.functions == std::vector<QualifiedName>{{"public", "trg"}});
  const QualifiedName t_name{"public", "t"};
  CHECK(view(s, "v_cols").columns_read == std::vector<ColumnRef>{{t_name, "id"}, {t_name, "kind"}});
  CHECK(view(s, "v_count").columns_read == std::vector<ColumnRef>{{t_name, ""}});
  CHECK(view(s, "v_count").depends_on == std::vector<QualifiedName>{t_name});
}

// Before, the differ searched definitions for the word `status`: dropping the
// column dropped and re-added the CHECK and the partial index as they were.
TEST_CASE("pg diff: a column named in string literals is dropped alone", "[schema][pg][depends]") {
  const std::string with =
      "CREATE TABLE t (id int PRIMARY KEY, kind text, status text,"
      " note text DEFAULT 'status', CONSTRAINT kind_ok CHECK (kind <> 'status'));"
      "CREATE INDEX t_kind ON t (kind) WHERE kind <> 'status';";
  const std::string without =
      "CREATE TABLE t (id int PRIMARY KEY, kind text,"
      " note text DEFAULT 'status', CONSTRAINT kind_ok CHECK (kind <> 'status'));"
      "CREATE INDEX t_kind ON t (kind) WHERE kind <> 'status';";
  CHECK(script_of(with, without) ==
        "-- destructive: drops column public.t.status and its data\n"
        "ALTER TABLE public.t DROP COLUMN status;\n");
  CHECK(script_of(without, with) == "ALTER TABLE public.t ADD COLUMN status text;\n");
  // The same for a type change: nothing but the ALTER.
  std::string retyped = with;
  retyped.replace(retyped.find("status text"), 11, "status varchar(20)");
  CHECK(script_of(with, retyped) ==
        "-- destructive: public.t.status changes type from text to character varying(20): "
        "values that do not fit fail or are cut\n"
        "ALTER TABLE public.t ALTER COLUMN status TYPE character varying(20);\n");
}

// Before, the comparison after a rename replaced the word in string literals
// too, so the CHECK, the default and the partial index looked changed.
TEST_CASE("pg diff: a renamed column named in string literals is only renamed",
          "[schema][pg][depends]") {
  auto table = [](const std::string& column) {
    return "CREATE TABLE t (id int PRIMARY KEY, kind text DEFAULT 'status', " + column +
           " text, CONSTRAINT kind_ok CHECK (kind <> 'status' AND " + column +
           " <> 'status'));"
           "CREATE INDEX t_kind ON t (kind) WHERE kind <> 'status' AND " +
           column + " IS NOT NULL;";
  };
  CHECK(script_of(table("status"), table("state"), [](Schema& s) {
          s.tables.at(0).columns.at(2).renamed_from = "status";
        }) == "ALTER TABLE public.t RENAME COLUMN status TO state;\n");
}

TEST_CASE("pg diff: a foreign key keeps a local column's namesake on the other side",
          "[schema][pg][depends]") {
  // FOREIGN KEY (pid) REFERENCES p(id) names `id`, but uses c.pid only.
  CHECK(script_of("CREATE TABLE p (id int PRIMARY KEY);"
                  "CREATE TABLE c (cid int PRIMARY KEY, id int, pid int REFERENCES p (id));",
                  "CREATE TABLE p (id int PRIMARY KEY);"
                  "CREATE TABLE c (cid int PRIMARY KEY, pid int REFERENCES p (id));") ==
        "-- destructive: drops column public.c.id and its data\n"
        "ALTER TABLE public.c DROP COLUMN id;\n");
}

TEST_CASE("pg diff: a function named in a string is not called by the table",
          "[schema][pg][depends]") {
  // LANGUAGE sql functions come after the tables unless a table calls them;
  // a default text 'public.f(' calls nothing.
  const std::string script = script_of(
      "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql IMMUTABLE RETURN x;"
      "CREATE TABLE t (id int PRIMARY KEY, note text DEFAULT 'public.f(', n int);",
      "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql IMMUTABLE RETURN x + 1;"
      "CREATE TABLE t (id int PRIMARY KEY, note text DEFAULT 'public.f(', n bigint);");
  CHECK(script.find("ALTER TABLE public.t") < script.find("CREATE OR REPLACE FUNCTION"));
}

// The server refuses to change the type of, or drop, a column a trigger's
// UPDATE OF or WHEN uses; those triggers are recreated, the others kept.
TEST_CASE("pg diff: triggers over a column whose type changes are recreated",
          "[schema][pg][depends]") {
  const std::string triggers =
      "CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;"
      "CREATE TRIGGER t_of BEFORE UPDATE OF n ON t FOR EACH ROW EXECUTE FUNCTION trg();"
      "CREATE TRIGGER t_when BEFORE UPDATE ON t FOR EACH ROW WHEN (NEW.n > 0)"
      " EXECUTE FUNCTION trg();"
      "CREATE TRIGGER t_other BEFORE UPDATE ON t FOR EACH ROW WHEN (NEW.k > 0)"
      " EXECUTE FUNCTION trg();";
  const std::string script =
      script_of("CREATE TABLE t (id int PRIMARY KEY, n int, k int);" + triggers,
                "CREATE TABLE t (id int PRIMARY KEY, n bigint, k int);" + triggers);
  CHECK_THAT(script, Contains("DROP TRIGGER t_of ON public.t;"));
  CHECK_THAT(script, Contains("DROP TRIGGER t_when ON public.t;"));
  CHECK_FALSE(script.find("t_other") != std::string::npos);
}

TEST_CASE("pg diff: a generated column is dropped before the column it uses",
          "[schema][pg][depends]") {
  round_trip({
      "CREATE TABLE t (id int PRIMARY KEY, a int, g int GENERATED ALWAYS AS (a * 2) STORED);",
      "CREATE TABLE t (id int PRIMARY KEY, b int, g int GENERATED ALWAYS AS (b * 2) STORED);",
      "INSERT INTO t (id, a) VALUES (1, 2)",
      "INSERT INTO t (id, b) VALUES (1, 2)",
      "SELECT id FROM t",
      "SELECT id FROM t",
  });
}

// A view is recreated when it reads a column that changes, or reads the
// table without naming columns (a whole row, count(*)); not otherwise.
TEST_CASE("pg diff: only the views reading a changed column are recreated",
          "[schema][pg][depends]") {
  const std::string views =
      "CREATE VIEW v_a AS SELECT id, a FROM t; CREATE VIEW v_b AS SELECT id, b FROM t;"
      "CREATE VIEW v_row AS SELECT t FROM t; CREATE VIEW v_count AS SELECT count(*) AS n FROM t;";
  const std::string script =
      script_of("CREATE TABLE t (id int PRIMARY KEY, a int, b text);" + views,
                "CREATE TABLE t (id int PRIMARY KEY, a bigint, b text);" + views);
  CHECK_THAT(script, Contains("DROP VIEW public.v_a;"));
  CHECK_THAT(script, Contains("DROP VIEW public.v_row;"));
  CHECK_THAT(script, Contains("DROP VIEW public.v_count;"));
  CHECK_FALSE(script.find("v_b") != std::string::npos);
}
