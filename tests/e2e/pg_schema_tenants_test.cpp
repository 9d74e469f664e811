// Issue 13, schema per tenant: several targets in one PostgreSQL database,
// each with its own schema (`schema:` in the mapping form of `databases:`,
// or a third word in a databases_file). Each tenant's steps run with its
// schema first in search_path, so unqualified names land there, and its
// version and history tables live there; tenants move independently. On
// the real server started by scripts/test.sh.
#include "e2e/pg_fixture.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

// One database with three tenant schemas: two in `databases:` (the mapping
// form), one in a databases_file (`name url schema`), whose name needs
// quoting (mixed case).
struct SchemaTenants {
  e2e::Project p;
  e2e::TempPgDatabase db;
  explicit SchemaTenants(const std::string& more_databases = "") {
    db.exec("CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b; CREATE SCHEMA \"TenantC\"");
    std::string cfg = testsupport::read_file(p.path("migrate.yaml"));
    cfg +=
        "databases:\n"
        "  tenant_a: {url: \"${TENANTS_URL}\", schema: tenant_a}\n"
        "  tenant_b:\n"
        "    url: ${TENANTS_URL}\n"
        "    schema: tenant_b\n" +
        more_databases + "databases_file: tenants.txt\n";
    testsupport::write_file(p.path("migrate.yaml"), cfg);
    testsupport::write_file(p.path("tenants.txt"),
                            "# name url schema\ntenant_c ${TENANTS_URL} TenantC\n");
  }
  testsupport::RunResult run(const std::vector<std::string>& args) const {
    return p.run(args, {{"TENANTS_URL", db.url()}});
  }
  // "schema|table" of the tables named like `pattern`, in every schema.
  V tables_like(const std::string& pattern) const {
    return db.rows("SELECT schemaname || '|' || tablename FROM pg_tables WHERE tablename LIKE '" +
                   pattern + "' ORDER BY 1");
  }
  V version(const std::string& schema) const {
    return db.rows("SELECT version_num FROM \"" + schema + "\".migrate_version");
  }
};

}  // namespace

TEST_CASE("pg schema per tenant: each tenant's steps and version table in its own schema",
          "[e2e][databases]") {
  SchemaTenants t;
  t.p.add({"r1",
           {},
           "CREATE TABLE accounts (id integer PRIMARY KEY, name text);",
           "DROP TABLE accounts;"});
  // Outside a transaction: the search_path is set for the session then.
  t.p.add({"r2",
           {"r1"},
           "CREATE INDEX CONCURRENTLY accounts_name ON accounts (name);",
           "DROP INDEX CONCURRENTLY accounts_name;",
           {},
           {},
           "transactional: false"});
  // A step that changes search_path itself does not send the next one (or
  // the bookkeeping) elsewhere: each step starts from the tenant's.
  t.p.add({"r3",
           {"r2"},
           "SET search_path = public;\nCREATE TABLE r3_probe (id integer);\nDROP TABLE r3_probe;",
           "SELECT 1;"});
  t.p.add({"r4", {"r3"}, "INSERT INTO accounts VALUES (1, 'one');", "DELETE FROM accounts;"});

  auto up = t.run({"upgrade", "heads", "--all-databases", "--jobs", "3"});
  REQUIRE_THAT(up, ExitedWith(0));
  CHECK_THAT(up.out, Contains("3 databases: 3 ok"));
  CHECK(t.tables_like("accounts") ==
        V{"TenantC|accounts", "tenant_a|accounts", "tenant_b|accounts"});
  CHECK(t.tables_like("migrate\\_version") ==
        V{"TenantC|migrate_version", "tenant_a|migrate_version", "tenant_b|migrate_version"});
  CHECK(
      t.db.rows("SELECT schemaname FROM pg_indexes WHERE indexname = 'accounts_name' ORDER BY 1") ==
      V{"TenantC", "tenant_a", "tenant_b"});
  for (const char* s : {"tenant_a", "tenant_b", "TenantC"}) {
    CHECK(t.version(s) == V{"r4"});
    CHECK(t.db.rows(std::string("SELECT count(*) FROM \"") + s + "\".accounts") == V{"1"});
  }
  // Nothing went to public, the server's search_path.
  CHECK(t.db.rows("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == V{"0"});

  // Tenants move independently.
  REQUIRE_THAT(t.run({"downgrade", "r1", "--db", "tenant_b"}), ExitedWith(0));
  CHECK(t.version("tenant_b") == V{"r1"});
  CHECK(t.version("tenant_a") == V{"r4"});
  CHECK(
      t.db.rows("SELECT schemaname FROM pg_indexes WHERE indexname = 'accounts_name' ORDER BY 1") ==
      V{"TenantC", "tenant_a"});
  auto cur = t.run({"current", "--db", "tenant_*"});
  REQUIRE_THAT(cur, ExitedWith(0));
  CHECK_THAT(cur.out, Contains("tenant_b | r1"));
  CHECK_THAT(cur.out, Contains("tenant_c | r4"));
  auto status = t.run({"status", "--exit-code", "--all-databases"});
  CHECK_THAT(status, ExitedWith(3));
  CHECK_THAT(status.out, Contains("3 databases: 2 ok, 1 behind"));

  // The dry run sets the tenant's search_path too: r4's INSERT finds the
  // tenant's accounts (there is none in public), after r3 set another
  // search_path in its own rolled-back transaction.
  auto dry = t.run({"upgrade", "heads", "--db", "tenant_b", "--dry-run"});
  CHECK_THAT(dry, ExitedWith(0));
  CHECK(t.version("tenant_b") == V{"r1"});
  CHECK(t.db.rows("SELECT count(*) FROM tenant_b.accounts") == V{"0"});
}

TEST_CASE("pg schema per tenant: a search_path of several schemas, and what is refused",
          "[e2e][databases]") {
  SchemaTenants t(
      "  tenant_d:\n"
      "    url: ${TENANTS_URL}\n"
      "    schema: tenant_a\n"
      "    search_path: tenant_a, Shared\n");  // unquoted: folds to `shared`
  t.db.exec("CREATE SCHEMA shared; CREATE TABLE shared.plans (id integer PRIMARY KEY)");
  // plans resolves to shared.plans through the second schema.
  t.p.add({"r1",
           {},
           "CREATE TABLE subs (id integer PRIMARY KEY, plan integer REFERENCES plans);",
           "DROP TABLE subs;"});
  REQUIRE_THAT(t.run({"upgrade", "heads", "--db", "tenant_d"}), ExitedWith(0));
  CHECK(t.tables_like("subs") == V{"tenant_a|subs"});
  CHECK(t.db.rows("SELECT confrelid::regclass::text FROM pg_constraint WHERE contype = 'f'") ==
        V{"shared.plans"});

  // The script for one tenant sets its search_path as the online run does.
  auto script = t.run({"upgrade", "heads", "--sql", "--db", "tenant_d"});
  REQUIRE_THAT(script, ExitedWith(0));
  CHECK_THAT(script.out, Contains("SET search_path = \"tenant_a\", \"shared\";"));
  CHECK_THAT(script.out, Contains("\"tenant_a\".\"migrate_version\""));

  // check reads the whole database: the other tenants would be drift.
  auto check = t.run({"check", "--db", "tenant_d"});
  CHECK_THAT(check, ExitedWith(1));
  CHECK_THAT(check.out + check.err, Contains("schema per tenant): not supported yet"));

  // A schema that does not exist: the run stops before anything, and says so.
  t.db.exec("DROP SCHEMA tenant_b");
  auto missing = t.run({"upgrade", "heads", "--db", "tenant_b"});
  CHECK_THAT(missing, ExitedWith(1));
  CHECK_THAT(missing.out + missing.err, Contains("tenant_b"));
  CHECK_THAT(missing.out + missing.err, Contains("does not exist"));

  // On SQLite a schema means nothing: refused where it is written.
  testsupport::write_file(t.p.path("tenants.txt"), "tenant_c sqlite:///c.db TenantC\n");
  auto lite = t.run({"current", "--db", "tenant_c"});
  CHECK_THAT(lite, ExitedWith(1));
  CHECK_THAT(lite.err, Contains("tenants.txt:1: database `tenant_c`: `schema` and `search_path` "
                                "are for PostgreSQL"));
  // A search_path that is not one.
  SchemaTenants t2("  tenant_e: {url: \"${TENANTS_URL}\", search_path: \"a; DROP TABLE x\"}\n");
  auto bad = t2.run({"current", "--db", "tenant_a"});
  CHECK_THAT(bad, ExitedWith(1));
  CHECK_THAT(bad.err, Contains("migrate.yaml:"));
  CHECK_THAT(bad.err, Contains("bad search_path 'a; DROP TABLE x': unexpected ';'"));
}
