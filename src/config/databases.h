// Many databases (contract: "Many databases"): the named targets of
// `databases:` in migrate.yaml and of a `databases_file:`, and the choice of
// some of them by name or shell-style wildcard (--db, --all-databases).
// `database_url` stays the single default target; these are only used when
// a command names them.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace migrate::config {

struct NamedDatabase {
  std::string name;
  std::string url;    // ${VAR} expanded; may hold a password: never print it
  std::string where;  // "FILE:LINE" of the entry, for every later message
  // Schema per tenant on one PostgreSQL database: the schema that holds this
  // target's version table and comes first in its search_path (empty: the
  // config's version_table_schema and the server's search_path). Written
  // `schema:` in the mapping form, or as a third word in a databases_file.
  std::string schema;
  // The target's search_path (`search_path:` in the mapping form, parsed:
  // config/search_path.h; empty: just `schema` when that is set).
  std::vector<std::string> search_path;
};

// A target's name: letters, digits, `_`, `-` and `.`, starting with a letter,
// digit or `_`, at most 63 bytes. No wildcard characters, so that a name
// given to --db always means itself; no spaces, so a databases_file line is
// `name url`.
bool is_database_name(const std::string& name);

// The `databases:` mapping (name -> URL, values ${VAR}-expanded), where a
// value may also be a mapping {url, schema, search_path} (schema per tenant).
// Errors name FILE:LINE: a value that is neither, an unknown key, a bad
// name, a bad URL, a schema on SQLite. A relative SQLite path is relative to
// `base_dir` (the config's folder).
std::vector<NamedDatabase> read_databases_map(const YAML::Node& node, const std::string& file,
                                              const std::string& base_dir);

// The text of a `databases_file:`: one `name url [schema]` per line, blank lines and
// `#` comments (a line starting with `#`, after spaces) skipped, URLs
// ${VAR}-expanded. Errors name `file`:LINE.
std::vector<NamedDatabase> parse_databases_file(const std::string& text, const std::string& file,
                                                const std::string& base_dir);

// Appends `more` to `all`, refusing a name that is already there (the error
// names both entries).
void add_databases(std::vector<NamedDatabase>& all, const std::vector<NamedDatabase>& more);

// The databases named by `patterns` (fnmatch(3) wildcards: *, ?, [...]), or
// all of them with `all`, in the order of `known`, each once. A pattern that
// matches nothing is an error listing the known names.
std::vector<NamedDatabase> select_databases(const std::vector<NamedDatabase>& known,
                                            const std::vector<std::string>& patterns, bool all);

// The entry named `name`; throws when there is none, or when its URL is
// empty (an unset ${VAR}).
const NamedDatabase& find_database(const std::vector<NamedDatabase>& known,
                                   const std::string& name);

}  // namespace migrate::config
