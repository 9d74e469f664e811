#include "config/config.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <functional>

#include "config/duration.h"
#include "config/search_path.h"
#include "config/strict_yaml.h"
#include "config/url.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace fs = std::filesystem;

namespace migrate::config {

namespace {

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

// How deep `${A:-${B:-...}}` defaults may nest. Each level is scanned and
// copied once, so an unbounded nesting costs quadratic time and memory (15 GB
// at 60,000 levels); real files use one or two.
constexpr int kMaxNesting = 8;

// Index of the `}` closing the `${` whose body starts at `i`, or npos. Nested
// `${...}` (in a default) and `$$` are skipped over.
std::size_t closing_brace(const std::string& text, std::size_t i) {
  int depth = 1;
  while (i < text.size()) {
    if (text[i] == '$' && i + 1 < text.size() && (text[i + 1] == '$' || text[i + 1] == '{')) {
      if (text[i + 1] == '{' && ++depth > kMaxNesting) {
        throw Error("`${...}` nested more than " + std::to_string(kMaxNesting) +
                    " deep in a default value");
      }
      i += 2;
      continue;
    }
    if (text[i] == '}' && --depth == 0) return i;
    ++i;
  }
  return std::string::npos;
}

std::string resolve_path(const std::string& dir, const std::string& value) {
  if (value.empty()) return value;
  fs::path p(value);
  if (p.is_relative()) p = fs::path(dir) / p;
  return p.lexically_normal().string();
}

// What the loader knows about one key: how to store its (expanded) value.
using Setter = std::function<void(Config&, const std::string& value, const std::string& where)>;

Setter text_field(std::string Config::*field) {
  return [field](Config& c, const std::string& v, const std::string&) { c.*field = v; };
}

Setter non_empty_field(std::string Config::*field, const char* key) {
  return [field, key](Config& c, const std::string& v, const std::string& where) {
    if (util::trim(v).empty()) throw Error(where + ": `" + key + "` must not be empty");
    c.*field = v;
  };
}

Setter path_field(std::string Config::*field) {
  return [field](Config& c, const std::string& v, const std::string&) {
    c.*field = resolve_path(c.dir, v);
  };
}

// A PostgreSQL time setting, checked here so that a typo is reported with
// its line before anything connects, and stored as written (the server gets
// it as is).
Setter duration_field(std::string Config::*field, const char* key) {
  return [field, key](Config& c, const std::string& v, const std::string& where) {
    if (!parse_duration(v)) throw Error(where + ": " + bad_duration_message(key, v));
    c.*field = std::string(util::trim(v));
  };
}

// `pooler:` and `run_lock_lease:` (the run lock behind PgBouncer).
Setter pooler_field() {
  return [](Config& c, const std::string& v, const std::string& where) {
    std::string t(util::trim(v));
    if (t != "auto" && t != "transaction" && t != "session")
      throw Error(where + ": `pooler` must be auto, transaction or session, not '" + v + "'");
    c.pooler = t;
  };
}

Setter run_lock_lease_field() {
  return [](Config& c, const std::string& v, const std::string& where) {
    auto ms = parse_duration(v);
    if (!ms) throw Error(where + ": " + bad_duration_message("run_lock_lease", v, "s"));
    // Renewed every third of it: shorter would be renewals without pause.
    if (*ms < 1000) throw Error(where + ": `run_lock_lease` must be at least 1s, not '" + v + "'");
    c.run_lock_lease = std::string(util::trim(v));
  };
}

const std::map<std::string, Setter>& known_keys() {
  static const std::map<std::string, Setter> keys = {
      {"script_location", path_field(&Config::script_location)},
      {"database_url", text_field(&Config::database_url)},
      {"version_table", non_empty_field(&Config::version_table, "version_table")},
      {"version_table_schema", text_field(&Config::version_table_schema)},
      {"search_path",
       [](Config& c, const std::string& v, const std::string& where) {
         c.search_path = parse_search_path(v, where);
       }},
      {"history_table", non_empty_field(&Config::history_table, "history_table")},
      {"schema_file", path_field(&Config::schema_file)},
      {"dev_url", text_field(&Config::dev_url)},
      {"lock_timeout", duration_field(&Config::lock_timeout, "lock_timeout")},
      {"statement_timeout", duration_field(&Config::statement_timeout, "statement_timeout")},
      {"wait_timeout",
       [](Config& c, const std::string& v, const std::string& where) {
         if (!parse_duration(v))
           throw Error(where + ": " + bad_duration_message("wait_timeout", v, "s"));
         c.wait_timeout = std::string(util::trim(v));
       }},
      {"lint_on_upgrade",
       [](Config& c, const std::string& v, const std::string& where) {
         std::string t(util::trim(v));
         if (t != "error" && t != "warn" && t != "off")
           throw Error(where + ": `lint_on_upgrade` must be error, warn or off, not '" + v + "'");
         c.lint_on_upgrade = t;
       }},
      {"pooler", pooler_field()},
      {"run_lock_lease", run_lock_lease_field()},
      // Mappings, read by load_lint_config() and read_databases_map() (the
      // loop below hands them over).
      {"lint", nullptr},
      {"databases", nullptr},
      {"databases_file", path_field(&Config::databases_file)},
      {"lock_retries",
       [](Config& c, const std::string& v, const std::string& where) {
         std::string_view t = util::trim(v);
         bool digits = !t.empty() && t.size() <= 9;
         for (char ch : t) digits = digits && ch >= '0' && ch <= '9';
         if (!digits) {
           throw Error(where + ": `lock_retries` must be a whole number >= 0, not '" + v + "'");
         }
         c.lock_retries = std::stoi(std::string(t));
       }},
  };
  return keys;
}

std::string known_key_list() {
  std::vector<std::string> names;
  for (const auto& [name, setter] : known_keys()) names.push_back(name);
  return util::join(names, ", ");
}

std::string at(const std::string& file, const YAML::Mark& mark) {
  // yaml-cpp's marks are 0-based; a mark of -1 means "unknown".
  return mark.line >= 0 ? file + ":" + std::to_string(mark.line + 1) : file;
}

// The names the version and history tables are created under, checked
// before anything connects: the same name twice would make one table serve
// as both, and PostgreSQL cuts identifiers at 63 bytes, so a longer name,
// or one whose derived primary-key name (`<version_table>_pkc`) would be
// cut back to the table's own name, fails only at the first upgrade.
void check_table_names(const Config& cfg) {
  constexpr std::size_t kMaxIdentifier = 63, kPkSuffix = 4;  // "_pkc"
  auto check = [&](const char* key, const std::string& name, std::size_t limit) {
    if (name.size() > limit) {
      throw Error(
          cfg.where(key) + ": `" + key + "` is " + std::to_string(name.size()) +
          " bytes long; at most " + std::to_string(limit) + " (PostgreSQL cuts names at 63 bytes" +
          (limit < kMaxIdentifier ? ", and the primary key is named `<version_table>_pkc`" : "") +
          ")");
    }
  };
  check("version_table", cfg.version_table, kMaxIdentifier - kPkSuffix);
  check("history_table", cfg.history_table, kMaxIdentifier);
  check("version_table_schema", cfg.version_table_schema, kMaxIdentifier);
  if (util::to_lower(cfg.version_table) == util::to_lower(cfg.history_table)) {
    throw Error(cfg.where("history_table") + ": `history_table` and `version_table` are both '" +
                cfg.history_table + "'; they must be two different tables");
  }
}

// `databases_file:` (config/databases.h), read once the whole config is:
// its entries come after those of `databases:`, and a name in both is an
// error naming both lines.
void load_databases_file(Config& cfg) {
  if (cfg.databases_file.empty()) return;
  std::error_code ec;
  if (!fs::is_regular_file(cfg.databases_file, ec))
    throw Error(cfg.where("databases_file") + ": `databases_file` " + cfg.databases_file +
                ": no such file");
  add_databases(cfg.databases, parse_databases_file(util::read_file(cfg.databases_file),
                                                    cfg.databases_file, cfg.dir));
}

}  // namespace

std::string Config::where(const std::string& key) const {
  auto it = key_lines.find(key);
  return it == key_lines.end() ? file : file + ":" + std::to_string(it->second);
}

std::string expand_env(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c != '$' || i + 1 >= text.size() || (text[i + 1] != '$' && text[i + 1] != '{')) {
      out += c;
      ++i;
      continue;
    }
    if (text[i + 1] == '$') {
      out += '$';
      i += 2;
      continue;
    }
    std::size_t close = closing_brace(text, i + 2);
    if (close == std::string::npos) {
      throw Error("unterminated '${' in '" + redact_secrets(text) + "'");
    }
    std::string body = text.substr(i + 2, close - i - 2);
    std::size_t name_end = 0;
    while (name_end < body.size() && is_name_char(body[name_end])) ++name_end;
    std::string name = body.substr(0, name_end);
    std::string rest = body.substr(name_end);
    if (name.empty() || !is_name_start(name[0]) ||
        (!rest.empty() && !util::starts_with(rest, ":-"))) {
      throw Error("bad variable reference '${" + redact_secrets(body) +
                  "}': expected ${NAME} or ${NAME:-default}");
    }
    const char* value = std::getenv(name.c_str());
    if (rest.empty()) {
      out += value ? value : "";
    } else {
      out += (value && *value) ? std::string(value) : expand_env(rest.substr(2));
    }
    i = close + 1;
  }
  return out;
}

std::string config_path(const std::optional<std::string>& cli_path) {
  if (cli_path && !cli_path->empty()) return *cli_path;
  if (const char* env = std::getenv("MIGRATE_CONFIG"); env && *env) return env;
  return "migrate.yaml";
}

Config load_config(const std::string& path, const std::optional<std::string>& url_override) {
  const std::string file = fs::absolute(path).lexically_normal().string();
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    throw Error(file +
                ": no such file. Run `migrate init DIR` to create a project here, "
                "or name the file with -c FILE or $MIGRATE_CONFIG");
  }
  return parse_config(util::read_file(file), file, url_override);
}

Config parse_config(const std::string& text, const std::string& file,
                    const std::optional<std::string>& url_override) {
  Config cfg;
  cfg.file = file;
  cfg.dir = fs::path(cfg.file).parent_path().string();

  YAML::Node root = load_yaml_strict(text, file, "bad YAML");
  if (root.IsNull()) {
    throw Error(file + ": the file is empty; it needs at least `script_location:`");
  }
  if (!root.IsMap()) {
    throw Error(at(file, root.Mark()) + ": expected `key: value` lines (a YAML mapping)");
  }

  // Copies, not references: the iterator's `->` yields a temporary proxy.
  for (auto it = root.begin(); it != root.end(); ++it) {
    const YAML::Node key_node = it->first;
    const YAML::Node value = it->second;
    const std::string where = at(file, key_node.Mark());
    if (!key_node.IsScalar()) throw Error(where + ": a key must be a plain name");
    const std::string& key = key_node.Scalar();
    auto known = known_keys().find(key);
    if (known == known_keys().end()) {
      throw Error(where + ": unknown key `" + key + "` (known keys: " + known_key_list() + ")");
    }
    // yaml-cpp 0.7 keeps both entries of a duplicated key; say so instead of
    // silently using one of them.
    if (auto seen = cfg.key_lines.find(key); seen != cfg.key_lines.end()) {
      throw Error(where + ": duplicate key `" + key + "` (first at line " +
                  std::to_string(seen->second) + ")");
    }
    cfg.key_lines[key] = key_node.Mark().line + 1;
    if (value.IsNull()) continue;  // `key:` with nothing: keep the default
    if (key == "lint") {
      cfg.lint = load_lint_config(value, file);
      continue;
    }
    if (key == "databases") {
      add_databases(cfg.databases, read_databases_map(value, file, cfg.dir));
      continue;
    }
    if (!value.IsScalar()) {
      throw Error(at(file, value.Mark()) + ": `" + key + "` must be a single value, not a " +
                  (value.IsSequence() ? "list" : "mapping"));
    }
    std::string expanded;
    try {
      expanded = expand_env(value.Scalar());
    } catch (const Error& e) {
      throw Error(at(file, value.Mark()) + ": `" + key + "`: " + e.what());
    }
    known->second(cfg, expanded, at(file, value.Mark()));
  }

  if (cfg.script_location.empty()) {
    throw Error(cfg.where("script_location") +
                ": `script_location` is not set (the folder holding versions/)");
  }
  check_table_names(cfg);
  load_databases_file(cfg);
  if (url_override) cfg.database_url = *url_override;
  return cfg;
}

}  // namespace migrate::config
