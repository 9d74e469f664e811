#include "config/databases.h"

#include <fnmatch.h>

#include "config/config.h"
#include "config/search_path.h"
#include "config/url.h"
#include "util/error.h"
#include "util/strings.h"

namespace migrate::config {

namespace {

constexpr std::size_t kMaxNameBytes = 63;

std::string at(const std::string& file, const YAML::Mark& mark) {
  return mark.line >= 0 ? file + ":" + std::to_string(mark.line + 1) : file;
}

// One entry, checked: the name's form, then the URL (expanded) parses, then
// the schema and search_path (PostgreSQL only). An empty URL (an unset
// ${VAR}) is kept: a command that does not select this database must still
// run; find_database() refuses it.
NamedDatabase make_entry(const std::string& name, const std::string& raw_url,
                         const std::string& where, const std::string& base_dir,
                         const std::string& schema = "", const std::string& search_path = "") {
  if (!is_database_name(name))
    throw Error(where + ": bad database name '" + redact_secrets(name) +
                "': use letters, digits, '_', '-' and '.' (starting with a letter, digit or "
                "'_'), at most 63 bytes");
  NamedDatabase db{name, "", where, schema, {}};
  bool sqlite = false;
  try {
    db.url = expand_env(raw_url);
    if (!util::trim(db.url).empty())
      sqlite = parse_database_url(db.url, base_dir).kind == DatabaseUrl::kSqlite;
  } catch (const Error& e) {
    throw Error(where + ": database `" + name + "`: " + e.what());
  }
  const std::string of = where + ": database `" + name + "`";
  if (sqlite && (!schema.empty() || !search_path.empty()))
    throw Error(of +
                ": `schema` and `search_path` are for PostgreSQL; a SQLite file has one "
                "schema (give each tenant its own file)");
  if (schema.size() > 63 || schema.find('\0') != std::string::npos)
    throw Error(of + ": `schema` must be one schema name of at most 63 bytes");
  if (!search_path.empty()) db.search_path = parse_search_path(search_path, of);
  return db;
}

std::string known_names(const std::vector<NamedDatabase>& known) {
  std::vector<std::string> names;
  for (const auto& db : known) names.push_back(db.name);
  return names.empty() ? "none" : util::join(names, ", ");
}

}  // namespace

bool is_database_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameBytes) return false;
  auto word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  if (!word(name[0])) return false;
  for (char c : name)
    if (!word(c) && c != '-' && c != '.') return false;
  return true;
}

namespace {

// `tenant_a: {url: ..., schema: tenant_a, search_path: "tenant_a, public"}`.
NamedDatabase entry_from_map(const std::string& name, const YAML::Node& value,
                             const std::string& file, const std::string& where,
                             const std::string& base_dir) {
  std::string url, schema, search_path;
  bool have_url = false;
  for (auto kv = value.begin(); kv != value.end(); ++kv) {
    const std::string key = kv->first.IsScalar() ? kv->first.Scalar() : std::string();
    const std::string key_at = at(file, kv->first.Mark());
    std::string* field = key == "url"           ? &url
                         : key == "schema"      ? &schema
                         : key == "search_path" ? &search_path
                                                : nullptr;
    if (field == nullptr)
      throw Error(key_at + ": database `" + name + "`: unknown key '" + redact_secrets(key) +
                  "' (known: url, schema, search_path)");
    if (!kv->second.IsScalar())
      throw Error(key_at + ": database `" + name + "`: `" + key + "` must be one value");
    *field = kv->second.Scalar();
    have_url = have_url || key == "url";
  }
  if (!have_url) throw Error(where + ": database `" + name + "` has no `url`");
  return make_entry(name, url, where, base_dir, expand_env(schema), expand_env(search_path));
}

}  // namespace

std::vector<NamedDatabase> read_databases_map(const YAML::Node& node, const std::string& file,
                                              const std::string& base_dir) {
  if (!node.IsMap())
    throw Error(at(file, node.Mark()) +
                ": `databases` must map names to database URLs (tenant_a: postgresql://...)");
  std::vector<NamedDatabase> out;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    const std::string where = at(file, key.Mark());
    if (!key.IsScalar()) throw Error(where + ": a database name must be a plain name");
    if (value.IsMap()) {
      add_databases(out, {entry_from_map(key.Scalar(), value, file, where, base_dir)});
      continue;
    }
    if (!value.IsScalar())
      throw Error(at(file, value.Mark()) + ": database `" + key.Scalar() +
                  "` must have one URL as its value (or a mapping: url, schema, search_path)");
    add_databases(out, {make_entry(key.Scalar(), value.Scalar(), where, base_dir)});
  }
  return out;
}

std::vector<NamedDatabase> parse_databases_file(const std::string& text, const std::string& file,
                                                const std::string& base_dir) {
  std::vector<NamedDatabase> out;
  int line_no = 0;
  for (const std::string& raw : util::split(text, '\n')) {
    ++line_no;
    const std::string_view line = util::trim(raw);
    if (line.empty() || line[0] == '#') continue;
    const std::string where = file + ":" + std::to_string(line_no);
    std::vector<std::string> words;
    for (std::size_t i = 0; i < line.size();) {
      while (i < line.size() && util::is_space(line[i])) ++i;
      std::size_t end = i;
      while (end < line.size() && !util::is_space(line[end])) ++end;
      if (end > i) words.emplace_back(line.substr(i, end - i));
      i = end;
    }
    if (words.size() < 2)
      throw Error(where + ": expected `name url [schema]`, got '" +
                  redact_secrets(std::string(line)) + "'");
    if (words.size() > 3)
      throw Error(where + ": database `" + words[0] +
                  "`: more than `name url schema` (a URL holds no spaces; write %20)");
    add_databases(out, {make_entry(words[0], words[1], where, base_dir,
                                   words.size() == 3 ? expand_env(words[2]) : "")});
  }
  return out;
}

void add_databases(std::vector<NamedDatabase>& all, const std::vector<NamedDatabase>& more) {
  for (const auto& db : more) {
    for (const auto& seen : all)
      if (seen.name == db.name)
        throw Error(db.where + ": duplicate database name `" + db.name + "` (first at " +
                    seen.where + ")");
    all.push_back(db);
  }
}

std::vector<NamedDatabase> select_databases(const std::vector<NamedDatabase>& known,
                                            const std::vector<std::string>& patterns, bool all) {
  if (known.empty())
    throw Error(
        "no databases are configured: --db and --all-databases choose among `databases:` (or "
        "`databases_file:`) in migrate.yaml; see docs/many-databases.md");
  std::vector<bool> chosen(known.size(), all);
  for (const auto& pattern : patterns) {
    bool matched = false;
    for (std::size_t i = 0; i < known.size(); ++i) {
      if (fnmatch(pattern.c_str(), known[i].name.c_str(), 0) == 0) {
        chosen[i] = true;
        matched = true;
      }
    }
    if (!matched)
      throw Error("--db '" + redact_secrets(pattern) +
                  "' matches no configured database (known: " + known_names(known) + ")");
  }
  std::vector<NamedDatabase> out;
  for (std::size_t i = 0; i < known.size(); ++i)
    if (chosen[i]) out.push_back(known[i]);
  return out;
}

const NamedDatabase& find_database(const std::vector<NamedDatabase>& known,
                                   const std::string& name) {
  for (const auto& db : known) {
    if (db.name != name) continue;
    if (util::trim(db.url).empty())
      throw Error(db.where + ": database `" + name +
                  "` has an empty URL (a ${VARIABLE} that is not set?)");
    return db;
  }
  throw Error("no database named '" + redact_secrets(name) +
              "' is configured (known: " + known_names(known) + ")");
}

}  // namespace migrate::config
