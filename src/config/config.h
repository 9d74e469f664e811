// migrate.yaml (contract: "migrate.yaml"): load, expand ${VAR} and
// ${VAR:-default}, resolve relative paths against the file's folder.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/databases.h"
#include "config/lint_config.h"

namespace migrate::config {

// Retries of a step that hit lock_timeout when lock_retries is not set.
constexpr int kDefaultLockRetries = 3;
// How long --wait waits for the database when wait_timeout is not set.
constexpr const char* kDefaultWaitTimeout = "60s";

struct Config {
  std::string file;             // absolute path of the config file
  std::string dir;              // its folder
  std::string script_location;  // absolute
  std::string database_url;     // expanded, as written (not yet parsed)
  std::string version_table = "migrate_version";
  std::string version_table_schema;  // PostgreSQL; empty = search_path
  // PostgreSQL: the search_path every step and every other transaction of a
  // run sets first, its schema names (written in config/search_path.h
  // syntax, parsed at load; empty = the server's). A target's `schema:` sets
  // it and version_table_schema.
  std::vector<std::string> search_path;
  std::string history_table = "migrate_history";
  std::string schema_file;  // absolute, or empty
  std::string dev_url;      // expanded, or empty
  // PostgreSQL, per step (config/duration.h syntax, checked at load, stored
  // as written): how long a statement waits for a lock, and how long one may
  // run (0 = no limit).
  std::string lock_timeout = "5s";
  std::string statement_timeout = "0";
  // How often a step that hit lock_timeout is retried (unset = the default,
  // kDefaultLockRetries).
  std::optional<int> lock_retries;
  // How long to wait for the database to accept the first connection
  // (config::parse_duration syntax; empty = do not wait unless --wait is given).
  std::string wait_timeout;
  // PostgreSQL behind a connection pooler: `pooler: auto|transaction|session`
  // (checked at load; db::SessionSettings::pooler says what each means),
  // and the run lock's lease in transaction mode (a duration of at least 1s).
  std::string pooler = "auto";
  std::string run_lock_lease = "30s";
  // `lint_on_upgrade: error|warn|off` (checked at load): what `upgrade` does
  // when the linter finds an error in a step it is about to run.
  std::string lint_on_upgrade = "error";
  // The `lint:` section (config/lint_config.h), as written.
  LintConfig lint;
  // The named targets of `databases:` and `databases_file:` (in that order;
  // config/databases.h), chosen by --db / --all-databases.
  std::vector<NamedDatabase> databases;
  std::string databases_file;  // absolute, or empty

  // The 1-based line of each key present in the file, so that a later
  // check (a bad timeout, say) can point at it: see where().
  std::map<std::string, int> key_lines;
  // "FILE:LINE" of `key`, or just FILE when the key is not in the file.
  std::string where(const std::string& key) const;

  std::string versions_dir() const { return script_location + "/versions"; }
};

// Expands ${VAR} and ${VAR:-default} from the environment. `$$` is a literal
// `$`. An unset ${VAR} without default expands to "". As in the shell, `:-`
// takes the default when VAR is unset *or empty*; the default may itself hold
// ${...}. A `$` not followed by `{` or `$` stays as it is. Throws
// migrate::Error on an unterminated `${` or a bad variable name.
std::string expand_env(const std::string& text);

// Which file `-c` / MIGRATE_CONFIG / ./migrate.yaml names (an empty value
// counts as unset).
std::string config_path(const std::optional<std::string>& cli_path);

// Loads and validates the file. Errors name the file and line (yaml-cpp's
// mark): a missing file, bad YAML, an unknown key, a value of the wrong type.
// `url_override` (--url) replaces database_url.
Config load_config(const std::string& path, const std::optional<std::string>& url_override);

// The same for the file's text, already read: `file` (an absolute, normal
// path) is what errors name and relative paths resolve against. Used by
// load_config, and by the config fuzz target, which so checks every input
// without writing and reading a file.
Config parse_config(const std::string& text, const std::string& file,
                    const std::optional<std::string>& url_override);

}  // namespace migrate::config
