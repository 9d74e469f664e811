// Compatibility rules: changes that break the application version still
// running while the migration runs (renames, dropped guarantees).
#include <fmt/format.h>

#include "lint/pg_rules.h"

namespace migrate::lint::pg {

namespace {

// Whether constraint `name` is a foreign key: known from this run, or named
// the way PostgreSQL names one (t_col_fkey).
bool is_foreign_key(const Statement& s, const std::string& name) {
  if (s.run.foreign_keys.count(name)) return true;
  return name.size() > 5 && name.compare(name.size() - 5, 5, "_fkey") == 0;
}

}  // namespace

void check_compatibility(const Statement& s) {
  Value b = s.body;
  if (s.kind == "RenameStmt") {
    const std::string type = text(b, "renameType");
    const std::string table = table_of(field(b, "relation"));
    if (s.is_new(table)) return;
    if (type == "OBJECT_TABLE")
      s.hit(RuleId::rename_table, s.begin,
            fmt::format("RENAME of table {} to {}: the running application still uses {}", table,
                        text(b, "newname"), table));
    else if (type == "OBJECT_COLUMN")
      s.hit(RuleId::rename_column, s.begin,
            fmt::format("RENAME COLUMN {}.{} to {}: the running application still uses {}", table,
                        text(b, "subname"), text(b, "newname"), text(b, "subname")));
    return;
  }
  if (s.kind != "AlterTableStmt") return;
  const std::string table = table_of(field(b, "relation"));
  if (s.is_new(table)) return;
  for (Value c : field(b, "cmds")) {
    Value cmd = body_of(c);
    const std::string sub = text(cmd, "subtype");
    if (sub == "AT_DropNotNull")
      s.hit(RuleId::drop_not_null, s.at(c),
            fmt::format("DROP NOT NULL on {}.{}: readers that rely on a value now get NULLs", table,
                        text(cmd, "name")));
    else if (sub == "AT_DropConstraint" && is_foreign_key(s, text(cmd, "name")))
      s.hit(RuleId::drop_foreign_key, s.at(c),
            fmt::format("DROP CONSTRAINT {} on {}: a foreign key; nothing keeps the references "
                        "consistent afterwards",
                        text(cmd, "name"), table));
  }
}

}  // namespace migrate::lint::pg
