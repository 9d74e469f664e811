#include "schema/column_order.h"

#include <algorithm>

#include "util/strings.h"

namespace migrate::schema {

std::vector<ColumnOrderDifference> column_order_differences(const Schema& from, const Schema& to,
                                                            const Diff& diff) {
  std::vector<ColumnOrderDifference> out;
  auto rebuilt = [&](const QualifiedName& name) {
    for (const auto& op : diff.operations)
      if (const auto* r = std::get_if<ops::RebuildTable>(&op.op))
        if (r->to.name == name) return true;
    return false;
  };
  for (const auto& t : to.tables) {
    const Table* o = from.table(t.name);
    if (!o || t.is_partition() || rebuilt(t.name)) continue;
    std::vector<std::string> after;
    for (const auto& c : o->columns) {
      std::string name = c.name;  // or its new name, from a rename hint
      for (const auto& n : t.columns)
        if (n.renamed_from == c.name && !t.column(c.name)) name = n.name;
      if (t.column(name)) after.push_back(name);
    }
    for (const auto& c : t.columns)
      if (std::find(after.begin(), after.end(), c.name) == after.end()) after.push_back(c.name);
    std::vector<std::string> wanted;
    for (const auto& c : t.columns) wanted.push_back(c.name);
    if (after != wanted) out.push_back({t.name, std::move(after), std::move(wanted)});
  }
  return out;
}

std::string describe(const ColumnOrderDifference& d) {
  const std::string table = d.table.schema.empty() || d.table.schema == "main"
                                ? d.table.name
                                : d.table.schema + "." + d.table.name;
  return "table " + table + ": columns (" + util::join(d.after_diff, ", ") + ") after the diff, (" +
         util::join(d.wanted, ", ") +
         ") wanted; the database cannot reorder columns in place: recreate the table (and "
         "copy its rows) to match";
}

}  // namespace migrate::schema
