#include "schema/postgres/pg_inspect_tables.h"

#include <algorithm>

#include "schema/postgres/pg_catalog_queries.h"
#include "util/strings.h"

namespace migrate::schema::postgres {

namespace {

std::string text(const pqxx::field& f) { return f.is_null() ? std::string() : f.c_str(); }

std::vector<std::string> list(const pqxx::field& f) {
  if (f.is_null()) return {};
  return util::split(f.c_str(), queries::kListSeparator);
}

std::vector<QualifiedName> parents(const pqxx::field& f) {
  std::vector<QualifiedName> out;
  if (f.is_null()) return out;
  for (const auto& item : util::split(f.c_str(), queries::kListSeparator)) {
    auto sep = item.find('\x1e');
    if (sep != std::string::npos) out.push_back({item.substr(0, sep), item.substr(sep + 1)});
  }
  return out;
}

}  // namespace

void add_table_attributes(const TableAttributeRows& rows,
                          const std::function<Table*(const std::string& oid)>& table_of,
                          const std::function<View*(const std::string& oid)>& view_of) {
  for (const auto& r : rows.attributes) {
    const std::string oid = text(r[0]);
    if (Table* t = table_of(oid)) {
      t->unlogged = text(r[1]) == "t";
      t->options = list(r[2]);
      t->partition_by = text(r[3]);
      if (!r[5].is_null()) t->partition_of = {text(r[4]), text(r[5])};
      t->partition_bound = text(r[6]);
      t->inherits = parents(r[7]);
    } else if (View* v = view_of(oid)) {
      v->options = list(r[2]);
    }
  }
  for (const auto& r : rows.columns) {
    Table* t = table_of(text(r[0]));
    if (!t) continue;
    for (auto& c : t->columns)
      if (c.name == text(r[1])) {
        c.inherited = text(r[2]) != "t";
        c.statistics = r[3].as<int>();
      }
  }
  for (const auto& r : rows.index_statistics) {
    Table* t = table_of(text(r[0]));
    if (!t) continue;
    for (auto& i : t->indexes)
      if (i.name == text(r[1])) i.statistics.emplace_back(r[2].as<int>(), r[3].as<int>());
  }
  for (const auto& r : rows.view_column_comments)
    if (View* v = view_of(text(r[0]))) v->column_comments.emplace_back(text(r[1]), text(r[2]));
}

}  // namespace migrate::schema::postgres
