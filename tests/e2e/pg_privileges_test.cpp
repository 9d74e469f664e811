// --privileges on `diff`, through the real binary on the real PostgreSQL
// server: owners and GRANT/REVOKE are compared only when asked, the script
// makes the --from database's privileges the --to database's (checked with
// the server's own has_*_privilege functions), and an object the script
// creates, or drops and creates again, gets its grants back.
#include <catch2/catch.hpp>

#include "e2e/pg_fixture.h"
#include "support/matchers.h"

namespace {

using Catch::Contains;
using e2e::diff_databases;
using e2e::TempPgDatabase;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Roles are the server's: made once, kept (the test server is private).
void make_roles(const TempPgDatabase& db) {
  for (const char* role : {"migrate_priv_reader", "migrate_priv_writer"})
    db.exec(std::string("DO $$ BEGIN CREATE ROLE ") + role +
            "; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
}

const char* kObjects =
    "CREATE SCHEMA app;\n"
    "CREATE TYPE public.mood AS ENUM ('ok', 'sad');\n"
    "CREATE TABLE public.t (id integer PRIMARY KEY, a text, b text);\n"
    "CREATE SEQUENCE public.s;\n"
    "CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS 'SELECT 1';\n";

}  // namespace

TEST_CASE("pg: diff --privileges makes owners and grants the target's",
          "[e2e][postgres][schema][privileges]") {
  TempPgDatabase from, to;
  make_roles(from);
  from.exec(std::string(kObjects) +
            "CREATE VIEW public.v AS SELECT id, a FROM public.t;\n"
            "GRANT SELECT ON public.t TO migrate_priv_reader;\n"
            "GRANT SELECT (a) ON public.t TO migrate_priv_writer;\n");
  to.exec(std::string(kObjects) +
          "CREATE VIEW public.v AS SELECT id, a FROM public.t;\n"
          "GRANT SELECT, INSERT ON public.t TO migrate_priv_writer WITH GRANT OPTION;\n"
          "GRANT UPDATE (b) ON public.t TO migrate_priv_reader;\n"
          "REVOKE EXECUTE ON FUNCTION public.f() FROM PUBLIC;\n"
          "GRANT USAGE ON SEQUENCE public.s TO migrate_priv_reader;\n"
          "GRANT USAGE ON SCHEMA app TO migrate_priv_reader;\n"
          "REVOKE USAGE ON TYPE public.mood FROM PUBLIC;\n"
          "ALTER VIEW public.v OWNER TO migrate_priv_reader;\n");
  e2e::Project p;

  // Not asked: not compared.
  auto plain = diff_databases(p, from, to, {"--exit-code"});
  CHECK_THAT(plain, ExitedWith(0));
  CHECK(plain.out == "");

  auto r = diff_databases(p, from, to, {"--privileges"});
  INFO(r.out << r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(has(r.out, "REVOKE SELECT ON TABLE public.t FROM migrate_priv_reader;"));
  CHECK(has(r.out,
            "GRANT INSERT, SELECT ON TABLE public.t TO migrate_priv_writer WITH GRANT "
            "OPTION;"));
  CHECK(has(r.out, "REVOKE SELECT (\"a\") ON TABLE public.t FROM migrate_priv_writer;"));
  CHECK(has(r.out, "GRANT UPDATE (\"b\") ON TABLE public.t TO migrate_priv_reader;"));
  CHECK(has(r.out, "REVOKE EXECUTE ON FUNCTION public.f() FROM PUBLIC;"));
  CHECK(has(r.out, "GRANT USAGE ON SEQUENCE public.s TO migrate_priv_reader;"));
  CHECK(has(r.out, "GRANT USAGE ON SCHEMA app TO migrate_priv_reader;"));
  CHECK(has(r.out, "REVOKE USAGE ON TYPE public.mood FROM PUBLIC;"));
  CHECK(has(r.out, "ALTER VIEW public.v OWNER TO migrate_priv_reader;"));

  from.exec("BEGIN;\n" + r.out + "COMMIT;");
  CHECK_THAT(diff_databases(p, from, to, {"--privileges", "--exit-code"}), ExitedWith(0));
  // What the server says now, role by role.
  CHECK(from.rows(
            "SELECT has_table_privilege('migrate_priv_reader', 'public.t', 'SELECT'),"
            " has_table_privilege('migrate_priv_writer', 'public.t', 'INSERT WITH GRANT "
            "OPTION'),"
            " has_column_privilege('migrate_priv_writer', 'public.t', 'a', 'SELECT'),"
            " has_column_privilege('migrate_priv_reader', 'public.t', 'b', 'UPDATE'),"
            " has_function_privilege('migrate_priv_writer', 'public.f()', 'EXECUTE'),"
            " has_sequence_privilege('migrate_priv_reader', 'public.s', 'USAGE'),"
            " has_schema_privilege('migrate_priv_reader', 'app', 'USAGE'),"
            " (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'public.v'::regclass)") ==
        V{"f|t|t|t|f|t|t|migrate_priv_reader"});
}

TEST_CASE("pg: diff --privileges grants again on what the script creates",
          "[e2e][postgres][schema][privileges]") {
  TempPgDatabase from, to;
  make_roles(from);
  from.exec(
      "CREATE TABLE public.t (id integer PRIMARY KEY, a text);\n"
      "CREATE VIEW public.v AS SELECT id FROM public.t;\n"
      "GRANT SELECT ON public.v TO migrate_priv_reader;\n");
  // v's query changes (dropped and created again: its grant must come back);
  // w and u are new.
  to.exec(
      "CREATE TABLE public.t (id integer PRIMARY KEY, a text);\n"
      "CREATE VIEW public.v AS SELECT id, a FROM public.t;\n"
      "GRANT SELECT ON public.v TO migrate_priv_reader;\n"
      "CREATE VIEW public.w AS SELECT a FROM public.t;\n"
      "GRANT SELECT ON public.w TO migrate_priv_writer;\n"
      "CREATE TABLE public.u (id integer);\n"
      "ALTER TABLE public.u OWNER TO migrate_priv_writer;\n");
  e2e::Project p;
  auto r = diff_databases(p, from, to, {"--privileges"});
  INFO(r.out << r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(has(r.out, "GRANT SELECT ON TABLE public.w TO migrate_priv_writer;"));
  CHECK(has(r.out, "ALTER TABLE public.u OWNER TO migrate_priv_writer;"));
  from.exec("BEGIN;\n" + r.out + "COMMIT;");
  CHECK_THAT(diff_databases(p, from, to, {"--privileges", "--exit-code"}), ExitedWith(0));
  CHECK(from.rows("SELECT has_table_privilege('migrate_priv_reader', 'public.v', 'SELECT'),"
                  " has_table_privilege('migrate_priv_writer', 'public.w', 'SELECT')") == V{"t|t"});
  // Without --privileges the same diff leaves them out.
  auto plain = diff_databases(p, to, from, {});
  CHECK_FALSE(has(plain.out, "GRANT"));
  CHECK_FALSE(has(plain.out, "OWNER"));
}

TEST_CASE("pg: check and autogenerate take --privileges", "[e2e][postgres][privileges]") {
  TempPgDatabase db;
  make_roles(db);
  e2e::Project p;
  p.add({"a1", {}, "CREATE TABLE public.t (id integer PRIMARY KEY);", "DROP TABLE public.t;"});
  REQUIRE_THAT(e2e::run_pg(p, db, {"upgrade", "heads"}), ExitedWith(0));
  testsupport::write_file(p.path("schema.sql"),
                          "CREATE TABLE public.t (id integer PRIMARY KEY);\n"
                          "GRANT SELECT ON public.t TO migrate_priv_reader;\n");
  // Not asked: schema.sql matches rev:heads.
  CHECK_THAT(e2e::run_pg(p, db, {"check"}), ExitedWith(0));
  auto due = e2e::run_pg(p, db, {"check", "--privileges"});
  CHECK_THAT(due, ExitedWith(3));
  CHECK_THAT(due.err, Contains("an autogenerate is due"));
  CHECK_THAT(due.err, Contains("change privileges on table public.t: grant migrate_priv_reader "
                               "SELECT"));

  auto gen = e2e::run_pg(
      p, db, {"revision", "--autogenerate", "--privileges", "-m", "grants", "--rev-id", "b2"});
  INFO(gen.out << gen.err);
  REQUIRE_THAT(gen, ExitedWith(0));
  const std::string text = testsupport::read_file(p.versions() + "/b2_grants.sql");
  INFO(text);
  CHECK(has(text, "GRANT SELECT ON TABLE public.t TO migrate_priv_reader;"));
  CHECK(has(text, "REVOKE SELECT ON TABLE public.t FROM migrate_priv_reader;"));
  REQUIRE_THAT(e2e::run_pg(p, db, {"upgrade", "heads"}), ExitedWith(0));
  CHECK(db.rows("SELECT has_table_privilege('migrate_priv_reader', 'public.t', 'SELECT')") ==
        V{"t"});
  CHECK_THAT(e2e::run_pg(p, db, {"check", "--privileges"}), ExitedWith(0));
  // And drift: a grant by hand.
  db.exec("GRANT INSERT ON public.t TO migrate_priv_reader");
  auto drift = e2e::run_pg(p, db, {"check", "--privileges"});
  CHECK_THAT(drift, ExitedWith(3));
  CHECK_THAT(drift.err, Contains("drift"));
  CHECK_THAT(e2e::run_pg(p, db, {"check"}), ExitedWith(0));
}
