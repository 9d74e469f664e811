// Templates: lookup, list-templates, init, and that every shipped template
// gives a working project (its migrate.yaml loads, its script.sql.tmpl
// writes revisions that read back).
#include "test_paths.h"
#include "script/templates.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "config/config.h"
#include "script/revision_file.h"
#include "script/script_directory.h"
#include "support/test_support.h"
#include "util/error.h"

using Catch::Matchers::Contains;
using migrate::script::init_project;
using migrate::script::InitResult;
using migrate::script::list_templates;
using testsupport::error_of;
using testsupport::read_file;
using testsupport::ScopedEnv;
using testsupport::TempDir;
using testsupport::write_file;
namespace fs = std::filesystem;

namespace {

const std::string kRepoTemplates = std::string(MIGRATE_REPO_DIR) + "/templates";

}  // namespace

TEST_CASE("templates_root: $MIGRATE_TEMPLATES first, and a wrong one is an error", "[templates]") {
  TempDir dir;
  {
    ScopedEnv env("MIGRATE_TEMPLATES", dir.path().c_str());
    CHECK(migrate::script::templates_root() == dir.path());
  }
  {
    ScopedEnv env("MIGRATE_TEMPLATES", (dir / "missing").c_str());
    CHECK_THAT(error_of([] { migrate::script::templates_root(); }),
               Contains("$MIGRATE_TEMPLATES: " + (dir / "missing") + ": no such directory"));
  }
  // Without it, some built-in location is found (installed or source tree).
  ScopedEnv env("MIGRATE_TEMPLATES", nullptr);
  CHECK(fs::is_directory(migrate::script::templates_root()));
}

TEST_CASE("list_templates names the shipped templates with their README line", "[templates]") {
  ScopedEnv env("MIGRATE_TEMPLATES", kRepoTemplates.c_str());
  auto templates = list_templates();
  REQUIRE(templates.size() == 3);
  CHECK(templates[0].name == "generic");
  CHECK(templates[1].name == "postgres");
  CHECK(templates[2].name == "sqlite");
  for (const auto& t : templates) {
    INFO(t.name);
    CHECK(!t.description.empty());
    CHECK_THAT(t.description, !Contains("\n"));
    std::string readme = read_file(kRepoTemplates + "/" + t.name + "/README");
    CHECK(readme.substr(0, readme.find('\n')) == t.description);
  }
}

TEST_CASE("list_templates skips folders without script.sql.tmpl; README is optional",
          "[templates]") {
  TempDir dir;
  write_file(dir / "mine/script.sql.tmpl", "x");
  write_file(dir / "described/script.sql.tmpl", "x");
  write_file(dir / "described/README", "  One line.  \nMore.\n");
  write_file(dir / "not_a_template/README", "no script");
  ScopedEnv env("MIGRATE_TEMPLATES", dir.path().c_str());
  auto templates = list_templates();
  REQUIRE(templates.size() == 2);
  CHECK(templates[0].name == "described");
  CHECK(templates[0].description == "One line.");
  CHECK(templates[1].name == "mine");
  CHECK(templates[1].description.empty());
}

TEST_CASE("every shipped template makes a working project", "[templates]") {
  ScopedEnv env("MIGRATE_TEMPLATES", kRepoTemplates.c_str());
  ScopedEnv db("DATABASE_URL", nullptr);
  for (const char* name : {"generic", "sqlite", "postgres"}) {
    INFO(name);
    TempDir dir;
    InitResult r = init_project(dir.path(), "migrations", name);
    CHECK(r.script_dir == dir / "migrations");
    CHECK(r.config_file == dir / "migrate.yaml");
    CHECK(r.config_written);
    CHECK(fs::is_directory(dir / "migrations/versions"));
    CHECK(read_file(dir / "migrations/script.sql.tmpl") ==
          read_file(kRepoTemplates + "/" + name + "/script.sql.tmpl"));
    std::string yaml = read_file(dir / "migrate.yaml");
    CHECK_THAT(yaml, Contains("script_location: migrations\n"));
    CHECK_THAT(yaml, !Contains("${script_location}"));

    auto cfg = migrate::config::load_config(dir / "migrate.yaml", std::nullopt);
    CHECK(cfg.script_location == dir / "migrations");
    CHECK(cfg.schema_file == dir / "schema.sql");
    CHECK(cfg.version_table == "migrate_version");
    CHECK(cfg.history_table == "migrate_history");
    if (std::string(name) == "postgres") {
      CHECK(cfg.database_url == "postgresql://localhost/app");
      CHECK(cfg.lock_timeout == "5s");
    } else {
      CHECK(cfg.database_url == "sqlite:///app.db");
    }
    {
      ScopedEnv set("DATABASE_URL", "sqlite:///other.db");
      CHECK(migrate::config::load_config(dir / "migrate.yaml", std::nullopt).database_url ==
            "sqlite:///other.db");
    }

    // The template writes revisions that read back.
    auto sd = migrate::script::ScriptDirectory::load(cfg.script_location);
    migrate::script::NewRevision nr;
    nr.message = "create accounts";
    nr.upgrade_sql = "CREATE TABLE accounts (id int);\n";
    nr.downgrade_sql = "DROP TABLE accounts;\n";
    std::string path = sd.write_revision(nr);
    auto f = migrate::script::parse_revision_file(path);
    CHECK(f.message == "create accounts");
    CHECK(f.upgrade_sql == "CREATE TABLE accounts (id int);\n\n");
    CHECK(f.downgrade_sql == "DROP TABLE accounts;\n");
    CHECK(f.transactional);
  }
}

TEST_CASE("the postgres template's hint, uncommented, is a valid header line", "[templates]") {
  std::string tmpl = read_file(kRepoTemplates + "/postgres/script.sql.tmpl");
  const std::string hint = "-- # transactional: false\n";
  REQUIRE_THAT(tmpl, Contains(hint));
  tmpl.replace(tmpl.find(hint), hint.size(), "-- transactional: false\n");
  for (const char* key : {"${revision}", "${down_revision}", "${branch_labels}", "${depends_on}",
                          "${message}", "${created}", "${upgrade}", "${downgrade}"}) {
    REQUIRE_THAT(tmpl, Contains(key));
  }
  auto replace = [&](const std::string& from, const std::string& to) {
    tmpl.replace(tmpl.find(from), from.size(), to);
  };
  replace("${revision}", "a1");
  replace("${down_revision}", "null");
  replace("${branch_labels}", "[]");
  replace("${depends_on}", "[]");
  replace("${message}", "m");
  replace("${created}", "2026-11-23T10:00:00Z");
  replace("${upgrade}", "CREATE INDEX CONCURRENTLY i ON t (x);");
  replace("${downgrade}", "DROP INDEX CONCURRENTLY i;");
  auto f = migrate::script::parse_revision_text(tmpl, "x.sql");
  CHECK_FALSE(f.transactional);
}

TEST_CASE("init refuses a non-empty DIR, keeps an existing migrate.yaml", "[templates]") {
  ScopedEnv env("MIGRATE_TEMPLATES", kRepoTemplates.c_str());
  TempDir dir;
  SECTION("a non-empty DIR") {
    write_file(dir / "migrations/keep.txt", "mine");
    std::string e = error_of([&] { init_project(dir.path(), "migrations", "generic"); });
    CHECK_THAT(e, Contains(dir / "migrations is not empty"));
    CHECK_FALSE(fs::exists(dir / "migrate.yaml"));
    CHECK(read_file(dir / "migrations/keep.txt") == "mine");
  }
  SECTION("an empty DIR is fine") {
    fs::create_directories(dir / "migrations");
    init_project(dir.path(), "migrations", "generic");
    CHECK(fs::exists(dir / "migrations/script.sql.tmpl"));
  }
  SECTION("DIR is a file") {
    write_file(dir / "migrations", "x");
    CHECK_THAT(error_of([&] { init_project(dir.path(), "migrations", "generic"); }),
               Contains("exists and is not a directory"));
  }
  SECTION("an existing migrate.yaml is kept and reported") {
    write_file(dir / "migrate.yaml", "script_location: elsewhere\n");
    InitResult r = init_project(dir.path(), "db/migrations", "sqlite");
    CHECK_FALSE(r.config_written);
    CHECK(read_file(dir / "migrate.yaml") == "script_location: elsewhere\n");
    CHECK(fs::exists(dir / "db/migrations/versions"));
  }
  SECTION("an unknown template lists the known ones, creating nothing") {
    std::string e = error_of([&] { init_project(dir.path(), "migrations", "mysql"); });
    CHECK_THAT(e, Contains("unknown template 'mysql' (available: generic, postgres, sqlite)"));
    CHECK_THAT(error_of([&] { init_project(dir.path(), "migrations", "../templates"); }),
               Contains("unknown template"));
    CHECK_FALSE(fs::exists(dir / "migrations"));
    CHECK_FALSE(fs::exists(dir / "migrate.yaml"));
  }
}

TEST_CASE("init writes DIR into migrate.yaml so that it reads back unchanged", "[templates]") {
  ScopedEnv env("MIGRATE_TEMPLATES", kRepoTemplates.c_str());
  TempDir dir;
  InitResult r = init_project(dir.path(), "db/my migrations: $HOME #1", "generic");
  CHECK(r.script_dir == dir / "db/my migrations: $HOME #1");
  auto cfg = migrate::config::load_config(dir / "migrate.yaml", std::nullopt);
  CHECK(cfg.script_location == dir / "db/my migrations: $HOME #1");

  TempDir abs;
  init_project(abs.path(), dir / "absolute", "generic");
  CHECK(migrate::config::load_config(abs / "migrate.yaml", std::nullopt).script_location ==
        dir / "absolute");
}
