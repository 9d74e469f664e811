#include "schema/rename_warnings.h"

#include <cctype>
#include <unordered_map>
#include <unordered_set>

namespace migrate::schema {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct Names {
  bool case_insensitive;
  bool eq(const std::string& a, const std::string& b) const {
    return case_insensitive ? lower(a) == lower(b) : a == b;
  }
  std::string key(const std::string& name) const { return case_insensitive ? lower(name) : name; }
  std::string key(const QualifiedName& n) const { return key(n.schema) + '\x1f' + key(n.name); }
};

// A schema's tables by name as the dialect compares names (the first of
// equal names wins): one lookup per table instead of a scan.
class TableIndex {
 public:
  TableIndex(const Schema& s, const Names& names) : names_(names) {
    for (const auto& t : s.tables) by_name_.emplace(names.key(t.name), &t);
  }
  const Table* find(const QualifiedName& n) const {
    auto it = by_name_.find(names_.key(n));
    return it == by_name_.end() ? nullptr : it->second;
  }

 private:
  const Names& names_;
  std::unordered_map<std::string, const Table*> by_name_;
};

const Column* find(const Table& t, const std::string& n, const Names& names) {
  for (const auto& c : t.columns)
    if (names.eq(c.name, n)) return &c;
  return nullptr;
}

std::string shown(const QualifiedName& n) {
  return n.schema.empty() || n.schema == "main" || n.schema == "public" ? n.name
                                                                        : n.schema + "." + n.name;
}

bool same_shape(const Table& a, const Table& b) {
  if (a.columns.size() != b.columns.size() || a.columns.empty()) return false;
  for (std::size_t i = 0; i < a.columns.size(); ++i)
    if (a.columns[i].type != b.columns[i].type) return false;
  return true;
}

}  // namespace

std::vector<std::string> probable_rename_warnings(const Schema& from, const Schema& to) {
  Names names{from.dialect == config::DatabaseUrl::kSqlite};
  std::vector<std::string> out;
  const TableIndex from_tables(from, names), to_tables(to, names);
  std::unordered_set<std::string> renamed_away_tables;  // hinted old names (any schema)
  for (const auto& u : to.tables)
    if (!u.renamed_from.empty()) renamed_away_tables.insert(names.key(u.renamed_from));
  std::vector<const Table*> dropped, added;
  for (const auto& t : from.tables)
    if (!to_tables.find(t.name) && !renamed_away_tables.count(names.key(t.name.name)))
      dropped.push_back(&t);
  for (const auto& u : to.tables) {
    const Table* f = from_tables.find(u.name);
    if (!f && !u.renamed_from.empty()) f = from_tables.find({u.name.schema, u.renamed_from});
    if (!f) {
      added.push_back(&u);
      continue;
    }
    for (const auto& d : f->columns) {
      if (find(u, d.name, names)) continue;
      bool renamed_away = false;
      for (const auto& c : u.columns)
        if (!c.renamed_from.empty() && names.eq(c.renamed_from, d.name)) renamed_away = true;
      if (renamed_away) continue;
      for (const auto& c : u.columns) {
        if (find(*f, c.name, names) || !c.renamed_from.empty() || c.type != d.type) continue;
        out.push_back("probable rename: table " + shown(u.name) + " drops column " + d.name +
                      " and adds column " + c.name + " of the same type (" + c.type +
                      "). As it stands the data of " + d.name +
                      " is lost; if this is a rename, add `-- migrate:renamed-from " + d.name +
                      "` to column " + c.name + " in the schema file");
      }
    }
  }
  for (const Table* d : dropped)
    for (const Table* a : added)
      if (same_shape(*d, *a))
        out.push_back(
            "probable rename: table " + shown(d->name) + " is dropped and table " + shown(a->name) +
            " with the same column types is added. As it stands the rows of " + shown(d->name) +
            " are lost; if this is a rename, add `-- migrate:renamed-from " + d->name.name +
            "` before CREATE TABLE " + shown(a->name) + " in the schema file");
  return out;
}

}  // namespace migrate::schema
