// --schema / --exclude-schema on `diff`, `check` and `revision
// --autogenerate`, through the real binary on the real PostgreSQL server:
// each side differs in several schemas, and every assertion names a change
// the filter must leave out (or keep), so an ignored filter fails it.
#include <catch2/catch.hpp>

#include "e2e/pg_fixture.h"
#include "support/matchers.h"

namespace {

using Catch::Contains;
using e2e::diff_databases;
using e2e::TempPgDatabase;
using testsupport::ExitedWith;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Differs from kTo in app, audit and public; kTo adds schema fresh, an
// extension installed in audit, and a publication (in no schema).
const char* kFrom =
    "CREATE SCHEMA app; CREATE SCHEMA audit;\n"
    "CREATE TABLE app.items (id integer PRIMARY KEY, name text);\n"
    "CREATE TABLE audit.log (id integer PRIMARY KEY, msg text);\n"
    "CREATE TABLE public.settings (k text PRIMARY KEY);\n";
const char* kTo =
    "CREATE SCHEMA app; CREATE SCHEMA audit; CREATE SCHEMA fresh;\n"
    "CREATE EXTENSION pg_trgm SCHEMA audit;\n"
    "CREATE TYPE app.state AS ENUM ('new', 'done');\n"
    "CREATE TABLE app.items (id integer PRIMARY KEY, name text, state app.state);\n"
    "CREATE INDEX items_name_idx ON app.items (name);\n"
    "CREATE FUNCTION app.item_count() RETURNS bigint LANGUAGE sql AS\n"
    "  'SELECT count(*) FROM app.items';\n"
    "CREATE TABLE audit.log (id integer PRIMARY KEY, msg text, at timestamptz);\n"
    "CREATE SEQUENCE audit.log_seq;\n"
    "CREATE TYPE audit.pair AS (a integer, b integer);\n"
    "CREATE PUBLICATION items_pub FOR TABLE app.items;\n"
    "CREATE TABLE public.settings (k text PRIMARY KEY, v text);\n"
    "CREATE TABLE fresh.things (id integer);\n";

}  // namespace

TEST_CASE("pg: diff --schema compares the named schemas alone", "[e2e][postgres][schema]") {
  TempPgDatabase from, to;
  from.exec(kFrom);
  to.exec(kTo);
  e2e::Project p;

  auto whole = diff_databases(p, from, to, {});
  REQUIRE_THAT(whole, ExitedWith(0));
  // Unfiltered, every schema differs: what the filtered runs must leave out.
  CHECK(has(whole.out, "audit.log ADD COLUMN at"));
  CHECK(has(whole.out, "public.settings ADD COLUMN v"));
  CHECK(has(whole.out, "CREATE EXTENSION"));
  CHECK(has(whole.out, "CREATE TYPE audit.pair"));
  CHECK(has(whole.out, "CREATE PUBLICATION"));

  auto app = diff_databases(p, from, to, {"--schema", "app"});
  INFO(app.out << app.err);
  REQUIRE_THAT(app, ExitedWith(0));
  CHECK(has(app.out, "CREATE TYPE app.state"));
  CHECK(has(app.out, "ALTER TABLE app.items ADD COLUMN state app.state"));
  CHECK(has(app.out, "CREATE INDEX items_name_idx"));
  CHECK(has(app.out, "FUNCTION app.item_count()"));
  CHECK_FALSE(has(app.out, "audit."));
  CHECK_FALSE(has(app.out, "public."));
  CHECK_FALSE(has(app.out, "fresh"));
  CHECK_FALSE(has(app.out, "EXTENSION"));    // installed in audit
  CHECK_FALSE(has(app.out, "PUBLICATION"));  // in no schema: --schema leaves it out
  CHECK(app.err == "");

  // Repeatable; a schema only --to has is created first.
  auto two = diff_databases(p, from, to, {"--schema", "app", "--schema", "fresh"});
  REQUIRE_THAT(two, ExitedWith(0));
  CHECK(has(two.out, "CREATE SCHEMA fresh;"));
  CHECK(has(two.out, "CREATE TABLE fresh.things"));
  CHECK(has(two.out, "app.items ADD COLUMN state"));
  CHECK_FALSE(has(two.out, "audit."));

  // The script applies, and leaves the compared schemas equal while the
  // others still differ.
  from.exec(two.out);
  CHECK_THAT(diff_databases(p, from, to, {"--schema", "app", "--schema", "fresh", "--exit-code"}),
             ExitedWith(0));
  CHECK_THAT(diff_databases(p, from, to, {"--schema", "audit", "--exit-code"}), ExitedWith(3));
}

TEST_CASE("pg: diff --exclude-schema compares every other schema", "[e2e][postgres][schema]") {
  TempPgDatabase from, to;
  from.exec(kFrom);
  to.exec(kTo);
  e2e::Project p;

  auto r = diff_databases(p, from, to, {"--exclude-schema", "audit", "--exclude-schema", "fresh"});
  INFO(r.out << r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(has(r.out, "app.items ADD COLUMN state"));
  CHECK(has(r.out, "public.settings ADD COLUMN v"));
  CHECK_FALSE(has(r.out, "audit."));
  CHECK_FALSE(has(r.out, "fresh"));
  CHECK_FALSE(has(r.out, "EXTENSION"));
  // In no schema: compared by --exclude-schema, which leaves out only audit's.
  CHECK(has(r.out, "CREATE PUBLICATION items_pub"));
  from.exec(r.out);
  CHECK_THAT(
      diff_databases(p, from, to,
                     {"--exclude-schema", "audit", "--exclude-schema", "fresh", "--exit-code"}),
      ExitedWith(0));
  // An extension lives in the schema it is installed in.
  auto audit = diff_databases(p, from, to, {"--schema", "audit"});
  CHECK(has(audit.out, "CREATE EXTENSION pg_trgm"));
  CHECK(has(audit.out, "audit.log ADD COLUMN at"));
  CHECK(has(audit.out, "CREATE SEQUENCE audit.log_seq"));
  CHECK(has(audit.out, "CREATE TYPE audit.pair"));
  CHECK_FALSE(has(audit.out, "CREATE SCHEMA fresh"));
  // The excluded schema is not dropped either, the other way round.
  auto back = p.run({"diff", "--from", to.url(), "--to", from.url(), "--exclude-schema", "fresh"});
  CHECK(has(back.out, "DROP SEQUENCE audit.log_seq"));
  CHECK_FALSE(has(back.out, "fresh"));
}

TEST_CASE("pg: schema filters refuse what they cannot mean", "[e2e][postgres][schema]") {
  TempPgDatabase from, to;
  from.exec(kFrom);
  to.exec(kTo);
  e2e::Project p;

  auto both = diff_databases(p, from, to, {"--schema", "app", "--exclude-schema", "audit"});
  CHECK_THAT(both, ExitedWith(2));
  CHECK_THAT(both.err, Contains("--schema and --exclude-schema cannot be combined"));
  CHECK(both.out == "");

  auto typo = diff_databases(p, from, to, {"--schema", "ap"});
  CHECK_THAT(typo, ExitedWith(1));
  CHECK_THAT(typo.err, Contains("--schema ap: no schema of that name on either side compared "
                                "(their schemas: app, audit, fresh, public;"));
  CHECK(typo.out == "");
  // System schemas are never compared: naming one is the same mistake.
  CHECK_THAT(diff_databases(p, from, to, {"--schema", "pg_catalog"}), ExitedWith(1));

  // Excluding a schema nobody has excludes nothing: said, not refused.
  auto none = diff_databases(p, from, to, {"--exclude-schema", "nosuch"});
  CHECK_THAT(none, ExitedWith(0));
  CHECK_THAT(none.err, Contains("--exclude-schema nosuch: no schema of that name"));
  CHECK(has(none.out, "audit.log ADD COLUMN at"));

  // Only with --autogenerate on `revision`.
  CHECK_THAT(p.run({"revision", "-m", "x", "--schema", "app"}), ExitedWith(2));
}

TEST_CASE("pg: a diff narrowed by a schema filter says which references cross it",
          "[e2e][postgres][schema]") {
  TempPgDatabase from, to;
  from.exec(
      "CREATE SCHEMA app; CREATE SCHEMA audit;\n"
      "CREATE TABLE app.gone (id integer PRIMARY KEY, note text);\n"
      "CREATE VIEW audit.gone_notes AS SELECT id, note FROM app.gone;\n");
  to.exec(
      "CREATE SCHEMA app; CREATE SCHEMA audit;\n"
      "CREATE TYPE audit.level AS ENUM ('low', 'high');\n"
      "CREATE TABLE audit.events (id integer PRIMARY KEY, body text);\n"
      "CREATE TABLE app.alerts (id integer PRIMARY KEY, level audit.level,\n"
      "  event_id integer REFERENCES audit.events (id));\n"
      "CREATE VIEW app.recent AS SELECT id, body FROM audit.events;\n");
  e2e::Project p;

  // Creating app's objects needs audit's, which --from lacks and the filter
  // leaves out; dropping app.gone is refused by audit's view: each is said.
  auto r = diff_databases(p, from, to, {"--schema", "app"});
  INFO(r.out << r.err);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(has(r.out, "CREATE VIEW app.recent"));
  CHECK_FALSE(has(r.out, "CREATE TABLE audit."));
  CHECK_FALSE(has(r.out, "CREATE TYPE audit."));
  CHECK_FALSE(has(r.out, "DROP VIEW audit."));
  CHECK_THAT(r.err, Contains("view app.recent uses audit.events, in schema audit which the "
                             "schema filter leaves out, and the database the script runs on "
                             "has no audit.events"));
  CHECK_THAT(r.err, Contains("table app.alerts column level uses audit.level"));
  CHECK_THAT(r.err, Contains("table app.alerts constraint alerts_event_id_fkey uses "
                             "audit.events"));
  CHECK_THAT(r.err, Contains("view audit.gone_notes, in schema audit which the schema filter "
                             "leaves out, uses app.gone, which the script drops"));
  // What was said is true: the script fails where the warning says.
  CHECK_THROWS_WITH(from.exec("BEGIN;\n" + r.out + "COMMIT;"), Contains("audit."));

  // With audit's objects there (and the view on app.gone gone), nothing
  // crosses the boundary and the narrowed script applies.
  from.exec(
      "DROP VIEW audit.gone_notes;\n"
      "CREATE TYPE audit.level AS ENUM ('low', 'high');\n"
      "CREATE TABLE audit.events (id integer PRIMARY KEY, body text);\n");
  auto ok = diff_databases(p, from, to, {"--schema", "app"});
  REQUIRE_THAT(ok, ExitedWith(0));
  CHECK(ok.err == "");
  from.exec("BEGIN;\n" + ok.out + "COMMIT;");
  CHECK_THAT(diff_databases(p, from, to, {"--exit-code"}), ExitedWith(0));
}

TEST_CASE("pg: check and autogenerate take --schema and --exclude-schema",
          "[e2e][postgres][schema][autogenerate]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add({"a1",
         {},
         "CREATE SCHEMA app; CREATE SCHEMA audit;\n"
         "CREATE TABLE app.items (id integer PRIMARY KEY, name text);\n"
         "CREATE TABLE audit.log (id integer PRIMARY KEY, msg text);",
         "DROP SCHEMA app CASCADE; DROP SCHEMA audit CASCADE;"});
  REQUIRE_THAT(e2e::run_pg(p, db, {"upgrade", "heads"}), ExitedWith(0));
  // schema.sql wants a change in each schema; the database drifts in audit.
  testsupport::write_file(p.path("schema.sql"),
                          "CREATE SCHEMA app; CREATE SCHEMA audit;\n"
                          "CREATE TABLE app.items (id integer PRIMARY KEY, name text,\n"
                          "  price numeric(10,2));\n"
                          "CREATE TABLE audit.log (id integer PRIMARY KEY, msg text,\n"
                          "  at timestamptz);\n");
  db.exec("ALTER TABLE audit.log ADD COLUMN extra text");

  auto whole = e2e::run_pg(p, db, {"check"});
  CHECK_THAT(whole, ExitedWith(3));
  CHECK_THAT(whole.err, Contains("drift"));
  CHECK_THAT(whole.err, Contains("an autogenerate is due"));
  // Neither problem is in app: --schema app sees the autogenerate due alone.
  auto app = e2e::run_pg(p, db, {"check", "--schema", "app"});
  INFO(app.out << app.err);
  CHECK_THAT(app, ExitedWith(3));
  CHECK_THAT(app.err, Contains("an autogenerate is due"));
  CHECK_THAT(app.err, Contains("price"));
  CHECK_FALSE(has(app.err, "drift"));
  CHECK_FALSE(has(app.err, "audit"));
  auto no_audit = e2e::run_pg(p, db, {"check", "--exclude-schema", "audit"});
  CHECK_THAT(no_audit, ExitedWith(3));
  CHECK_FALSE(has(no_audit.err, "drift"));
  CHECK_THAT(e2e::run_pg(p, db, {"check", "--schema", "app", "--exclude-schema", "audit"}),
             ExitedWith(2));

  // Autogenerate for app alone: audit's change stays out of the revision.
  auto gen = e2e::run_pg(
      p, db, {"revision", "--autogenerate", "-m", "app only", "--schema", "app", "--rev-id", "b2"});
  INFO(gen.out << gen.err);
  REQUIRE_THAT(gen, ExitedWith(0));
  const std::string text = testsupport::read_file(p.versions() + "/b2_app_only.sql");
  INFO(text);
  CHECK(has(text, "ALTER TABLE app.items ADD COLUMN price numeric(10,2)"));
  CHECK(has(text, "ALTER TABLE app.items DROP COLUMN price"));
  CHECK_FALSE(has(text, "audit"));
  REQUIRE_THAT(e2e::run_pg(p, db, {"upgrade", "heads"}), ExitedWith(0));
  CHECK(db.rows("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'app' "
                "AND table_name = 'items' AND column_name = 'price'") ==
        std::vector<std::string>{"1"});
  CHECK_THAT(e2e::run_pg(p, db, {"check", "--schema", "app"}), ExitedWith(0));
  CHECK_THAT(e2e::run_pg(p, db, {"check", "--schema", "audit"}), ExitedWith(3));

  // The rest, by exclusion: app has nothing left to generate.
  db.exec("ALTER TABLE audit.log DROP COLUMN extra");
  auto rest = e2e::run_pg(p, db,
                          {"revision", "--autogenerate", "-m", "the rest", "--exclude-schema",
                           "app", "--rev-id", "c3"});
  INFO(rest.out << rest.err);
  REQUIRE_THAT(rest, ExitedWith(0));
  const std::string text2 = testsupport::read_file(p.versions() + "/c3_the_rest.sql");
  CHECK(has(text2, "ALTER TABLE audit.log ADD COLUMN at timestamp with time zone"));
  CHECK_FALSE(has(text2, "app."));
  REQUIRE_THAT(e2e::run_pg(p, db, {"upgrade", "heads"}), ExitedWith(0));
  CHECK_THAT(e2e::run_pg(p, db, {"check"}), ExitedWith(0));
}
