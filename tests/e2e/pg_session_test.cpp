// Issue 12 on PostgreSQL: a step's session settings (a pg_dump's empty
// search_path) leak neither into the next step nor into migrate's own
// statements, online or offline; a permission-denied step (42501) is
// reported with its file, line, step and the steps committed before it; a
// refused run creates no table. An offline script names the schema of
// migrate's tables in every statement it writes.
#include <cstdio>
#include <random>

#include "test_paths.h"
#include "e2e/pg_fixture.h"
#include "e2e/pg_session_helpers.h"

using Catch::Matchers::Contains;
using e2e::run_pg;
using e2e::TempPgDatabase;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

// The first lines of a real pg_dump, then a table named in full (as
// pg_dump names everything).
const char* kDumpStep =
    "SET statement_timeout = 0;\n"
    "SET lock_timeout = 0;\n"
    "SET client_encoding = 'UTF8';\n"
    "SET standard_conforming_strings = on;\n"
    "SELECT pg_catalog.set_config('search_path', '', false);\n"
    "SET check_function_bodies = false;\n"
    "CREATE TABLE public.t_a1 (id integer);";

void dump_project(const e2e::Project& p) {
  p.add({"a1", {}, kDumpStep, "DROP TABLE public.t_a1;"});
  // Unqualified, as revisions are written: needs the configured search_path.
  p.add({"b2", {"a1"}, "CREATE TABLE t_b2 (id integer);", "DROP TABLE t_b2;"});
}

}  // namespace

TEST_CASE("pg: a step's search_path does not leak into the next step or the version table",
          "[e2e][postgres][session]") {
  TempPgDatabase db;
  e2e::Project p;
  dump_project(p);
  auto up = run_pg(p, db, {"upgrade", "head"});
  REQUIRE_THAT(up, ExitedWith(0));
  CHECK(db.version() == V{"b2"});
  CHECK(db.tables() == V{"t_a1", "t_b2"});
  CHECK(db.history_count("status = 'ok'") == 2);

  // The non-transactional path restores the session too.
  TempPgDatabase db2;
  e2e::Project q;
  q.add({"a1", {}, kDumpStep, "DROP TABLE public.t_a1;", {}, {}, "transactional: false"});
  q.add({"b2",
         {"a1"},
         "CREATE TABLE t_b2 (id integer);",
         "DROP TABLE t_b2;",
         {},
         {},
         "transactional: false"});
  REQUIRE_THAT(run_pg(q, db2, {"upgrade", "head"}), ExitedWith(0));
  CHECK(db2.version() == V{"b2"});
  CHECK(db2.tables() == V{"t_a1", "t_b2"});

  // Down again, through the same connection.
  REQUIRE_THAT(run_pg(p, db, {"downgrade", "base"}), ExitedWith(0));
  CHECK(db.version().empty());
  CHECK(db.tables().empty());
}

TEST_CASE("pg: the offline script restores the session before migrate's own statements",
          "[e2e][postgres][session]") {
  TempPgDatabase db;
  e2e::Project p;
  dump_project(p);
  auto script = run_pg(p, db, {"upgrade", "head", "--sql"});
  REQUIRE_THAT(script, ExitedWith(0));
  CHECK_THAT(script.out, Contains("CREATE TABLE public.t_a1 (id integer);\nRESET ALL;\nINSERT INTO "
                                  "\"public\".\"migrate_version\""));
  testsupport::write_file(p.path("up.sql"), script.out);
  auto applied = testsupport::run_program(
      p.dir.path(), {"psql", db.url(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "up.sql"});
  REQUIRE_THAT(applied, ExitedWith(0));
  CHECK(db.version() == V{"b2"});
  CHECK(db.tables() == V{"t_a1", "t_b2"});
  CHECK(db.history_count("applied_by = 'offline'") == 2);
}

TEST_CASE("pg: a permission-denied step names its file, line and step, and the steps before it",
          "[e2e][postgres][session]") {
  TempPgDatabase db;
  std::random_device rd;
  const std::string role = "migrate_np_" + std::to_string(rd() % 100000000);
  const std::string password = "np-secret-" + std::to_string(rd() % 1000);
  // A role that may create tables but does not own `owned`.
  db.exec("CREATE TABLE owned (id integer)");
  db.exec("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
  struct DropRole {
    const TempPgDatabase& db;
    std::string role;
    ~DropRole() {
      try {
        db.exec("DROP OWNED BY " + role + "; DROP ROLE " + role);
      } catch (...) {
      }
    }
  } drop{db, role};
  db.exec("GRANT CREATE, USAGE ON SCHEMA public TO " + role);
  auto admin = migrate::config::parse_database_url(db.url());
  const std::string url = "postgresql://" + role + ":" + password + "@" + admin.host + ":" +
                          (admin.port.empty() ? "5432" : admin.port) + "/" + admin.dbname;

  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"});
  p.add({"c3",
         {"b2"},
         "CREATE TABLE t_c3 (id integer);\nALTER TABLE owned ADD COLUMN x integer;",
         "DROP TABLE t_c3;"});
  auto up = p.run({"--url", url, "upgrade", "head"});
  CHECK_THAT(up, ExitedWith(1));
  // file:line, the step, the statement and the server's text.
  CHECK_THAT(up.err, Contains(p.rev_path("c3") + ":10: step c3 (upgrade) failed: "));
  CHECK_THAT(up.err, Contains("must be owner of table owned"));
  CHECK_THAT(up.err, Contains("in: ALTER TABLE owned ADD COLUMN x integer"));
  CHECK_THAT(up.err, Contains("2 steps of this run committed before it and stay applied: a1, b2"));
  CHECK(up.err.find(password) == std::string::npos);
  CHECK_THAT(up.out, Contains("Running upgrade a1 -> b2"));
  CHECK(db.version() == V{"b2"});
  CHECK(db.tables() == V{"t_a1", "t_b2"});
}

TEST_CASE("pg: a refused run creates no version or history table", "[e2e][postgres][session]") {
  TempPgDatabase db;
  e2e::Project p;
  db.exec("CREATE TABLE keep (id integer)");
  p.add({"a1", {}, "DELETE FROM keep;", ""});
  auto refused = run_pg(p, db, {"upgrade", "head"});
  REQUIRE_THAT(refused, ExitedWith(1));
  CHECK_THAT(refused.err, Contains("Nothing was run"));
  CHECK(db.rows("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'migrate%'") == V{"0"});
  REQUIRE_THAT(run_pg(p, db, {"stamp", "base"}), ExitedWith(0));
  CHECK(db.rows("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'migrate%'") == V{"0"});
}

TEST_CASE("pg: a step's progress line comes when it commits, not when the message ends",
          "[e2e][postgres][session]") {
  TempPgDatabase db;
  e2e::Project p;
  // Three transactional steps go to the server in one message; the second
  // takes three seconds.
  p.add_table_rev("a1", {});
  p.add({"b2", {"a1"}, "SELECT pg_sleep(3);\nCREATE TABLE t_b2 (id integer);", "DROP TABLE t_b2;"});
  p.add_table_rev("c3", {"b2"});
  const std::string command = "cd '" + p.dir.path() + "' && " + MIGRATE_BINARY + " --url '" +
                              db.url() + "' upgrade head 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char line[4096];
  REQUIRE(fgets(line, sizeof line, pipe) != nullptr);
  // The first step's line is out while the second still sleeps.
  CHECK_THAT(std::string(line), Contains("Running upgrade <base> -> a1"));
  const auto version_then = db.version();
  std::string rest;
  while (fgets(line, sizeof line, pipe)) rest += line;
  CHECK(pclose(pipe) == 0);
  CHECK(version_then == V{"a1"});
  CHECK_THAT(rest, Contains("Running upgrade a1 -> b2"));
  CHECK_THAT(rest, Contains("Running upgrade b2 -> c3"));
  CHECK(db.version() == V{"c3"});
}

namespace {

// Where migrate's own tables are named in `script` without `schema` before
// them (the primary key's name excepted): none when every statement it
// writes names their schema.
std::vector<std::string> unqualified(const std::string& script, const std::string& schema) {
  std::vector<std::string> out;
  for (const std::string table : {"\"migrate_version\"", "\"migrate_history\""})
    for (std::size_t at = script.find(table); at != std::string::npos;
         at = script.find(table, at + 1))
      if (at < schema.size() + 1 ||
          script.compare(at - schema.size() - 1, schema.size() + 1, schema + ".") != 0)
        out.push_back(script.substr(script.rfind('\n', at) + 1, 80));
  return out;
}

testsupport::RunResult psql_file(const e2e::Project& p, const TempPgDatabase& db,
                                 const std::string& file, const std::string& pgoptions) {
  return testsupport::run_program(
      p.dir.path(), {"psql", db.url(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file},
      {{"PGOPTIONS", pgoptions}});
}

V migrate_tables(const TempPgDatabase& db) {
  return db.rows(
      "SELECT schemaname || '.' || tablename FROM pg_tables WHERE tablename LIKE 'migrate\\_%' "
      "ORDER BY 1");
}

}  // namespace

TEST_CASE("pg: an offline script names the schema of migrate's tables in every statement",
          "[e2e][postgres][session]") {
  TempPgDatabase db;
  e2e::Project p;
  // Revisions as pg_dump writes them: every name qualified, search_path
  // emptied at the start.
  p.add({"a1", {}, kDumpStep, "DROP TABLE public.t_a1;"});
  p.add({"b2", {"a1"}, "CREATE TABLE public.t_b2 (id integer);", "DROP TABLE public.t_b2;"});
  p.add({"c3", {"b2"}, "SELECT pg_catalog.set_config('search_path', '', false);", ""});
  auto script = run_pg(p, db, {"upgrade", "head", "--sql"});
  REQUIRE_THAT(script, ExitedWith(0));
  // Without version_table_schema: "public", checked at the script's start.
  CHECK(unqualified(script.out, "\"public\"").empty());
  testsupport::write_file(p.path("up.sql"), script.out);
  auto stamp = run_pg(p, db, {"stamp", "a1:c3", "--sql"});
  REQUIRE_THAT(stamp, ExitedWith(0));
  CHECK(unqualified(stamp.out, "\"public\"").empty());
  auto down = run_pg(p, db, {"downgrade", "c3:base", "--sql"});
  REQUIRE_THAT(down, ExitedWith(0));
  CHECK(unqualified(down.out, "\"public\"").empty());
  testsupport::write_file(p.path("down.sql"), down.out);

  SECTION("a session whose current schema is not public is refused before anything runs") {
    db.exec("CREATE SCHEMA other");
    for (const auto& [options, shown] : std::vector<std::pair<std::string, std::string>>{
             {"-c search_path=", "none (no schema of search_path exists)"},
             {"-c search_path=other,public", "other"}}) {
      auto refused = psql_file(p, db, "up.sql", options);
      INFO(options);
      CHECK_THAT(refused, ExitedWith(3));
      CHECK_THAT(refused.err,
                 Contains("migrate: this script keeps its version table in "
                          "\"public\".\"migrate_version\" (version_table_schema is not set), but "
                          "this session's current schema is " +
                          shown + ", where an online run would keep it"));
      CHECK(migrate_tables(db).empty());
      CHECK(db.tables().empty());
    }
  }

  SECTION("a session on public runs it, the steps' own set_config notwithstanding") {
    auto applied = psql_file(p, db, "up.sql", "");
    INFO(applied.err);
    REQUIRE_THAT(applied, ExitedWith(0));
    CHECK(db.version() == V{"c3"});
    CHECK(db.tables() == V{"t_a1", "t_b2"});
    CHECK(migrate_tables(db) == V{"public.migrate_history", "public.migrate_version"});
    // Online, migrate finds what the script recorded.
    auto current = run_pg(p, db, {"current"});
    REQUIRE_THAT(current, ExitedWith(0));
    CHECK(current.out == "c3 (head)\n");
    REQUIRE_THAT(psql_file(p, db, "down.sql", ""), ExitedWith(0));
    CHECK(db.version().empty());
    CHECK(db.tables().empty());
  }

  SECTION("with version_table_schema, the script runs in a session with no search_path") {
    db.exec("CREATE SCHEMA audit");
    e2e::add_config(p, "version_table_schema: audit");
    auto configured = run_pg(p, db, {"upgrade", "head", "--sql"});
    REQUIRE_THAT(configured, ExitedWith(0));
    CHECK(unqualified(configured.out, "\"audit\"").empty());
    CHECK(configured.out.find("current_schema") == std::string::npos);
    testsupport::write_file(p.path("audit.sql"), configured.out);
    auto applied = psql_file(p, db, "audit.sql", "-c search_path=");
    INFO(applied.err);
    REQUIRE_THAT(applied, ExitedWith(0));
    CHECK(migrate_tables(db) == V{"audit.migrate_history", "audit.migrate_version"});
    CHECK(db.rows("SELECT version_num FROM audit.migrate_version") == V{"c3"});
  }
}
