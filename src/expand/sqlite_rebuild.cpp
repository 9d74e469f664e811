#include "expand/sqlite_rebuild.h"

#include <fmt/format.h>

#include <algorithm>

#include "schema/sqlite/sqlite_create_table.h"
#include "sql/sqlite/text.h"

namespace migrate::expand {

namespace {

using schema::ConstraintKind;
using sql::sqlite::fold;
using sql::sqlite::quote_ident;

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string where(const PlanOp& op, const Plan& plan) {
  return std::string(op_name(op.kind)) + " (" + plan.at(op.line) + ")";
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

}  // namespace

SqliteRebuild::SqliteRebuild(const Change& c, const schema::Schema& schema)
    : c_(c), schema_(schema), shadow_("migrate_new_" + c.table.name.name) {
  const schema::Table& t = c.table;
  auto used = [&](const std::string& column) {
    for (const auto& i : t.indexes)
      if (has(i.columns, column) || has(i.uses.columns, column)) return true;
    for (const auto& k : t.constraints)
      if (has(k.columns, column) || has(k.uses.columns, column)) return true;
    return false;
  };
  auto because = [&](const PlanOp& op) {
    if (reason_.empty()) reason_ = where(op, *c.plan);
  };
  for (const auto& f : c.fills) because(*f.op);
  for (const auto& a : c.added)
    if (a.volatile_default) because(*a.op);
  for (const auto& k : c.constraints) because(*k.op);
  for (const auto& p : c.pairs)
    if (p.op->kind == OpKind::kChangeType && (p.from.not_null || used(p.from.name))) because(*p.op);
  for (const auto& d : c.dropped)
    if (used(d.column.name)) because(*d.op);
  // Relaxed for the window (expand/sqlite_relax.h): NOT NULL is kept by
  // the rebuilt table, in the window (the mirror) and after the swap.
  for (const auto& p : c.pairs)
    if (p.from.not_null && !p.from.default_expr) because(*p.op);
  for (const auto& d : c.dropped)
    if (d.column.not_null && !d.column.default_expr) because(*d.op);
  if (reason_.empty()) return;

  // The final shape: the columns in place, as written (renames followed),
  // then the added ones; then the table constraints that are not a column's.
  const schema::sqlite::ParsedTable parsed = schema::sqlite::parse_create_table(t.sql);
  auto written = [&](const std::string& name) -> const schema::sqlite::ParsedColumn* {
    for (const auto& pc : parsed.columns)
      if (fold(pc.name) == fold(name)) return &pc;
    return nullptr;
  };
  for (const auto& col : t.columns) {
    const auto* pc = written(col.name);
    const std::string def = pc ? pc->definition : quote_ident(col.name) + " " + col.type;
    const std::string q = quote_ident(col.name);
    if (std::any_of(c.dropped.begin(), c.dropped.end(),
                    [&](const Dropped& d) { return d.column.name == col.name; }))
      continue;
    auto pair = std::find_if(c.pairs.begin(), c.pairs.end(),
                             [&](const Pair& p) { return p.from.name == col.name; });
    auto fill = std::find_if(c.fills.begin(), c.fills.end(),
                             [&](const Fill& f) { return f.column == col.name; });
    if (pair != c.pairs.end()) {
      const std::string to = quote_ident(pair->to.name);
      definitions_.push_back(pair->op->kind == OpKind::kRenameColumn
                                 ? renamed(def)
                                 : to + " " + pair->to.type + (col.not_null ? " NOT NULL" : ""));
      copy_.emplace_back(pair->to.name, "COALESCE(" + to + ", (" + pair->up + "))");
    } else if (fill != c.fills.end()) {
      definitions_.push_back(renamed(def) + " NOT NULL");
      copy_.emplace_back(col.name, "COALESCE(" + q + ", (" + fill->fill + "))");
    } else {
      definitions_.push_back(renamed(def));
      copy_.emplace_back(col.name, q);
    }
  }
  for (const auto& a : c.added) {
    const std::string q = quote_ident(a.column.name);
    std::string def = q + " " + a.column.type + (a.column.not_null ? " NOT NULL" : "");
    if (a.column.default_expr)
      def += " DEFAULT " +
             (a.volatile_default ? "(" + *a.column.default_expr + ")" : *a.column.default_expr);
    definitions_.push_back(def);
    copy_.emplace_back(a.column.name, a.volatile_default
                                          ? "COALESCE(" + q + ", (" + *a.column.default_expr + "))"
                                          : q);
  }
  auto inline_column = [&](const schema::Constraint& k) {
    const auto* pc = k.columns.size() == 1 ? written(k.columns[0]) : nullptr;
    switch (k.kind) {
      case ConstraintKind::PrimaryKey:
        return std::any_of(parsed.columns.begin(), parsed.columns.end(),
                           [](const auto& p) { return p.primary_key; });
      case ConstraintKind::Unique:
        return pc && pc->unique;
      case ConstraintKind::Check:
        return !k.columns.empty();
      case ConstraintKind::ForeignKey:
        return pc && pc->references;
      default:
        return false;
    }
  };
  for (const auto& k : t.constraints)
    if (!inline_column(k) && !gone(k.columns) && !gone(k.uses.columns))
      definitions_.push_back(renamed(k.definition));
  for (const auto& n : c.constraints) {
    const schema::Constraint& k = n.constraint;
    std::string def = "CONSTRAINT " + quote_ident(k.name) + " ";
    if (k.kind == ConstraintKind::Check) {
      def += k.definition;
    } else {
      std::vector<std::string> cols, refs;
      for (const auto& col : k.columns) cols.push_back(quote_ident(col));
      for (const auto& col : k.ref_columns) refs.push_back(quote_ident(col));
      def += "FOREIGN KEY (" + join(cols, ", ") + ") REFERENCES " + quote_ident(k.ref_table.name) +
             " (" + join(refs, ", ") + ")";
    }
    definitions_.push_back(def);
  }
}

std::string SqliteRebuild::renamed(const std::string& sql) const {
  std::string out = sql;
  for (const auto& p : c_.pairs)
    if (p.op->kind == OpKind::kRenameColumn)
      out = sql::sqlite::replace_ident(out, p.from.name, p.to.name);
  return out;
}

bool SqliteRebuild::gone(const std::vector<std::string>& columns) const {
  for (const auto& col : columns) {
    for (const auto& d : c_.dropped)
      if (d.column.name == col) return true;
    for (const auto& p : c_.pairs)
      if (p.op->kind == OpKind::kChangeType && p.from.name == col) return true;
  }
  return false;
}

std::string SqliteRebuild::create_shadow() const {
  std::vector<std::string> options;
  if (c_.table.without_rowid) options.push_back("WITHOUT ROWID");
  if (c_.table.strict) options.push_back("STRICT");
  return "CREATE TABLE " + quote_ident(shadow_) + " (\n  " + join(definitions_, ",\n  ") + "\n)" +
         (options.empty() ? "" : " " + join(options, ", "));
}

std::vector<SqliteTrigger> SqliteRebuild::mirror_triggers() const {
  const std::string t = quote_ident(c_.table.name.name), s = quote_ident(shadow_);
  const std::string base = "migrate_sync_" + c_.table.name.name + "_mirror_";
  std::vector<std::string> cols, exprs, updates, key, match_new, match_old, same_key;
  for (const auto& [column, expr] : copy_) {
    cols.push_back(quote_ident(column));
    exprs.push_back(expr);
    if (!has(c_.key, column))
      updates.push_back(quote_ident(column) + " = excluded." + quote_ident(column));
  }
  for (const auto& k : c_.key) {
    const std::string q = quote_ident(k);
    key.push_back(q);
    match_new.push_back(t + "." + q + " = NEW." + q);
    match_old.push_back(q + " = OLD." + q);
    same_key.push_back("NEW." + q + " IS OLD." + q);
  }
  const std::string upsert = fmt::format(
      "  INSERT INTO {} ({})\n  SELECT {} FROM {} WHERE {}\n  ON CONFLICT ({}) DO {};\n", s,
      join(cols, ", "), join(exprs, ", "), t, join(match_new, " AND "), join(key, ", "),
      updates.empty() ? "NOTHING" : "UPDATE SET " + join(updates, ", "));
  const std::string head =
      "  -- Written by `migrate revision --expand-contract` (docs/zero-downtime.md): mirrors\n"
      "  -- the row into the rebuilt table. Dropped by the contract.\n";
  auto trigger = [&](const std::string& name, const std::string& event, const std::string& body) {
    return SqliteTrigger{name, "CREATE TRIGGER " + quote_ident(name) + " AFTER " + event + " ON " +
                                   t + " FOR EACH ROW\nBEGIN\n" + head + body + "END"};
  };
  const std::string delete_old =
      "  DELETE FROM " + s + " WHERE " + join(match_old, " AND ") + "{};\n";
  return {trigger(base + "insert", "INSERT", upsert),
          trigger(base + "update", "UPDATE",
                  fmt::format(delete_old, " AND NOT (" + join(same_key, " AND ") + ")") + upsert),
          trigger(base + "delete", "DELETE", fmt::format(delete_old, ""))};
}

std::string SqliteRebuild::live_missing() const {
  const std::string t = quote_ident(c_.table.name.name);
  std::vector<std::string> m;
  for (const auto& k : c_.key)
    m.push_back("s." + quote_ident(k) + " = " + t + "." + quote_ident(k));
  return fmt::format("NOT EXISTS (SELECT 1 FROM {} s WHERE {})", quote_ident(shadow_),
                     join(m, " AND "));
}

std::string SqliteRebuild::shadow_missing() const {
  const std::string t = quote_ident(c_.table.name.name);
  std::vector<std::string> m;
  for (const auto& k : c_.key) m.push_back(t + "." + quote_ident(k) + " = s." + quote_ident(k));
  return fmt::format("NOT EXISTS (SELECT 1 FROM {} WHERE {})", t, join(m, " AND "));
}

std::vector<std::string> SqliteRebuild::swap() const {
  const std::string& name = c_.table.name.name;
  std::vector<std::string> before, after;
  for (const auto& tr : schema_.triggers) {
    if (tr.table == c_.table.name) {
      after.push_back(renamed(tr.definition));  // goes with DROP TABLE
    } else if (sql::sqlite::mentions(tr.definition, name)) {
      before.push_back("DROP TRIGGER " + quote_ident(tr.name));
      after.push_back(renamed(tr.definition));
    }
  }
  for (const auto& v : schema_.views)
    if (sql::sqlite::mentions(v.definition, name)) {
      before.push_back("DROP VIEW " + quote_ident(v.name.name));
      after.push_back(renamed(v.definition));
    }
  std::vector<std::string> out = before;
  out.push_back("DROP TABLE " + quote_ident(name));
  out.push_back("ALTER TABLE " + quote_ident(shadow_) + " RENAME TO " + quote_ident(name));
  for (const auto& i : c_.table.indexes)
    if (!gone(i.columns) && !gone(i.uses.columns) && !i.definition.empty())
      out.push_back(renamed(i.definition));
  out.insert(out.end(), after.begin(), after.end());
  return out;
}

}  // namespace migrate::expand
