// migrate.yaml: ${VAR} expansion, which file is used, relative paths, and
// every error with its file:line.
#include "config/config.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "config/duration.h"
#include "support/test_support.h"
#include "util/error.h"

using Catch::Matchers::Contains;
using migrate::config::Config;
using migrate::config::config_path;
using migrate::config::expand_env;
using migrate::config::load_config;
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

}  // namespace

TEST_CASE("expand_env: ${VAR}, ${VAR:-default}, $$", "[config]") {
  ScopedEnv set("MIGRATE_T_SET", "value");
  ScopedEnv empty("MIGRATE_T_EMPTY", "");
  ScopedEnv unset("MIGRATE_T_UNSET", nullptr);
  CHECK(expand_env("a ${MIGRATE_T_SET} b") == "a value b");
  CHECK(expand_env("${MIGRATE_T_UNSET}") == "");
  CHECK(expand_env("${MIGRATE_T_EMPTY}") == "");
  CHECK(expand_env("${MIGRATE_T_SET:-dflt}") == "value");
  CHECK(expand_env("${MIGRATE_T_UNSET:-dflt}") == "dflt");
  // As in the shell, `:-` also replaces an empty value.
  CHECK(expand_env("${MIGRATE_T_EMPTY:-sqlite:///app.db}") == "sqlite:///app.db");
  CHECK(expand_env("${MIGRATE_T_UNSET:-}") == "");
  CHECK(expand_env("${MIGRATE_T_UNSET:-${MIGRATE_T_SET}/x}") == "value/x");
  CHECK(expand_env("${MIGRATE_T_UNSET:-${MIGRATE_T_UNSET:-deep}}") == "deep");
  CHECK(expand_env("cost: $$5 and $5 and $ alone and $MIGRATE_T_SET") ==
        "cost: $5 and $5 and $ alone and $MIGRATE_T_SET");
  CHECK(expand_env("$${MIGRATE_T_SET}") == "${MIGRATE_T_SET}");
  CHECK(expand_env("") == "");
}

TEST_CASE("expand_env errors", "[config]") {
  CHECK_THROWS_WITH(expand_env("x ${UNTERMINATED"), Catch::Contains("unterminated '${'"));
  CHECK_THROWS_WITH(expand_env("${A:-${B}"), Catch::Contains("unterminated '${'"));
  CHECK_THROWS_WITH(expand_env("${}"), Catch::Contains("bad variable reference"));
  CHECK_THROWS_WITH(expand_env("${1ABC}"), Catch::Contains("bad variable reference"));
  CHECK_THROWS_WITH(expand_env("${A-b}"), Catch::Contains("expected ${NAME} or ${NAME:-default}"));
  // An error never echoes a password.
  try {
    expand_env("postgresql://u:hunter2@h/db${");
    FAIL("expected an error");
  } catch (const migrate::Error& e) {
    CHECK_THAT(e.what(), !Contains("hunter2"));
  }
}

TEST_CASE("config_path: -c, then $MIGRATE_CONFIG, then ./migrate.yaml", "[config]") {
  {
    ScopedEnv env("MIGRATE_CONFIG", "/etc/from-env.yaml");
    CHECK(config_path(std::string("cli.yaml")) == "cli.yaml");
    CHECK(config_path(std::nullopt) == "/etc/from-env.yaml");
    CHECK(config_path(std::string("")) == "/etc/from-env.yaml");
  }
  {
    ScopedEnv env("MIGRATE_CONFIG", "");  // empty counts as unset
    CHECK(config_path(std::nullopt) == "migrate.yaml");
  }
  ScopedEnv env("MIGRATE_CONFIG", nullptr);
  CHECK(config_path(std::nullopt) == "migrate.yaml");
}

TEST_CASE("load_config reads every key, expands, resolves paths", "[config]") {
  TempDir dir;
  ScopedEnv db("MIGRATE_T_DB", "sqlite:///data/app.db");
  ScopedEnv unset("MIGRATE_T_UNSET", nullptr);
  write_file(dir / "conf/migrate.yaml",
             "# a comment\n"
             "script_location: ../migrations\n"
             "database_url: ${MIGRATE_T_DB}\n"
             "version_table: my_version\n"
             "version_table_schema: app\n"
             "history_table: my_history\n"
             "schema_file: schema/${MIGRATE_T_UNSET:-schema}.sql\n"
             "dev_url: ${MIGRATE_T_UNSET:-sqlite:///:memory:}\n"
             "lock_timeout: 2s\n"
             "statement_timeout: 30s\n"
             "lock_retries: 3\n"
             "wait_timeout: 1min\n");
  Config c = load_config(dir / "conf/migrate.yaml", std::nullopt);
  CHECK(c.file == dir / "conf/migrate.yaml");
  CHECK(c.dir == dir / "conf");
  CHECK(c.script_location == dir / "migrations");
  CHECK(c.versions_dir() == dir / "migrations/versions");
  // Kept as written: parse_database_url(url, c.dir) resolves the path.
  CHECK(c.database_url == "sqlite:///data/app.db");
  CHECK(c.version_table == "my_version");
  CHECK(c.version_table_schema == "app");
  CHECK(c.history_table == "my_history");
  CHECK(c.schema_file == dir / "conf/schema/schema.sql");
  CHECK(c.dev_url == "sqlite:///:memory:");
  CHECK(c.lock_timeout == "2s");
  CHECK(c.statement_timeout == "30s");
  REQUIRE(c.lock_retries.has_value());
  CHECK(*c.lock_retries == 3);
  CHECK(c.wait_timeout == "1min");
  CHECK(c.where("lock_timeout") == dir / "conf/migrate.yaml:9");
  CHECK(c.where("nothing") == dir / "conf/migrate.yaml");
}

TEST_CASE("load_config: defaults, absolute paths, --url, a relative -c path", "[config]") {
  TempDir dir;
  write_file(dir / "migrate.yaml",
             "script_location: /abs/migrations\nschema_file: /abs/schema.sql\ndev_url:\n");
  Config c = load_config(dir / "migrate.yaml", std::string("postgresql://h/db"));
  CHECK(c.script_location == "/abs/migrations");
  CHECK(c.schema_file == "/abs/schema.sql");
  CHECK(c.database_url == "postgresql://h/db");
  CHECK(c.version_table == "migrate_version");
  CHECK(c.history_table == "migrate_history");
  CHECK(c.version_table_schema.empty());
  CHECK(c.dev_url.empty());
  CHECK(c.lock_timeout == "5s");
  CHECK(c.statement_timeout == "0");
  CHECK_FALSE(c.lock_retries.has_value());
  CHECK(c.wait_timeout.empty());

  // A relative path is taken from the working directory; paths in the file
  // from the file's folder, not from the working directory.
  write_file(dir / "sub/migrate.yaml", "script_location: m\n");
  std::string cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  Config rel = load_config("sub/migrate.yaml", std::nullopt);
  std::filesystem::current_path(cwd);
  CHECK(rel.file == dir / "sub/migrate.yaml");
  CHECK(rel.script_location == dir / "sub/m");
}

TEST_CASE("parse_config reads text as load_config reads the file holding it", "[config]") {
  TempDir dir;
  const std::string text =
      "script_location: m\nschema_file: s.sql\nversion_table: v\nlock_timeout: 2s\n";
  write_file(dir / "migrate.yaml", text);
  Config from_file = load_config(dir / "migrate.yaml", std::nullopt);
  Config from_text = migrate::config::parse_config(text, dir / "migrate.yaml", std::nullopt);
  CHECK(from_text.file == from_file.file);
  CHECK(from_text.dir == from_file.dir);
  CHECK(from_text.script_location == dir / "m");
  CHECK(from_text.script_location == from_file.script_location);
  CHECK(from_text.schema_file == from_file.schema_file);
  CHECK(from_text.version_table == "v");
  CHECK(from_text.lock_timeout == "2s");
  CHECK(from_text.key_lines == from_file.key_lines);
  // No file is read: the path only names the text in errors and anchors
  // relative paths.
  CHECK(
      migrate::config::parse_config("script_location: m\n", "/nowhere/x/migrate.yaml", std::nullopt)
          .script_location == "/nowhere/x/m");
  try {
    migrate::config::parse_config("script_location: m\nbogus: 1\n", "/nowhere/migrate.yaml",
                                  std::nullopt);
    FAIL("an unknown key was accepted");
  } catch (const migrate::Error& e) {
    CHECK_THAT(e.what(), Contains("/nowhere/migrate.yaml:2: unknown key `bogus`"));
  }
}

TEST_CASE("load_config errors name the file and line", "[config]") {
  TempDir dir;
  // A missing file suggests migrate init.
  std::string missing = load_error(dir / "nope.yaml");
  CHECK_THAT(missing, Contains(dir / "nope.yaml: no such file"));
  CHECK_THAT(missing, Contains("migrate init"));

  // A migrate.yaml that load_config refuses, and what the message must hold.
  struct Case {
    const char* yaml;
    const char* located;         // the message after the file's path
    const char* also = nullptr;  // more of the message, if any
  };
  const Case cases[] = {
      // An unknown key; the known keys are listed.
      {"script_location: m\n\ndatabase_ur1: sqlite:///a.db\n", ":3: unknown key `database_ur1`",
       "database_url"},
      // Bad YAML.
      {"script_location: m\ndatabase_url: [unclosed\nversion_table: v\n", ":3: bad YAML"},
      {"script_location: m\n  bad: indent\n", ":2: bad YAML"},
      // A duplicated key.
      {"script_location: m\nversion_table: a\nversion_table: b\n",
       ":3: duplicate key `version_table` (first at line 2)"},
      // A list or a mapping where one value belongs.
      {"script_location: m\ndatabase_url:\n  - a\n",
       ":3: `database_url` must be a single value, not a list"},
      {"script_location: {a: b}\n", ":1: `script_location` must be a single value, not a mapping"},
      // lock_retries must be a number.
      {"script_location: m\nlock_retries: often\n", ":2: `lock_retries` must be a whole number"},
      {"script_location: m\nlock_retries: -1\n", ":2: `lock_retries` must be a whole number"},
      // Timeouts must be PostgreSQL time values.
      {"script_location: m\nlock_timeout: 5 seconds\n",
       ":2: `lock_timeout` must be a time value with a unit", "'5 seconds'"},
      {"script_location: m\n\nstatement_timeout: -1\n",
       ":3: `statement_timeout` must be a time value with a unit"},
      {"script_location: m\nlock_timeout: ''\n",
       ":2: `lock_timeout` must be a time value with a unit"},
      // A bare number other than 0 is refused, with a guess at the unit.
      {"script_location: m\nlock_timeout: 500\n",
       ":2: `lock_timeout` must be a time value with a unit, not '500': did you mean 500ms?"},
      {"script_location: m\nwait_timeout: 30\n",
       ":2: `wait_timeout` must be a time value with a unit, not '30': did you mean 30s?"},
      {"script_location: m\nwait_timeout: soon\n",
       ":2: `wait_timeout` must be a time value with a unit"},
      // Too long: the value as written, never a 309-digit number.
      {"script_location: m\nstatement_timeout: 30d\n",
       ":2: `statement_timeout` must be a time value of at most 24 days, not '30d'"},
      // Empty names.
      {"script_location: m\nversion_table: ''\n", ":2: `version_table` must not be empty"},
      // A bad ${...} in a value.
      {"script_location: m\ndatabase_url: ${DATABASE_URL\n",
       ":2: `database_url`: unterminated '${'"},
      // script_location missing, or empty after expansion.
      {"database_url: sqlite:///a.db\n", ": `script_location` is not set"},
      {"script_location: ${MIGRATE_T_UNSET}\n", ":1: `script_location` is not set"},
      // An empty file, or not a mapping.
      {"# nothing\n", ": the file is empty"},
      {"- a\n- b\n", ":1: expected `key: value` lines"},
  };
  ScopedEnv unset("MIGRATE_T_UNSET", nullptr);
  const std::string f = dir / "migrate.yaml";
  for (const auto& c : cases) {
    INFO("migrate.yaml:\n" << c.yaml);
    write_file(f, c.yaml);
    std::string e = load_error(f);
    CHECK_THAT(e, Contains(f + c.located));
    if (c.also) CHECK_THAT(e, Contains(c.also));
  }
}

TEST_CASE("parse_duration reads time values as PostgreSQL does, a unit required", "[config]") {
  using migrate::config::parse_duration;
  CHECK(parse_duration("0") == 0.0);
  CHECK(parse_duration("0.0") == 0.0);
  // No unit: refused (PostgreSQL reads milliseconds, --lock-wait used to read
  // seconds; nobody can tell).
  CHECK_FALSE(parse_duration("250").has_value());
  CHECK(parse_duration("500ms") == 500.0);
  CHECK(parse_duration("5s") == 5000.0);
  CHECK(parse_duration("5 s") == 5000.0);
  CHECK(parse_duration(" 2min ") == 120000.0);
  CHECK(parse_duration("1.5s") == 1500.0);
  CHECK(parse_duration("1h") == 3600000.0);
  CHECK(parse_duration("1d") == 86400000.0);
  CHECK(parse_duration("1500us") == 1.5);
  // PostgreSQL's units are case-sensitive; words, signs and junk are not values.
  for (const char* bad : {"", "s", "5S", "5 sec", "5 seconds", "-1", "+5s", "5s5", "1e3", "5 ms x",
                          "..5", "1.2.3s", "25d"}) {
    INFO(bad);
    CHECK_FALSE(parse_duration(bad).has_value());
  }
  CHECK_FALSE(parse_duration("nan").has_value());
  CHECK_FALSE(parse_duration("inf s").has_value());
  CHECK_FALSE(parse_duration(std::string(400, '9') + "s").has_value());
}

TEST_CASE("parse_duration_ms takes a time with a unit, or 0", "[config]") {
  using migrate::config::parse_duration_ms;
  using std::chrono::milliseconds;
  CHECK(parse_duration_ms("0") == milliseconds(0));
  CHECK(parse_duration_ms("30s") == milliseconds(30000));
  CHECK(parse_duration_ms("1min") == milliseconds(60000));
  CHECK(parse_duration_ms("250ms") == milliseconds(250));
  CHECK_FALSE(parse_duration_ms("30").has_value());  // seconds or milliseconds? refused
  CHECK_FALSE(parse_duration_ms("later").has_value());
}
