// Lock rules: statements that hold a lock blocking reads or writes of an
// existing table for as long as they scan or rewrite it. A table created
// earlier in the same run (this file or an earlier pending revision) is new:
// nobody else uses it yet, so none of these fire on it.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "lint/pg_rules.h"

namespace migrate::lint::pg {

namespace {

bool is_serial(const std::string& type) {
  return type == "serial" || type == "bigserial" || type == "smallserial" || type == "serial4" ||
         type == "serial8" || type == "serial2";
}

// Functions PostgreSQL marks volatile that show up in defaults. now(),
// current_timestamp, statement_timestamp() are stable: a stable default is
// evaluated once for the ALTER, no rewrite.
bool is_volatile_function(const std::string& name) {
  static const std::array<const char*, 12> names = {
      "random",          "random_normal",    "clock_timestamp",    "timeofday",
      "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
      "uuidv7",          "nextval",          "gen_random_bytes",   "txid_current"};
  return std::find_if(names.begin(), names.end(), [&](const char* n) { return name == n; }) !=
         names.end();
}

// The first volatile function called in `expr`; "". What the server (or
// the config's `lint.functions`) says about a function comes first; the
// built-in list covers the rest.
std::string volatile_call(const Statement& s, Value expr) {
  std::string found;
  walk(expr, [&](Value n) {
    if (!found.empty() || kind_of(n) != "FuncCall") return;
    const std::string f = last_name(field(body_of(n), "funcname"));
    const char known = s.settings.volatility(f);
    if (known ? known == 'v' : is_volatile_function(f)) found = f + "()";
  });
  return found;
}

// Whether changing a column from (old_type, old_mods) to (new_type,
// new_mods) keeps every stored value's bytes: no rewrite, no index rebuild.
bool binary_compatible(const std::string& old_type, const std::vector<long long>& old_mods,
                       const std::string& new_type, const std::vector<long long>& new_mods) {
  if (old_type == new_type && old_mods == new_mods) return true;
  const bool old_vc = old_type == "varchar", new_vc = new_type == "varchar";
  if ((old_vc || old_type == "text") && (new_type == "text" || (new_vc && new_mods.empty())))
    return true;
  if (old_vc && new_vc && !old_mods.empty() && !new_mods.empty()) return new_mods[0] >= old_mods[0];
  if (old_type == "numeric" && new_type == "numeric") {
    if (new_mods.empty()) return true;
    if (old_mods.empty()) return false;
    const long long old_scale = old_mods.size() > 1 ? old_mods[1] : 0;
    const long long new_scale = new_mods.size() > 1 ? new_mods[1] : 0;
    return new_scale == old_scale && new_mods[0] >= old_mods[0];
  }
  if (old_type == "varbit" && new_type == "varbit")
    return new_mods.empty() || (!old_mods.empty() && new_mods[0] >= old_mods[0]);
  if (old_type == "cidr" && new_type == "inet") return true;
  return false;
}

std::string type_text(const std::string& type, const std::vector<long long>& mods) {
  std::string out = type;
  for (std::size_t i = 0; i < mods.size(); ++i)
    out += (i ? "," : "(") + std::to_string(mods[i]) + (i + 1 == mods.size() ? ")" : "");
  return out;
}

void check_add_column(const Statement& s, const std::string& table, Value cmd, std::size_t at) {
  Value col = body_of(field(cmd, "def"));
  const std::string name = text(col, "colname");
  const std::string type = type_of(field(col, "typeName"));
  bool not_null = false, has_default = false, identity = false;
  std::string volatile_fn;
  for (Value c : field(col, "constraints")) {
    Value con = body_of(c);
    const std::string t = text(con, "contype");
    if (t == "CONSTR_NOTNULL" || t == "CONSTR_PRIMARY") not_null = true;
    if (t == "CONSTR_DEFAULT") {
      has_default = true;
      volatile_fn = volatile_call(s, field(con, "raw_expr"));
      if (volatile_fn.empty() && s.postgres_version < 11) volatile_fn = "any default before 11";
    }
    if (t == "CONSTR_IDENTITY") identity = true;
    if (t == "CONSTR_GENERATED")
      s.hit(RuleId::stored_generated_column, at,
            fmt::format("ADD COLUMN {}.{} GENERATED ... STORED computes it for every row: a "
                        "rewrite of {} under an ACCESS EXCLUSIVE lock",
                        table, name, table));
  }
  if (is_serial(type))
    s.hit(RuleId::volatile_default, at,
          fmt::format("ADD COLUMN {}.{} {}: its default is nextval(), volatile, so every row is "
                      "numbered in a rewrite of {} under an ACCESS EXCLUSIVE lock",
                      table, name, type, table));
  else if (identity)
    s.hit(RuleId::volatile_default, at,
          fmt::format("ADD COLUMN {}.{} ... IDENTITY numbers every row: a rewrite of {} under an "
                      "ACCESS EXCLUSIVE lock",
                      table, name, table));
  else if (!volatile_fn.empty())
    s.hit(RuleId::volatile_default, at,
          s.postgres_version < 11 && volatile_fn == "any default before 11"
              ? fmt::format("ADD COLUMN {}.{} with a DEFAULT rewrites {} before PostgreSQL 11 "
                            "(lint.postgres_version: {})",
                            table, name, table, s.postgres_version)
              : fmt::format("ADD COLUMN {}.{} with the volatile default {}: every row gets its "
                            "own value in a rewrite of {} under an ACCESS EXCLUSIVE lock",
                            table, name, volatile_fn, table));
  if (not_null && !has_default && !identity && !is_serial(type))
    s.hit(RuleId::add_column_not_null_without_default, at,
          fmt::format("ADD COLUMN {}.{} NOT NULL without a DEFAULT fails as soon as {} has a row",
                      table, name, table));
}

void check_type_change(const Statement& s, const std::string& table, Value cmd, std::size_t at) {
  const std::string column = text(cmd, "name");
  Value def = body_of(field(cmd, "def"));
  const std::string type = type_of(field(def, "typeName"));
  const std::vector<long long> mods = typmods_of(field(def, "typeName"));
  auto known = s.run.column_types.find(table + "." + column);
  if (field(def, "raw_default").is_null() && known != s.run.column_types.end() &&
      binary_compatible(known->second.first, known->second.second, type, mods))
    return;
  s.hit(RuleId::column_type_change, at,
        known != s.run.column_types.end()
            ? fmt::format("ALTER COLUMN {}.{} TYPE {} (from {}) rewrites {} and its indexes "
                          "under an ACCESS EXCLUSIVE lock",
                          table, column, type_text(type, mods),
                          type_text(known->second.first, known->second.second), table)
            : fmt::format("ALTER COLUMN {}.{} TYPE {} rewrites {} and its indexes under an "
                          "ACCESS EXCLUSIVE lock unless the change is binary-compatible (the "
                          "column's current type is not in this run)",
                          table, column, type_text(type, mods), table));
}

void check_alter_table(const Statement& s) {
  const std::string table = table_of(field(s.body, "relation"));
  if (s.is_new(table)) return;
  for (Value c : field(s.body, "cmds")) {
    Value cmd = body_of(c);
    const std::string sub = text(cmd, "subtype");
    const std::size_t at = s.at(c);
    if (sub == "AT_AddConstraint") {
      Value con = body_of(field(cmd, "def"));
      const std::string type = text(con, "contype");
      const std::string name = text(con, "conname");
      if ((type == "CONSTR_CHECK" || type == "CONSTR_FOREIGN") && !flag(con, "skip_validation"))
        s.hit(RuleId::constraint_without_not_valid, at,
              fmt::format("ADD {} {}on {} without NOT VALID checks every row while holding a "
                          "lock that blocks writes",
                          type == "CONSTR_CHECK" ? "CHECK" : "FOREIGN KEY",
                          name.empty() ? "" : name + " ", table));
      if ((type == "CONSTR_UNIQUE" || type == "CONSTR_PRIMARY") && text(con, "indexname").empty())
        s.hit(RuleId::constraint_builds_index, at,
              fmt::format("ADD {} on {} builds its index under an ACCESS EXCLUSIVE lock",
                          type == "CONSTR_UNIQUE" ? "UNIQUE" : "PRIMARY KEY", table));
    } else if (sub == "AT_ValidateConstraint") {
      const std::string name = text(cmd, "name");
      if (s.step.transactional && s.step.not_valid_added.count(name))
        s.hit(RuleId::validate_in_same_transaction, at,
              fmt::format("VALIDATE CONSTRAINT {} in the transaction that added it NOT VALID: "
                          "the add's lock on {} is held during the whole scan",
                          name, table));
    } else if (sub == "AT_SetNotNull") {
      const std::string column = text(cmd, "name");
      bool proven = false;
      for (const auto& [name, check] : s.run.not_null_checks)
        proven = proven || (check.table == table && check.column == column && check.validated);
      if (!proven || s.postgres_version < 12)
        s.hit(RuleId::set_not_null, at,
              fmt::format("SET NOT NULL on {}.{} scans the whole table under an ACCESS EXCLUSIVE "
                          "lock{}",
                          table, column,
                          s.postgres_version < 12
                              ? fmt::format(" (lint.postgres_version: {}; a validated CHECK "
                                            "only helps from 12 on)",
                                            s.postgres_version)
                              : ": no validated CHECK (" + column +
                                    " IS NOT NULL) earlier in this run proves it"));
    } else if (sub == "AT_AddColumn") {
      check_add_column(s, table, cmd, at);
    } else if (sub == "AT_AlterColumnType") {
      check_type_change(s, table, cmd, at);
    }
  }
}

}  // namespace

void check_locks(const Statement& s) {
  Value b = s.body;
  if (s.kind == "IndexStmt") {
    const std::string table = table_of(field(b, "relation"));
    if (!flag(b, "concurrent") && !s.is_new(table))
      s.hit(RuleId::index_without_concurrently, s.begin,
            fmt::format("CREATE INDEX{} on existing table {} without CONCURRENTLY blocks writes "
                        "to it until the index is built",
                        text(b, "idxname").empty() ? "" : " " + text(b, "idxname"), table));
  } else if (s.kind == "DropStmt" && text(b, "removeType") == "OBJECT_INDEX" &&
             !flag(b, "concurrent")) {
    for (Value o : field(b, "objects")) {
      const std::string index = last_name(field(body_of(o), "items"));
      if (s.run.new_indexes.count(index)) continue;
      s.hit(RuleId::drop_index_without_concurrently, s.begin,
            fmt::format("DROP INDEX {} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its "
                        "table",
                        index));
      break;
    }
  } else if (s.kind == "ReindexStmt") {
    bool concurrently = false;
    for (Value p : field(b, "params"))
      concurrently = concurrently || text(body_of(p), "defname") == "concurrently";
    const std::string name = table_of(field(b, "relation"));
    if (!concurrently && !s.is_new(name) && !s.run.new_indexes.count(name))
      s.hit(RuleId::reindex_without_concurrently, s.begin,
            fmt::format("REINDEX{} without CONCURRENTLY blocks writes while it rebuilds",
                        name.empty() ? "" : " " + name));
  } else if (s.kind == "AlterTableStmt") {
    check_alter_table(s);
  } else if (s.kind == "VacuumStmt") {
    bool full = false;
    for (Value o : field(b, "options")) full = full || text(body_of(o), "defname") == "full";
    if (full)
      s.hit(RuleId::vacuum_full, s.begin,
            "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock (reads block too)");
  } else if (s.kind == "ClusterStmt") {
    const std::string table = table_of(field(b, "relation"));
    if (!s.is_new(table))
      s.hit(RuleId::cluster, s.begin,
            fmt::format("CLUSTER{} rewrites the table under an ACCESS EXCLUSIVE lock (reads block "
                        "too)",
                        table.empty() ? "" : " " + table));
  }
}

}  // namespace migrate::lint::pg
