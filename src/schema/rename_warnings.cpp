#include "schema/rename_warnings.h"

#include <cctype>

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
  bool eq(const QualifiedName& a, const QualifiedName& b) const {
    return eq(a.schema, b.schema) && eq(a.name, b.name);
  }
};

const Table* find(const Schema& s, const QualifiedName& n, const Names& names) {
  for (const auto& t : s.tables)
    if (names.eq(t.name, n)) return &t;
  return nullptr;
}

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
  std::vector<const Table*> dropped, added;
  for (const auto& t : from.tables) {
    bool renamed_away = false;
    for (const auto& u : to.tables)
      if (!u.renamed_from.empty() && names.eq(u.renamed_from, t.name.name)) renamed_away = true;
    if (!find(to, t.name, names) && !renamed_away) dropped.push_back(&t);
  }
  for (const auto& u : to.tables) {
    const Table* f = find(from, u.name, names);
    if (!f && !u.renamed_from.empty()) f = find(from, {u.name.schema, u.renamed_from}, names);
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
