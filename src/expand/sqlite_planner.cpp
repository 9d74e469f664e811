#include "expand/sqlite_planner.h"

#include <fmt/format.h>

#include <algorithm>

#include "expand/backfill_plan.h"
#include "expand/script_text.h"
#include "expand/sqlite_rebuild.h"
#include "expand/sqlite_sync.h"
#include "script/revision_header.h"
#include "sql/sqlite/text.h"
#include "util/error.h"

namespace migrate::expand {

namespace {

using sql::sqlite::quote_ident;

std::string ident(const std::string& name) { return quote_ident(name); }

bool uses(const std::vector<std::string>& columns, const std::string& name) {
  return std::find(columns.begin(), columns.end(), name) != columns.end();
}

std::string sql_literal(const std::string& text) {
  std::string out = "'";
  for (char ch : text) out += ch == '\'' ? std::string("''") : std::string(1, ch);
  return out + "'";
}

class SqlitePlanner {
 public:
  SqlitePlanner(const Change& c, const schema::Schema& schema)
      : c_(c), schema_(schema), t_(quote_ident(c.table.name.name)), rebuild_(c, schema) {}

  Phases run(const std::string& message) {
    refuse();
    Phases p;
    p.warnings = c_.warnings;
    p.expand = {message + " (expand)", {"phase: expand"}, expand_up(), expand_down()};
    std::vector<std::string> copy;
    if (rebuilt()) {
      copy.push_back("  copy_to: " +
                     script::yaml_quote(c_.table.name.schema + "." + rebuild_.shadow()));
      copy.push_back("  copy:");
      for (const auto& [column, expr] : rebuild_.copy())
        copy.push_back("    " + script::yaml_quote(column) + ": " + script::yaml_quote(expr));
    }
    p.backfill = {message + " (backfill)", backfill_header(c_, &ident, display(), copy),
                  backfill_up(), backfill_down()};
    p.contract = {message + " (contract)", {"phase: contract"}, contract_up(), contract_down()};
    return p;
  }

 private:
  bool rebuilt() const { return !rebuild_.reason().empty(); }

  [[noreturn]] void refused(const PlanOp& op, const std::string& why) const {
    throw Error(c_.plan->at(op.line) + ": " + op_name(op.kind) + " on SQLite " + why +
                " (docs/zero-downtime.md, SQLite)");
  }

  // The old column stays in the live table through the window; SQLite
  // checks NOT NULL before any AFTER trigger could fill it from the new one.
  void writable(const PlanOp& op, const schema::Column& col) const {
    if (col.not_null && !col.default_expr)
      refused(op, "of NOT NULL column " + col.name +
                      " without a default: the new version's inserts, which do not write it, "
                      "would fail on it before any trigger runs (give it a default first)");
  }

  void refuse() const {
    for (const auto& p : c_.pairs) writable(*p.op, p.from);
    for (const auto& d : c_.dropped) writable(*d.op, d.column);
    auto dropped_by = [&](const PlanOp& op, const std::string& col) {
      for (const auto& v : schema_.views)
        if (sql::sqlite::mentions(v.definition, c_.table.name.name) &&
            sql::sqlite::mentions(v.definition, col))
          refused(op, "of column " + col + ", which view " + v.name.name + " reads");
    };
    for (const auto& p : c_.pairs)
      if (p.op->kind == OpKind::kChangeType) dropped_by(*p.op, p.from.name);
    for (const auto& d : c_.dropped) dropped_by(*d.op, d.column.name);
    if (rebuilt())
      for (const auto& t : schema_.tables)
        if (t.name.name == rebuild_.shadow())
          throw Error(c_.plan->at(c_.plan->table_line) + ": a table " + rebuild_.shadow() +
                      " exists: another rebuild of " + display() +
                      " is in its window; run its contract first");
  }

  std::string alter(const std::string& what) const { return "ALTER TABLE " + t_ + " " + what; }

  std::string column_def(const schema::Column& col) const {
    std::string def = quote_ident(col.name) + (col.type.empty() ? "" : " " + col.type);
    if (!col.collation.empty()) def += " COLLATE " + col.collation;
    if (col.not_null) def += " NOT NULL";
    if (col.default_expr) def += " DEFAULT " + *col.default_expr;
    return def;
  }
  // The new column of a pair, or a column added back: nullable, no default.
  std::string bare(schema::Column col) const {
    col.not_null = false;
    col.default_expr.reset();
    return column_def(col);
  }

  // Indexes over the new name of a renamed column: built by the contract,
  // after the rename (the new copy is dropped first).
  bool after_rename(const NewIndex& ix) const {
    if (rebuilt()) return true;  // built on the rebuilt table
    for (const auto& p : c_.pairs)
      if (p.op->kind == OpKind::kRenameColumn &&
          (uses(ix.index.columns, p.to.name) || sql::sqlite::mentions(ix.index.where, p.to.name)))
        return true;
    return false;
  }

  std::string create_index(const schema::Index& i) const {
    std::string cols;
    for (const auto& c : i.columns) cols += (cols.empty() ? "" : ", ") + quote_ident(c);
    std::string sql = fmt::format("CREATE {}INDEX IF NOT EXISTS {} ON {} ({})",
                                  i.unique ? "UNIQUE " : "", quote_ident(i.name), t_, cols);
    if (!i.where.empty()) sql += " WHERE " + i.where;
    return sql;
  }

  void drop_triggers(ScriptText& s, bool if_exists) const {
    const auto triggers = sqlite_sync_triggers(c_);
    for (auto it = triggers.rbegin(); it != triggers.rend(); ++it)
      s.sql((if_exists ? "DROP TRIGGER IF EXISTS " : "DROP TRIGGER ") + quote_ident(it->name));
  }

  void create_triggers(ScriptText& s) const {
    const auto triggers = sqlite_sync_triggers(c_);
    if (triggers.empty()) return;
    s.blank();
    for (const auto& t : triggers) s.sql(t.sql);
    s.blank();
  }

  // ---- expand ------------------------------------------------------------

  std::string expand_up() const {
    ScriptText s;
    s.comment("Expand " + display() + ": one transaction, SQLite's in-place ALTER TABLE only.");
    s.comment("From its commit to the contract, the old and the new application both run.");
    for (const auto& p : c_.pairs) s.sql(alter("ADD COLUMN " + bare(p.to)));
    for (const auto& a : c_.added)
      s.sql(alter("ADD COLUMN " + (a.volatile_default ? bare(a.column) : column_def(a.column))));
    create_triggers(s);
    if (rebuilt()) {
      s.comment("Rebuilt online (" + rebuild_.reason() + "): the table in its final shape, kept");
      s.comment(
          "in step by the triggers below, filled by the backfill, swapped in by the contract.");
      s.sql(rebuild_.create_shadow());
      for (const auto& t : rebuild_.mirror_triggers()) s.sql(t.sql);
    }
    return s.text();
  }

  std::string expand_down() const {
    ScriptText s;
    if (rebuilt()) {
      const auto mirror = rebuild_.mirror_triggers();
      for (auto it = mirror.rbegin(); it != mirror.rend(); ++it)
        s.sql("DROP TRIGGER IF EXISTS " + quote_ident(it->name));
      s.sql("DROP TABLE IF EXISTS " + quote_ident(rebuild_.shadow()));
    }
    drop_triggers(s, true);
    for (auto it = c_.added.rbegin(); it != c_.added.rend(); ++it)
      s.sql(alter("DROP COLUMN " + quote_ident(it->column.name)));
    for (auto it = c_.pairs.rbegin(); it != c_.pairs.rend(); ++it)
      s.sql(alter("DROP COLUMN " + quote_ident(it->to.name)));
    return s.text();
  }

  // ---- backfill ----------------------------------------------------------

  std::string backfill_up() const {
    ScriptText s;
    s.comment("Backfill " + display() + ": the rows are filled by migrate's backfill engine from");
    s.comment("the header's `backfill:` section, in short keyset batches (docs/zero-downtime.md).");
    for (const auto& ix : c_.indexes) {
      if (after_rename(ix)) continue;
      s.blank();
      s.comment(
          "SQLite builds an index under its write lock; IF NOT EXISTS makes a rerun harmless.");
      s.sql(create_index(ix.index));
    }
    return s.text();
  }

  std::string backfill_down() const {
    ScriptText s;
    for (auto it = c_.indexes.rbegin(); it != c_.indexes.rend(); ++it)
      if (!after_rename(*it)) s.sql("DROP INDEX IF EXISTS " + quote_ident(it->index.name));
    return s.text();
  }

  // ---- contract ----------------------------------------------------------

  // A statement that fails with `message` followed by the count of `from`'s
  // rows (SQLite has no RAISE outside triggers: json_extract's error for a
  // path that is not one carries the text; the count keeps SQLite from
  // evaluating the call once before any row).
  std::string fail_when_rows(const std::string& message, const std::string& where,
                             const std::string& from = "") const {
    return fmt::format(
        "SELECT json_extract('{{}}', {} || n || ' row(s)') FROM (SELECT count(*) AS n FROM {}{}) "
        "WHERE n > 0",
        sql_literal(message), from.empty() ? t_ : from, where.empty() ? "" : " WHERE " + where);
  }

  std::string contract_up() const {
    ScriptText s;
    s.comment("Contract " + display() +
              ": run only once no instance of the old application is left.");
    if (rebuilt()) {
      s.comment("One transaction: verify, drop the triggers, swap the rebuilt table in, build its");
      s.comment("indexes (under the write lock); committed only if foreign_key_check passes.");
    } else {
      s.comment("One transaction: verify, drop the triggers and the old columns (DROP COLUMN");
      s.comment("rewrites the table's rows under the write lock).");
    }
    std::string where;
    for (const auto& p : c_.pairs)
      where += (where.empty() ? "" : "\n   OR ") + quote_ident(p.to.name) + " IS DISTINCT FROM (" +
               p.up + ")";
    if (!where.empty())
      s.sql(fail_when_rows("contract refused: rows of " + display() +
                               " are not backfilled yet (a new column differs from up(old)); "
                               "finish the backfill revision first: ",
                           where));
    if (rebuilt()) {
      const std::string missing = "contract refused: the rebuilt table " + rebuild_.shadow() +
                                  " and " + display() +
                                  " differ in their keys; finish the backfill revision first: ";
      s.sql(fail_when_rows(missing, rebuild_.live_missing()));
      s.sql(fail_when_rows(missing, rebuild_.shadow_missing(),
                           quote_ident(rebuild_.shadow()) + " s"));
    }
    drop_triggers(s, false);
    if (rebuilt()) {
      for (const auto& t : rebuild_.mirror_triggers()) s.sql("DROP TRIGGER " + quote_ident(t.name));
      for (const auto& st : rebuild_.swap()) s.sql(st);
    }
    for (const auto& p : c_.pairs) {
      if (rebuilt()) break;
      if (p.op->kind == OpKind::kRenameColumn) {
        s.comment(p.to.name + " equals " + p.from.name + ": the copy goes, " + p.from.name +
                  " (its NOT NULL, default, indexes, references) is renamed.");
        s.sql(alter("DROP COLUMN " + quote_ident(p.to.name)));
        s.sql(alter("RENAME COLUMN " + quote_ident(p.from.name) + " TO " + quote_ident(p.to.name)));
      } else {
        s.sql(alter("DROP COLUMN " + quote_ident(p.from.name)));
      }
    }
    if (!rebuilt())
      for (const auto& d : c_.dropped) s.sql(alter("DROP COLUMN " + quote_ident(d.column.name)));
    for (const auto& ix : c_.indexes)
      if (after_rename(ix)) s.sql(create_index(ix.index));
    return s.text();
  }

  std::string contract_down() const {
    ScriptText s;
    std::vector<std::string> irreversible = c_.irreversible;
    if (rebuilt())
      irreversible.push_back("the table was rebuilt (" + rebuild_.reason() +
                             "), which this build does not undo on SQLite");
    if (!irreversible.empty()) {
      std::string why;
      for (const auto& w : irreversible) why += (why.empty() ? "" : "; ") + w;
      s.comment("The old columns cannot be computed again from the new ones.");
      s.sql(fmt::format(
          "SELECT json_extract('{{}}', {} || n) FROM (SELECT count(*) AS n FROM sqlite_schema)",
          sql_literal("downgrade of the contract of " + display() + " refused: " + why +
                      (c_.irreversible.empty() ? ""
                                               : ", so the dropped column(s) cannot be filled "
                                                 "again") +
                      "; schema objects: ")));
      return s.text();
    }
    s.comment("Re-expand " + display() + ": the old columns back, filled by `down`, and the");
    s.comment("window as the backfill left it (one transaction; the UPDATE rewrites every row).");
    for (auto it = c_.indexes.rbegin(); it != c_.indexes.rend(); ++it)
      if (after_rename(*it)) s.sql("DROP INDEX IF EXISTS " + quote_ident(it->index.name));
    std::string sets;
    auto set = [&](const std::string& column, const std::string& expr) {
      sets += (sets.empty() ? "" : ", ") + quote_ident(column) + " = " + expr;
    };
    for (const auto& p : c_.pairs) {
      if (p.op->kind == OpKind::kRenameColumn) {
        s.sql(alter("RENAME COLUMN " + quote_ident(p.to.name) + " TO " + quote_ident(p.from.name)));
        s.sql(alter("ADD COLUMN " + bare(p.to)));
        set(p.to.name, p.up);
      } else {
        s.sql(alter("ADD COLUMN " + column_def(p.from)));
        set(p.from.name, p.down);
      }
    }
    for (const auto& d : c_.dropped) {
      s.sql(alter("ADD COLUMN " + column_def(d.column)));
      set(d.column.name, d.down);
    }
    if (!sets.empty()) s.sql("UPDATE " + t_ + " SET " + sets);
    create_triggers(s);
    return s.text();
  }

  std::string display() const { return c_.table.name.schema + "." + c_.table.name.name; }

  const Change& c_;
  const schema::Schema& schema_;
  std::string t_;
  SqliteRebuild rebuild_;
};

}  // namespace

Phases plan_sqlite(const Change& change, const schema::Schema& schema, const std::string& message) {
  return SqlitePlanner(change, schema).run(message);
}

}  // namespace migrate::expand
