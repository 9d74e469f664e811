#include "schema/postgres/pg_diff_table_attrs.h"

#include <algorithm>

#include "schema/order.h"

namespace migrate::schema::postgres {

bool same_options(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

void diff_table_attributes(const Table& o, const Table& t, Plan& plan) {
  if (o.unlogged != t.unlogged) plan.add(kTables, ops::SetLogged{t.name, t.unlogged});
  if (!same_options(o.options, t.options))
    plan.add(kTables, ops::SetRelationOptions{ops::SetRelationOptions::Kind::kTable, t.name,
                                              o.options, t.options});
  for (const auto& c : t.columns) {
    const Column* old = o.column(c.name);
    if (!old && !c.renamed_from.empty()) old = o.column(c.renamed_from);
    const int before = old ? old->statistics : -1;
    if (before != c.statistics)
      plan.add(kTables, ops::SetStatistics{t.name, "", c.name, 0, c.statistics});
  }
}

void create_table_attributes(const Table& t, Plan& plan) {
  for (const auto& c : t.columns)
    if (c.statistics >= 0)
      plan.add(kTables, ops::SetStatistics{t.name, "", c.name, 0, c.statistics}, false);
}

void create_index_statistics(const Index& i, Plan& plan) {
  for (const auto& [column, target] : i.statistics)
    plan.add(kCreateIndexes, ops::SetStatistics{i.table, i.name, "", column, target}, false);
}

void diff_index_statistics(const Index& o, const Index& i, Plan& plan) {
  if (o.statistics == i.statistics) return;
  for (const auto& [column, target] : o.statistics) {
    bool kept = false;
    for (const auto& n : i.statistics) kept = kept || n.first == column;
    if (!kept) plan.add(kCreateIndexes, ops::SetStatistics{i.table, i.name, "", column, -1});
  }
  for (const auto& s : i.statistics)
    if (std::find(o.statistics.begin(), o.statistics.end(), s) == o.statistics.end())
      plan.add(kCreateIndexes, ops::SetStatistics{i.table, i.name, "", s.first, s.second});
}

std::vector<QualifiedName> parents_of(const Table& t) {
  std::vector<QualifiedName> out = t.inherits;
  if (t.is_partition()) out.push_back(t.partition_of);
  return out;
}

std::vector<const Table*> parents_first(std::vector<const Table*> items) {
  std::vector<const Table*> out;
  for (std::size_t i : dependency_order(items.size(), [&](std::size_t a, std::size_t b) {
         const auto parents = parents_of(*items[a]);
         return std::find(parents.begin(), parents.end(), items[b]->name) != parents.end();
       }))
    out.push_back(items[i]);
  return out;
}

}  // namespace migrate::schema::postgres
