#include "importer/flyway_source.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "script/revision_file.h"
#include "util/error.h"
#include "util/file_io.h"

namespace fs = std::filesystem;

namespace migrate::importer {

namespace {

struct Name {
  char prefix = 0;  // 'V', 'U', 'R', or 0 when the name is not a migration's
  std::string version;
  std::string description;
};

// `V1_2__add_users.sql` -> {'V', "1_2", "add users"}.
Name parse_name(const std::string& file) {
  Name n;
  if (file.size() < 5 || file.compare(file.size() - 4, 4, ".sql") != 0) return n;
  std::string stem = file.substr(0, file.size() - 4);
  std::size_t sep = stem.find("__");
  if (sep == std::string::npos || sep == 0) return n;
  char p = stem[0];
  if (p != 'V' && p != 'U' && p != 'R') return n;
  n.version = stem.substr(1, sep - 1);
  n.description = stem.substr(sep + 2);
  std::replace(n.description.begin(), n.description.end(), '_', ' ');
  n.prefix = p;
  return n;
}

// A numeric part compared as a number of any length: shorter is smaller.
bool version_less(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const std::string x = i < a.size() ? a[i] : "0";
    const std::string y = i < b.size() ? b[i] : "0";
    if (x.size() != y.size()) return x.size() < y.size();
    if (x != y) return x < y;
  }
  return false;
}

// Flyway's `${name}` placeholders in `sql`, each once, with its line.
std::vector<std::pair<std::string, int>> placeholders(const std::string& sql) {
  std::vector<std::pair<std::string, int>> found;
  std::set<std::string> seen;
  int line = 1;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '\n') ++line;
    if (sql[i] != '$' || i + 1 >= sql.size() || sql[i + 1] != '{') continue;
    std::size_t end = sql.find('}', i + 2);
    if (end == std::string::npos || sql.find('\n', i) < end) continue;
    std::string name = sql.substr(i, end - i + 1);
    if (seen.insert(name).second) found.emplace_back(name, line);
  }
  return found;
}

// The script's `.sql.conf` says executeInTransaction=false.
bool outside_transaction(const fs::path& script) {
  fs::path conf = script;
  conf += ".conf";
  std::error_code ec;
  if (!fs::is_regular_file(conf, ec)) return false;
  std::string text = util::read_file(conf.string());
  std::string squeezed;
  for (char c : text)
    if (c != ' ' && c != '\t' && c != '\r') squeezed += c;
  return squeezed.find("executeInTransaction=false") != std::string::npos;
}

bool mentions_concurrently(const std::string& sql) {
  std::string lower = sql;
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return lower.find("concurrently") != std::string::npos;
}

void mark_placeholders(ImportedSection& s) {
  auto found = placeholders(s.sql);
  if (found.empty()) return;
  std::string names;
  for (const auto& found_at : found) names += (names.empty() ? "" : ", ") + found_at.first;
  s.problem = "Flyway placeholder" + std::string(found.size() > 1 ? "s " : " ") + names +
              " not replaced: migrate has no placeholders; write the value in";
  s.line = found.front().second;
}

}  // namespace

std::vector<std::string> flyway_version_key(const std::string& version) {
  std::vector<std::string> parts;
  std::string cur;
  bool digit_seen = false;
  for (std::size_t i = 0; i <= version.size(); ++i) {
    char c = i < version.size() ? version[i] : '.';
    if (c >= '0' && c <= '9') {
      cur += c;
      digit_seen = true;
    } else if (c == '.' || c == '_') {
      if (cur.empty()) return {};
      std::size_t nz = cur.find_first_not_of('0');
      parts.push_back(nz == std::string::npos ? "0" : cur.substr(nz));
      cur.clear();
    } else {
      return {};
    }
  }
  if (!digit_seen) return {};
  while (parts.size() > 1 && parts.back() == "0") parts.pop_back();
  return parts;
}

std::string flyway_revision_id(const std::string& version) {
  std::string id = "V";
  for (char c : version) id += c == '.' ? '_' : c;
  return id;
}

ImportedProject read_flyway_project(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(dir + ": no such folder");
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) throw Error(dir + ": cannot read the folder: " + ec.message());
  std::sort(files.begin(), files.end());

  ImportedProject p;
  p.tool = "flyway";
  p.source = dir;
  struct Versioned {
    std::vector<std::string> key;
    Name name;
    fs::path path;
  };
  std::vector<Versioned> migrations;
  std::map<std::vector<std::string>, fs::path> undo;
  for (const auto& f : files) {
    std::string file = f.filename().string();
    if (f.extension() != ".sql") continue;
    Name n = parse_name(file);
    if (n.prefix == 'R') {
      p.skipped.push_back(f.string() +
                          ": a repeatable migration (R__), which migrate does not have: not "
                          "imported; make it a revision of its own where its content changes");
      continue;
    }
    std::vector<std::string> key =
        n.prefix ? flyway_version_key(n.version) : std::vector<std::string>{};
    if (key.empty()) {
      p.skipped.push_back(f.string() +
                          ": not a Flyway migration name (V<version>__<description>.sql, "
                          "U<version>__... or R__...): not imported");
      continue;
    }
    if (n.prefix == 'U') {
      if (!undo.emplace(key, f).second)
        throw Error(f.string() + ": a second undo file for version " + n.version +
                    " (the other is " + undo[key].string() + ")");
      continue;
    }
    for (const auto& m : migrations)
      if (m.key == key)
        throw Error(f.string() + ": version " + n.version + " is also " + m.path.string() +
                    " (Flyway refuses two migrations of one version too)");
    std::string id = flyway_revision_id(n.version);
    if (!script::is_valid_revision_id(id))
      throw Error(f.string() + ": version " + n.version + " gives revision id " + id +
                  ", longer than migrate's 64 characters");
    migrations.push_back({key, n, f});
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const Versioned& a, const Versioned& b) { return version_less(a.key, b.key); });

  for (const auto& [key, path] : undo) {
    bool found = std::any_of(migrations.begin(), migrations.end(),
                             [&](const Versioned& m) { return m.key == key; });
    if (!found)
      throw Error(path.string() + ": an undo file for a version with no V file in " + dir);
  }

  std::string parent;
  for (const auto& m : migrations) {
    ImportedRevision r;
    r.id = flyway_revision_id(m.name.version);
    if (!parent.empty()) r.down_revisions = {parent};
    r.message = m.name.description;
    r.origin = m.path.string();
    r.upgrade.sql = util::read_file(m.path.string());
    mark_placeholders(r.upgrade);
    if (auto u = undo.find(m.key); u != undo.end()) {
      r.downgrade.sql = util::read_file(u->second.string());
      mark_placeholders(r.downgrade);
    } else {
      r.no_downgrade = true;
      r.downgrade.sql = "-- Flyway had no undo file (U" + m.name.version +
                        "__...sql) for this version: this "
                        "downgrade does nothing.\n-- Write the SQL that undoes the upgrade here.";
    }
    if (outside_transaction(m.path)) {
      r.transactional = false;
      r.notes.push_back(
          "executeInTransaction=false in its .sql.conf: written with "
          "`transactional: false`");
    } else if (mentions_concurrently(r.upgrade.sql)) {
      r.transactional = false;
      r.notes.push_back(
          "mentions CONCURRENTLY, which PostgreSQL runs outside a transaction (as "
          "Flyway does on its own): written with `transactional: false`");
    }
    parent = r.id;
    p.revisions.push_back(std::move(r));
  }
  return p;
}

}  // namespace migrate::importer
