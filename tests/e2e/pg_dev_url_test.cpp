// A PostgreSQL dev database the user names (--dev-url / dev_url), through
// the real binary on the real server: each side of a diff (or of check and
// autogenerate: rev:heads, then schema_file) is applied to it in turn, so it
// must start empty and be emptied after each use; one that holds objects of
// its own is refused, untouched.
#include <catch2/catch.hpp>
#include <filesystem>

#include "e2e/pg_fixture.h"
#include "support/matchers.h"
#include "test_paths.h"

namespace {

using Catch::Contains;
using e2e::TempPgDatabase;
using testsupport::ExitedWith;

// What the user objects of `db` are, read here independently of the tool:
// schemas but public and the system ones, relations, routines, types
// (implicit array, multirange and row types aside), operators and
// collations outside the system schemas, extensions but plpgsql, event
// triggers and publications.
std::vector<std::string> user_objects(const TempPgDatabase& db) {
  return db.rows(
      "WITH ns AS (SELECT oid, nspname FROM pg_namespace WHERE nspname <> 'information_schema'"
      "  AND nspname NOT LIKE 'pg\\_%')"
      " SELECT 'schema ' || nspname FROM ns WHERE nspname <> 'public'"
      " UNION ALL SELECT 'relation ' || relname FROM pg_class JOIN ns ON ns.oid = relnamespace"
      " UNION ALL SELECT 'routine ' || proname FROM pg_proc JOIN ns ON ns.oid = pronamespace"
      " UNION ALL SELECT 'type ' || typname FROM pg_type t JOIN ns ON ns.oid = typnamespace"
      "  WHERE typtype NOT IN ('m') AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = "
      "t.oid)"
      "  AND (typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = typrelid) = 'c')"
      " UNION ALL SELECT 'operator ' || oprname FROM pg_operator JOIN ns ON ns.oid = oprnamespace"
      " UNION ALL SELECT 'collation ' || collname FROM pg_collation"
      "  JOIN ns ON ns.oid = collnamespace"
      " UNION ALL SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'"
      " UNION ALL SELECT 'event trigger ' || evtname FROM pg_event_trigger"
      " UNION ALL SELECT 'publication ' || pubname FROM pg_publication ORDER BY 1");
}

// Two sides that clash on one database: the same names, differently.
// Together they use most of what the dev database must empty: a schema,
// tables with an identity and a serial, a view, a function, an enum, a
// domain, a composite type, a range type, an operator, a collation, an
// extension, an event trigger and a publication.
const char* const kSideA =
    "CREATE EXTENSION citext;\n"
    "CREATE SCHEMA app;\n"
    "CREATE TYPE mood AS ENUM ('sad', 'ok');\n"
    "CREATE DOMAIN posint AS integer CHECK (VALUE > 0);\n"
    "CREATE TYPE pair AS (a integer, b integer);\n"
    "CREATE TYPE span AS RANGE (subtype = float8);\n"
    "CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = "
    "false);\n"
    "CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, m mood);\n"
    "CREATE TABLE app.u (id serial PRIMARY KEY, name citext);\n"
    "CREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN a + 1;\n"
    "CREATE OPERATOR === (leftarg = integer, rightarg = integer, function = int4pl);\n"
    "CREATE FUNCTION noop() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;\n"
    "CREATE EVENT TRIGGER et ON ddl_command_end EXECUTE FUNCTION noop();\n"
    "CREATE PUBLICATION pub FOR TABLE t;\n";
const char* const kSideB =
    "CREATE EXTENSION citext;\n"
    "CREATE SCHEMA app;\n"
    "CREATE TYPE mood AS ENUM ('sad', 'ok', 'glad');\n"
    "CREATE DOMAIN posint AS integer CHECK (VALUE > 0);\n"
    "CREATE TYPE pair AS (a integer, b integer);\n"
    "CREATE TYPE span AS RANGE (subtype = float8);\n"
    "CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = "
    "false);\n"
    "CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, m mood, note text);\n"
    "CREATE TABLE app.u (id serial PRIMARY KEY, name citext);\n"
    "CREATE VIEW v AS SELECT id, note FROM t;\n"
    "CREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN a + 1;\n"
    "CREATE OPERATOR === (leftarg = integer, rightarg = integer, function = int4pl);\n"
    "CREATE FUNCTION noop() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;\n"
    "CREATE EVENT TRIGGER et ON ddl_command_end EXECUTE FUNCTION noop();\n"
    "CREATE PUBLICATION pub FOR TABLE t;\n";

}  // namespace

TEST_CASE("pg: diff of two .sql files on a given dev database, emptied after each side",
          "[e2e][postgres][schema]") {
  TempPgDatabase db, dev;
  e2e::Project p;
  testsupport::write_file(p.path("a.sql"), kSideA);
  testsupport::write_file(p.path("b.sql"), kSideB);
  auto diff = [&](const char* from, const char* to) {
    return e2e::run_pg(
        p, db, {"diff", "--from", p.path(from), "--to", p.path(to), "--dev-url", dev.url()});
  };
  // Twice in a row: the first run leaves the dev database as it found it.
  for (int run = 0; run < 2; ++run) {
    auto r = diff("a.sql", "b.sql");
    INFO("run " << run << "\n" << r.out << r.err);
    REQUIRE_THAT(r, ExitedWith(0));
    CHECK_THAT(r.out, Contains("ADD VALUE 'glad'"));
    CHECK_THAT(r.out, Contains("ALTER TABLE public.t ADD COLUMN note text"));
    CHECK_THAT(r.out, Contains("CREATE VIEW public.v"));
    CHECK_THAT(r.out, !Contains("CREATE TABLE"));
    CHECK(user_objects(dev).empty());
  }
  auto back = diff("b.sql", "a.sql");
  INFO(back.out << back.err);
  REQUIRE_THAT(back, ExitedWith(0));
  CHECK_THAT(back.out, Contains("DROP VIEW public.v"));
  CHECK_THAT(back.out, Contains("DROP COLUMN note"));
  CHECK(user_objects(dev).empty());
  auto same = diff("a.sql", "a.sql");
  REQUIRE_THAT(same, ExitedWith(0));
  CHECK(same.out.empty());

  // A side that fails leaves nothing either (its one transaction rolled
  // back, what the other side made dropped).
  testsupport::write_file(p.path("bad.sql"), "CREATE TABLE t (id integer);\nCREATE TABLE t ();\n");
  auto bad = diff("a.sql", "bad.sql");
  CHECK_THAT(bad, ExitedWith(1));
  CHECK_THAT(bad.err, Contains("--to: "));
  CHECK(user_objects(dev).empty());
  CHECK_THAT(diff("a.sql", "b.sql"), ExitedWith(0));
}

TEST_CASE("pg: a given dev database that is not empty is refused and left alone",
          "[e2e][postgres][schema]") {
  TempPgDatabase db, dev;
  dev.exec(
      "CREATE SCHEMA keep_me; CREATE TABLE precious (id integer); INSERT INTO precious "
      "VALUES (1); CREATE FUNCTION helper() RETURNS integer LANGUAGE sql RETURN 1");
  e2e::Project p;
  testsupport::write_file(p.path("a.sql"), "CREATE TABLE t (id integer);\n");
  testsupport::write_file(p.path("b.sql"), "CREATE TABLE t (id integer, note text);\n");
  auto r = e2e::run_pg(
      p, db, {"diff", "--from", p.path("a.sql"), "--to", p.path("b.sql"), "--dev-url", dev.url()});
  INFO(r.out << r.err);
  CHECK_THAT(r, ExitedWith(1));
  CHECK(r.out.empty());
  // Named by its URL, the password redacted.
  CHECK_THAT(r.err,
             Contains("dev database " + migrate::config::parse_database_url(dev.url()).redacted() +
                      " is not empty: it holds "));
  CHECK_THAT(r.err, !Contains(migrate::config::parse_database_url(dev.url()).libpq_conninfo()));
  CHECK_THAT(r.err, Contains("schema keep_me"));
  CHECK_THAT(r.err, Contains("table public.precious"));
  CHECK_THAT(r.err, Contains("function public.helper()"));
  CHECK_THAT(r.err, Contains("leave dev_url unset"));
  // Untouched: nothing of the sides applied, nothing of its own dropped.
  CHECK(dev.rows("SELECT id FROM precious") == std::vector<std::string>{"1"});
  CHECK(user_objects(dev) ==
        std::vector<std::string>{"relation precious", "routine helper", "schema keep_me"});

  // Nor is the configured database taken for one.
  auto self = e2e::run_pg(
      p, db, {"diff", "--from", db.url(), "--to", p.path("b.sql"), "--dev-url", db.url()});
  CHECK_THAT(self, ExitedWith(1));
  CHECK_THAT(self.err, Contains("is the database being compared"));
}

TEST_CASE("pg: check and revision --autogenerate with dev_url in migrate.yaml",
          "[e2e][postgres][schema]") {
  TempPgDatabase db, dev;
  testsupport::TempDir dir;
  std::filesystem::copy(std::string(MIGRATE_REPO_DIR) + "/sample_project", dir.path(),
                        std::filesystem::copy_options::recursive);
  {
    std::string yaml = testsupport::read_file(dir / "migrate.yaml");
    testsupport::write_file(dir / "migrate.yaml", yaml + "dev_url: ${DEV_URL}\n");
  }
  std::map<std::string, std::string> env{{"DATABASE_URL", db.url()}, {"DEV_URL", dev.url()}};
  auto run = [&](const std::vector<std::string>& args) {
    return testsupport::run_migrate(dir.path(), args, env);
  };
  REQUIRE_THAT(run({"upgrade", "heads"}), ExitedWith(0));
  // rev:heads and schema_file both on the dev database, one after the other.
  auto clean = run({"check"});
  INFO(clean.out << clean.err);
  REQUIRE_THAT(clean, ExitedWith(0));
  CHECK(user_objects(dev).empty());

  std::string schema = testsupport::read_file(dir / "schema.sql");
  const std::string due_date = "    due_date    date\n";
  auto pos = schema.find(due_date);
  REQUIRE(pos != std::string::npos);
  schema.replace(pos, due_date.size(), "    due_date    date,\n    priority    integer\n");
  testsupport::write_file(dir / "schema.sql", schema);
  auto due = run({"check"});
  CHECK_THAT(due, ExitedWith(3));
  CHECK_THAT(due.err, Contains("an autogenerate is due"));
  CHECK(user_objects(dev).empty());

  auto gen = run(
      {"revision", "--autogenerate", "--one-step", "-m", "priority", "--rev-id", "dddd00000001"});
  INFO(gen.out << gen.err);
  REQUIRE_THAT(gen, ExitedWith(0));
  std::string text = testsupport::read_file(dir / "migrations/versions/dddd00000001_priority.sql");
  CHECK_THAT(text.substr(0, text.find("-- migrate:downgrade")),
             Contains("ADD COLUMN priority integer"));
  CHECK_THAT(text.substr(0, text.find("-- migrate:downgrade")), !Contains("CREATE TABLE"));
  CHECK(user_objects(dev).empty());
  REQUIRE_THAT(run({"upgrade", "heads"}), ExitedWith(0));
  auto after = run({"check"});
  INFO(after.err);
  CHECK_THAT(after, ExitedWith(0));
  CHECK(user_objects(dev).empty());
}
