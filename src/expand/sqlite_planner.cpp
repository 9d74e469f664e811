#include "expand/sqlite_planner.h"

#include <fmt/format.h>

#include <algorithm>

#include "expand/backfill_plan.h"
#include "expand/script_text.h"
#include "expand/sqlite_rebuild.h"
#include "expand/sqlite_relax.h"
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
      : c_(c), schema_(schema), t_(quote_ident(c.table.name.name)), rebuild_(c, schema) {
    for (const auto& p : c_.pairs)
      if (p.from.not_null && !p.from.default_expr) relaxed_.push_back(p.from.name);
    for (const auto& d : c_.dropped)
      if (d.column.not_null && !d.column.default_expr) relaxed_.push_back(d.column.name);
    if (!relaxed_.empty()) relaxed_sql_ = relax_not_null(c_.table.sql, relaxed_, &uncut_);
  }

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

  void refuse() const {
    // Each column that must be nullable in the window, and is not, refuses
    // its own operation (not only when none could be relaxed).
    auto not_relaxed = [&](const PlanOp& op, const std::string& col) {
      if (std::find(uncut_.begin(), uncut_.end(), col) != uncut_.end())
        refused(op, "of column " + col +
                        ", NOT NULL without a default, whose NOT NULL is not in the table's "
                        "CREATE TABLE text where migrate can make it nullable for the window");
    };
    for (const auto& p : c_.pairs) not_relaxed(*p.op, p.from.name);
    for (const auto& d : c_.dropped) not_relaxed(*d.op, d.column.name);
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

  std::string create_index(const schema::Index& i, const std::string& on = "") const {
    std::string cols;
    for (const auto& c : i.columns) cols += (cols.empty() ? "" : ", ") + quote_ident(c);
    std::string sql =
        fmt::format("CREATE {}INDEX IF NOT EXISTS {} ON {} ({})", i.unique ? "UNIQUE " : "",
                    quote_ident(i.name), on.empty() ? t_ : on, cols);
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
    if (!relaxed_.empty()) {
      s.comment(join(relaxed_) + ": NOT NULL without a default, which the new version's inserts");
      s.comment(
          "do not write: nullable in the live table for the window (sqlite.org's writable_schema");
      s.comment("procedure for removing a NOT NULL constraint; no row changes). The rebuilt table");
      s.comment("below keeps NOT NULL, so a NULL either version writes still fails.");
      edit_schema(s, c_.table.sql, relaxed_sql_,
                  "expand refused: the CREATE TABLE text of " + display() +
                      " is not the one the plan was made from (plan again against this database)");
    }
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
    if (!relaxed_.empty()) {
      s.comment(join(relaxed_) + " NOT NULL again, as before the expand (no row may hold NULL).");
      std::string nulls;
      for (const auto& col : relaxed_)
        nulls += (nulls.empty() ? "" : " OR ") + quote_ident(col) + " IS NULL";
      s.sql(fail_when_rows("downgrade of the expand of " + display() +
                               " refused: rows hold NULL in " + join(relaxed_) +
                               ", which is NOT NULL again without the window; fill them first: ",
                           nulls));
      edit_schema(s, relaxed_sql_, c_.table.sql,
                  "downgrade of the expand of " + display() +
                      " refused: the CREATE TABLE text of " + display() +
                      " is not the one the expand left");
    }
    return s.text();
  }

  // sqlite.org's procedure for a change of a table's stored text that no
  // row depends on (https://www.sqlite.org/lang_altertable.html#otheralter):
  // `before` becomes `after`, and the phase fails with `refusal` unless the
  // text was `before`. RESET makes this connection read the schema again;
  // other connections do at their next statement, since the phase's other
  // DDL moves the schema cookie in the same transaction.
  void edit_schema(ScriptText& s, const std::string& before, const std::string& after,
                   const std::string& refusal) const {
    const std::string table = "type = 'table' AND name = " + sql_literal(c_.table.name.name);
    s.sql("PRAGMA writable_schema = ON");
    s.sql("UPDATE sqlite_schema SET sql = " + sql_literal(after) + "\nWHERE " + table +
          " AND sql = " + sql_literal(before));
    s.sql("PRAGMA writable_schema = RESET");
    s.sql(fmt::format(
        "SELECT json_extract('{{}}', {} || n) FROM (SELECT count(*) AS n FROM sqlite_schema "
        "WHERE {} AND sql = {}) WHERE n = 0",
        sql_literal(refusal + "; tables with the expected text: "), table, sql_literal(after)));
  }

  // ---- backfill ----------------------------------------------------------

  std::string backfill_up() const {
    ScriptText s;
    s.comment("Backfill " + display() + ": the rows are filled by migrate's backfill engine from");
    s.comment("the header's `backfill:` section, in short keyset batches (docs/zero-downtime.md).");
    for (const auto& ix : c_.indexes) {
      if (!rebuilt() && after_rename(ix)) continue;
      s.blank();
      s.comment(
          "SQLite builds an index under its write lock; IF NOT EXISTS makes a rerun harmless.");
      if (rebuilt()) {
        s.comment(
            "On the rebuilt table: the swap keeps it, and from now on a write either version");
        s.comment("makes that breaks it fails (in the mirror), as do the copy's batches.");
        s.sql(create_index(ix.index, quote_ident(rebuild_.shadow())));
      } else {
        s.sql(create_index(ix.index));
      }
    }
    return s.text();
  }

  std::string backfill_down() const {
    ScriptText s;
    for (auto it = c_.indexes.rbegin(); it != c_.indexes.rend(); ++it)
      if (rebuilt() || !after_rename(*it))
        s.sql("DROP INDEX IF EXISTS " + quote_ident(it->index.name));
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
    const std::vector<std::string>& irreversible = c_.irreversible;
    if (!irreversible.empty()) {
      std::string why;
      for (const auto& w : irreversible) why += (why.empty() ? "" : "; ") + w;
      s.comment("The old columns cannot be computed again from the new ones.");
      s.sql(fmt::format(
          "SELECT json_extract('{{}}', {} || n) FROM (SELECT count(*) AS n FROM sqlite_schema)",
          sql_literal("downgrade of the contract of " + display() + " refused: " + why +
                      ", so the dropped column(s) cannot be filled again; schema objects: ")));
      return s.text();
    }
    if (rebuilt()) return rebuilt_contract_down();
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

  // The rebuilt contract undone: the table back in the window as the
  // backfill left it, by the swap run backwards (two copies of every row,
  // under the write lock; a downgrade, not an online phase).
  std::string rebuilt_contract_down() const {
    ScriptText s;
    const std::string shadow = quote_ident(rebuild_.shadow());
    s.comment("Re-expand " + display() +
              ": the rebuilt table back into the window as the backfill");
    s.comment("left it. One transaction under the write lock, two copies of every row: the table");
    s.comment("in its final shape is copied to " + rebuild_.shadow() + " again, then created as");
    s.comment("before the expand (with the window's columns) and filled from it by `down`; its");
    s.comment("indexes, triggers and views and the window's triggers come back. Committed only if");
    s.comment("foreign_key_check passes.");
    s.sql(rebuild_.create_shadow());
    std::vector<std::string> final_cols;
    for (const auto& [column, expr] : rebuild_.copy())
      if (!generated(column)) final_cols.push_back(quote_ident(column));
    s.sql("INSERT INTO " + shadow + " (" + join(final_cols) + ")\nSELECT " + join(final_cols) +
          " FROM " + t_);
    std::vector<std::string> restore;
    for (const auto& tr : schema_.triggers)
      if (tr.table == c_.table.name) {
        restore.push_back(tr.definition);  // goes with DROP TABLE
      } else if (sql::sqlite::mentions(tr.definition, c_.table.name.name)) {
        s.sql("DROP TRIGGER IF EXISTS " + quote_ident(tr.name));
        restore.push_back(tr.definition);
      }
    for (const auto& v : schema_.views)
      if (sql::sqlite::mentions(v.definition, c_.table.name.name)) {
        s.sql("DROP VIEW IF EXISTS " + quote_ident(v.name.name));
        restore.push_back(v.definition);
      }
    s.sql("DROP TABLE " + t_);
    s.sql(relaxed_.empty() ? c_.table.sql : relaxed_sql_);
    for (const auto& p : c_.pairs) s.sql(alter("ADD COLUMN " + bare(p.to)));
    for (const auto& a : c_.added)
      s.sql(alter("ADD COLUMN " + (a.volatile_default ? bare(a.column) : column_def(a.column))));
    std::vector<std::string> cols, exprs;
    for (const auto& name : c_.columns) {
      if (generated(name)) continue;
      std::string expr = quote_ident(name);
      for (const auto& p : c_.pairs)
        if (p.from.name == name) expr = "(" + p.down + ")";
      for (const auto& d : c_.dropped)
        if (d.column.name == name) expr = "(" + d.down + ")";
      cols.push_back(quote_ident(name));
      exprs.push_back(expr);
    }
    s.sql("INSERT INTO " + t_ + " (" + join(cols) + ")\nSELECT " + join(exprs) + " FROM " + shadow);
    for (const auto& i : c_.table.indexes)
      if (!i.definition.empty()) s.sql(i.definition);
    for (const auto& sql : restore) s.sql(sql);
    for (const auto& ix : c_.indexes) s.sql(create_index(ix.index, shadow));
    create_triggers(s);
    for (const auto& t : rebuild_.mirror_triggers()) s.sql(t.sql);
    return s.text();
  }

  bool generated(const std::string& name) const {
    const schema::Column* col = c_.table.column(name);
    return col && !col->generated.empty();
  }

  static std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
    return out;
  }

  std::string display() const { return c_.table.name.schema + "." + c_.table.name.name; }

  const Change& c_;
  const schema::Schema& schema_;
  std::string t_;
  SqliteRebuild rebuild_;
  std::vector<std::string> relaxed_;  // NOT NULL columns nullable in the window
  std::string relaxed_sql_;           // the table's CREATE TABLE text with them nullable
  std::vector<std::string> uncut_;    // of relaxed_, those whose NOT NULL was not found
};

}  // namespace

Phases plan_sqlite(const Change& change, const schema::Schema& schema, const std::string& message) {
  return SqlitePlanner(change, schema).run(message);
}

}  // namespace migrate::expand
