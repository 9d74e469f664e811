// migrate.yaml's `databases:` and `databases_file:` (config/databases.h):
// names, ${VAR} expansion, the order of targets, --db's wildcards, and every
// bad entry reported with its file:line.
#include <catch2/catch.hpp>
#include <optional>

#include "config/config.h"
#include "config/databases.h"
#include "support/test_support.h"
#include "util/error.h"

using Catch::Matchers::Contains;
using migrate::config::Config;
using migrate::config::load_config;
using migrate::config::NamedDatabase;
using migrate::config::select_databases;
using testsupport::ScopedEnv;
using testsupport::TempDir;
using testsupport::write_file;

namespace {

std::string load_error(const std::string& path) {
  try {
    load_config(path, std::nullopt);
  } catch (const migrate::Error& e) {
    return e.what();
  }
  FAIL_CHECK("expected an error loading " << path);
  return "";
}

std::vector<std::string> names(const std::vector<NamedDatabase>& dbs) {
  std::vector<std::string> out;
  for (const auto& d : dbs) out.push_back(d.name);
  return out;
}

}  // namespace

TEST_CASE("databases: and databases_file: give named targets in order", "[config][databases]") {
  TempDir dir;
  ScopedEnv url("MIGRATE_T_TENANT_B", "sqlite:///b.db");
  write_file(dir / "migrate.yaml",
             "script_location: migrations\n"
             "databases:\n"
             "  tenant_a: sqlite:///a.db\n"
             "  tenant_b: ${MIGRATE_T_TENANT_B}\n"
             "databases_file: more/tenants.txt\n");
  write_file(dir / "more/tenants.txt",
             "# shard list\n"
             "\n"
             "shard-1  postgresql://app@db1/shard1\n"
             "   # indented comment\n"
             "shard.2\tsqlite:///s2.db\n");
  Config c = load_config(dir / "migrate.yaml", std::nullopt);
  CHECK(names(c.databases) ==
        std::vector<std::string>{"tenant_a", "tenant_b", "shard-1", "shard.2"});
  CHECK(c.databases[1].url == "sqlite:///b.db");
  CHECK(c.databases[1].where == dir / "migrate.yaml:4");
  CHECK(c.databases[2].url == "postgresql://app@db1/shard1");
  CHECK(c.databases[2].where == dir / "more/tenants.txt:3");
  CHECK(c.databases[3].where == dir / "more/tenants.txt:5");
  CHECK(c.database_url.empty());  // still the single default, unset here

  CHECK(names(select_databases(c.databases, {"shard*"}, false)) ==
        std::vector<std::string>{"shard-1", "shard.2"});
  // Config order, each once, whatever the order of the patterns.
  CHECK(names(select_databases(c.databases, {"tenant_?", "tenant_a", "shard-1"}, false)) ==
        std::vector<std::string>{"tenant_a", "tenant_b", "shard-1"});
  CHECK(names(select_databases(c.databases, {}, true)).size() == 4);
  CHECK(names(select_databases(c.databases, {"[st]*-1"}, false)) ==
        std::vector<std::string>{"shard-1"});
  std::string none =
      testsupport::error_of([&] { select_databases(c.databases, {"tenant_c"}, false); });
  CHECK_THAT(none, Contains("--db 'tenant_c' matches no configured database (known: tenant_a, "
                            "tenant_b, shard-1, shard.2)"));
}

TEST_CASE("bad database entries name their file and line", "[config][databases]") {
  TempDir dir;
  const std::string cfg = dir / "migrate.yaml";
  write_file(cfg, "script_location: m\ndatabases:\n  a: sqlite:///a.db\n  a: sqlite:///b.db\n");
  CHECK_THAT(load_error(cfg),
             Contains(cfg + ":4: duplicate database name `a` (first at " + cfg + ":3)"));
  write_file(cfg, "script_location: m\ndatabases:\n  bad name: sqlite:///a.db\n");
  CHECK_THAT(load_error(cfg), Contains(cfg + ":3: bad database name 'bad name'"));
  write_file(cfg, "script_location: m\ndatabases:\n  t*: sqlite:///a.db\n");
  CHECK_THAT(load_error(cfg), Contains(cfg + ":3: bad database name 't*'"));
  write_file(cfg, "script_location: m\ndatabases:\n  a: mysql://x/y\n");
  CHECK_THAT(load_error(cfg), Contains(cfg + ":3: database `a`: "));
  write_file(cfg, "script_location: m\ndatabases:\n  a: [x, y]\n");
  CHECK_THAT(load_error(cfg), Contains(cfg + ":3: database `a` must have one URL"));
  write_file(cfg, "script_location: m\ndatabases: sqlite:///a.db\n");
  CHECK_THAT(load_error(cfg), Contains(cfg + ":2: `databases` must map names to database URLs"));

  // The file: a name in both places, a line without a URL, a bad URL.
  const std::string list = dir / "dbs.txt";
  write_file(cfg, "script_location: m\ndatabases:\n  a: sqlite:///a.db\ndatabases_file: dbs.txt\n");
  write_file(list, "b sqlite:///b.db\n# c\na sqlite:///a2.db\n");
  CHECK_THAT(load_error(cfg),
             Contains(list + ":3: duplicate database name `a` (first at " + cfg + ":3)"));
  write_file(list, "b sqlite:///b.db\nc\n");
  CHECK_THAT(load_error(cfg), Contains(list + ":2: expected `name url [schema]`, got 'c'"));
  write_file(list, "b sqlite://host/b.db\n");
  CHECK_THAT(load_error(cfg), Contains(list + ":1: database `b`: "));
  CHECK_THAT(load_error(cfg), Contains("SQLite URLs have no host"));
  write_file(list, "b mysql://u:hunter2@h/d\n");
  CHECK_THAT(load_error(cfg), Contains(list + ":1: database `b`: bad database URL"));
  CHECK_THAT(load_error(cfg), !Contains("hunter2"));
  write_file(list, "b sqlite:///b.db extra\n");
  CHECK_THAT(load_error(cfg), Contains(list + ":1: database `b`: `schema` and `search_path` are "
                                              "for PostgreSQL"));
  write_file(cfg, "script_location: m\ndatabases_file: nowhere.txt\n");
  CHECK_THAT(load_error(cfg),
             Contains(cfg + ":2: `databases_file` " + dir / "nowhere.txt" + ": no such file"));
}

TEST_CASE("an unset ${VAR} in a database URL matters only when it is chosen",
          "[config][databases]") {
  TempDir dir;
  ScopedEnv unset("MIGRATE_T_UNSET_URL", nullptr);
  write_file(dir / "migrate.yaml",
             "script_location: m\ndatabases:\n  a: sqlite:///a.db\n  b: ${MIGRATE_T_UNSET_URL}\n");
  Config c = load_config(dir / "migrate.yaml", std::nullopt);
  CHECK(migrate::config::find_database(c.databases, "a").url == "sqlite:///a.db");
  CHECK_THAT(testsupport::error_of([&] { migrate::config::find_database(c.databases, "b"); }),
             Contains(dir / "migrate.yaml:4: database `b` has an empty URL"));
}

TEST_CASE("databases: schema per tenant in the mapping form and the file's third word",
          "[unit][config][databases]") {
  TempDir d;
  write_file(d / "tenants.txt", "t3 postgresql://h/app tenant_3\nt4 postgresql://h/app\n");
  write_file(d / "migrate.yaml",
             "script_location: migrations\n"
             "databases:\n"
             "  t1: {url: postgresql://h/app, schema: tenant_1}\n"
             "  t2:\n"
             "    url: postgresql://h/app\n"
             "    schema: tenant_2\n"
             "    search_path: tenant_2, \"Shared\"\n"
             "databases_file: tenants.txt\n");
  Config c = load_config(d / "migrate.yaml", std::nullopt);
  REQUIRE(names(c.databases) == std::vector<std::string>{"t1", "t2", "t3", "t4"});
  CHECK(c.databases[0].schema == "tenant_1");
  CHECK(c.databases[0].search_path.empty());
  CHECK(c.databases[1].search_path == std::vector<std::string>{"tenant_2", "Shared"});
  CHECK(c.databases[2].schema == "tenant_3");
  CHECK(c.databases[3].schema.empty());

  write_file(d / "migrate.yaml", "databases:\n  t1: {url: postgresql://h/app, shema: x}\n");
  CHECK_THAT(load_error(d / "migrate.yaml"),
             Contains("migrate.yaml:2: database `t1`: unknown key 'shema' (known: url, schema, "
                      "search_path)"));
  write_file(d / "migrate.yaml", "databases:\n  t1: {schema: x}\n");
  CHECK_THAT(load_error(d / "migrate.yaml"), Contains("database `t1` has no `url`"));
  write_file(d / "migrate.yaml", "databases:\n  t1: {url: sqlite:///a.db, schema: x}\n");
  CHECK_THAT(load_error(d / "migrate.yaml"),
             Contains("`schema` and `search_path` are for PostgreSQL"));
  write_file(d / "tenants.txt", "t3 postgresql://h/app a b\n");
  write_file(d / "migrate.yaml", "script_location: migrations\ndatabases_file: tenants.txt\n");
  CHECK_THAT(load_error(d / "migrate.yaml"),
             Contains("tenants.txt:1: database `t3`: more than `name url schema`"));
}
