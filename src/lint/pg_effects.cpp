// What a statement leaves behind for the rules of later statements: new
// tables and indexes, constraints added NOT VALID or validated, column
// types; and which statements take an ACCESS EXCLUSIVE lock.
#include "lint/pg_rules.h"

namespace migrate::lint::pg {

namespace {

void record_column(RunState& run, const std::string& table, Value def) {
  Value type = field(def, "typeName");
  run.column_types[table + "." + text(def, "colname")] = {type_of(type), typmods_of(type)};
}

// CHECK (col IS NOT NULL): the column; "" for any other check.
std::string not_null_column(Value check) {
  Value e = field(check, "raw_expr");
  if (kind_of(e) != "NullTest" || text(body_of(e), "nulltesttype") != "IS_NOT_NULL") return "";
  Value arg = field(body_of(e), "arg");
  if (kind_of(arg) != "ColumnRef") return "";
  return last_name(field(body_of(arg), "fields"));
}

void record_alter_table(const Statement& s) {
  const std::string table = table_of(field(s.body, "relation"));
  for (Value c : field(s.body, "cmds")) {
    Value cmd = body_of(c);
    const std::string sub = text(cmd, "subtype");
    if (sub == "AT_AddConstraint") {
      Value con = body_of(field(cmd, "def"));
      const std::string type = text(con, "contype");
      const std::string name = text(con, "conname");
      const bool not_valid = flag(con, "skip_validation");
      if (type == "CONSTR_FOREIGN" && !name.empty()) s.run.foreign_keys.insert(name);
      if (type == "CONSTR_CHECK") {
        const std::string column = not_null_column(con);
        if (!column.empty() && !name.empty())
          s.run.not_null_checks[name] = {table, column, !not_valid};
      }
      if (not_valid && !name.empty()) s.step.not_valid_added.insert(name);
    } else if (sub == "AT_ValidateConstraint") {
      auto it = s.run.not_null_checks.find(text(cmd, "name"));
      if (it != s.run.not_null_checks.end()) it->second.validated = true;
    } else if (sub == "AT_AddColumn") {
      record_column(s.run, table, body_of(field(cmd, "def")));
    } else if (sub == "AT_AlterColumnType") {
      Value type = field(body_of(field(cmd, "def")), "typeName");
      s.run.column_types[table + "." + text(cmd, "name")] = {type_of(type), typmods_of(type)};
    }
  }
}

// ALTER TABLE subcommands that take less than ACCESS EXCLUSIVE.
bool weaker_lock(const std::string& sub, Value cmd) {
  if (sub == "AT_ValidateConstraint" || sub == "AT_SetStatistics" || sub == "AT_SetOptions" ||
      sub == "AT_ResetOptions" || sub == "AT_ClusterOn" || sub == "AT_DropCluster" ||
      sub == "AT_EnableTrig" || sub == "AT_DisableTrig" || sub == "AT_AttachPartition")
    return true;
  return sub == "AT_AddConstraint" &&
         text(body_of(field(cmd, "def")), "contype") == "CONSTR_FOREIGN";
}

}  // namespace

std::string access_exclusive_table(const Statement& s) {
  Value b = s.body;
  if (s.kind == "AlterTableStmt") {
    const std::string table = table_of(field(b, "relation"));
    if (s.is_new(table)) return "";
    for (Value c : field(b, "cmds"))
      if (!weaker_lock(text(body_of(c), "subtype"), body_of(c))) return table;
    return "";
  }
  if (s.kind == "RenameStmt" || s.kind == "ClusterStmt") {
    const std::string table = table_of(field(b, "relation"));
    return s.is_new(table) ? "" : table;
  }
  if (s.kind == "TruncateStmt") {
    for (Value r : field(b, "relations"))
      if (!s.is_new(table_of(body_of(r)))) return table_of(body_of(r));
    return "";
  }
  if (s.kind == "DropStmt" && !flag(b, "concurrent")) {
    const std::string type = text(b, "removeType");
    if (type != "OBJECT_TABLE" && type != "OBJECT_INDEX") return "";
    for (Value o : field(b, "objects")) {
      const std::string name = last_name(field(body_of(o), "items"));
      if (!s.is_new(name) && !s.run.new_indexes.count(name)) return name;
    }
    return "";
  }
  if (s.kind == "LockStmt") {
    Value mode = field(b, "mode");
    if (mode.is_number_integer() && mode.integer() != 8) return "";
    for (Value r : field(b, "relations"))
      if (!s.is_new(table_of(body_of(r)))) return table_of(body_of(r));
    return "";
  }
  if (s.kind == "VacuumStmt") {
    bool full = false;
    for (Value o : field(b, "options")) full = full || text(body_of(o), "defname") == "full";
    if (!full) return "";
    for (Value r : field(b, "rels")) return table_of(field(body_of(r), "relation"));
    return "(every table)";
  }
  return "";
}

void record_effects(const Statement& s) {
  Value b = s.body;
  if (s.kind == "CreateStmt") {
    const std::string table = table_of(field(b, "relation"));
    s.run.new_tables.insert(table);
    s.step.created.insert(table);
    for (Value e : field(b, "tableElts")) {
      if (kind_of(e) == "ColumnDef") record_column(s.run, table, body_of(e));
      if (kind_of(e) == "Constraint" && text(body_of(e), "contype") == "CONSTR_FOREIGN" &&
          !text(body_of(e), "conname").empty())
        s.run.foreign_keys.insert(text(body_of(e), "conname"));
    }
  } else if (s.kind == "CreateTableAsStmt") {
    s.run.new_tables.insert(table_of(field(field(b, "into"), "rel")));
    s.step.created.insert(table_of(field(field(b, "into"), "rel")));
  } else if (s.kind == "IndexStmt") {
    const std::string table = table_of(field(b, "relation"));
    if (s.is_new(table) && !text(b, "idxname").empty())
      s.run.new_indexes[text(b, "idxname")] = table;
  } else if (s.kind == "AlterTableStmt") {
    record_alter_table(s);
  } else if (s.kind == "RenameStmt" && text(b, "renameType") == "OBJECT_TABLE") {
    // A new table keeps being new under its new name.
    if (s.is_new(table_of(field(b, "relation")))) {
      s.run.new_tables.insert(text(b, "newname"));
      if (s.step.created.count(table_of(field(b, "relation"))))
        s.step.created.insert(text(b, "newname"));
    }
  }
}

}  // namespace migrate::lint::pg
