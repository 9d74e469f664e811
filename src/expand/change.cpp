#include "expand/change.h"

#include <algorithm>
#include <set>

#include "expand/expression.h"
#include "schema/postgres/pg_quote.h"
#include "util/error.h"

namespace migrate::expand {

namespace {

using schema::Column;
using schema::Constraint;
using schema::ConstraintKind;

constexpr std::size_t kMaxName = 63;  // PostgreSQL's NAMEDATALEN - 1

std::string truncated(std::string name) {
  if (name.size() > kMaxName) name.resize(kMaxName);
  return name;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

class Analyser {
 public:
  Analyser(const Plan& plan, const schema::Schema& schema, const std::string& default_schema)
      : plan_(plan), schema_(schema) {
    c_.plan = &plan;
    schema::QualifiedName name{plan.schema.empty() ? default_schema : plan.schema, plan.table};
    const schema::Table* t = schema.table(name);
    if (!t) {
      std::vector<std::string> names;
      for (const auto& tb : schema.tables) names.push_back(tb.name.schema + "." + tb.name.name);
      fail(plan.table_line,
           "table " + name.schema + "." + name.name +
               " does not exist in the schema at the revision it follows (tables: " +
               (names.empty() ? "none" : join(names)) + ")");
    }
    c_.table = *t;
    for (const auto& col : t->columns) c_.columns.push_back(col.name);
    find_key();
    for (const auto& k : t->constraints) names_.insert(k.name);
    for (const auto& i : t->indexes) names_.insert(i.name);
    for (const auto& tr : schema.triggers)
      if (tr.table == t->name) triggers_.push_back(tr.name);
  }

  Change run() {
    for (const PlanOp& op : plan_.operations) one(op);
    for (const auto& d : dependents_) warn_dependents(d);
    // Names the expand phase adds besides the plan's own.
    if (c_.needs_trigger()) {
      c_.sync_trigger = "migrate_sync";
      c_.sync_function = truncated("migrate_sync_" + c_.table.name.name);
      if (contains(triggers_, c_.sync_trigger))
        fail(plan_.table_line, "table " + display() + " already has a trigger " + c_.sync_trigger +
                                   ": another expand/contract change is in its window; run its "
                                   "contract first");
    }
    for (const auto& ix : c_.indexes) check_columns_survive(*ix.op, ix.index.columns);
    for (const auto& k : c_.constraints) check_columns_survive(*k.op, k.constraint.columns);
    return std::move(c_);
  }

 private:
  [[noreturn]] void fail(int line, const std::string& what) const {
    throw Error(plan_.at(line) + ": " + what);
  }
  std::string display() const { return c_.table.name.schema + "." + c_.table.name.name; }
  std::string where(const PlanOp& op) const {
    return std::string(op_name(op.kind)) + " (" + plan_.at(op.line) + ")";
  }

  void find_key() {
    for (const auto& k : c_.table.constraints)
      if (k.kind == ConstraintKind::PrimaryKey) c_.key = k.columns;
    if (!c_.key.empty()) return;
    for (const auto& k : c_.table.constraints) {
      if (k.kind != ConstraintKind::Unique || k.columns.empty()) continue;
      bool all_not_null = std::all_of(k.columns.begin(), k.columns.end(), [&](const auto& n) {
        const Column* col = c_.table.column(n);
        return col && col->not_null;
      });
      if (all_not_null) {
        c_.key = k.columns;
        return;
      }
    }
    fail(plan_.table_line,
         "table " + display() +
             " has no primary key and no unique key over NOT NULL columns: the backfill walks "
             "the table in key order and the triggers find rows by it; add a key first");
  }

  // An existing column the operation may change: not a key column, not
  // already changed by another operation of the plan.
  const Column& existing(const PlanOp& op, const std::string& key) {
    const std::string name = op.get(key);
    const Column* col = c_.table.column(name);
    if (!col)
      fail(op.line_of(key), "table " + display() + " has no column " + name +
                                " (columns: " + join(c_.columns) + ")");
    if (contains(c_.key, name))
      fail(op.line_of(key), "column " + name + " is part of the key (" + join(c_.key) +
                                ") the backfill and triggers find rows by: it cannot be " +
                                op_name(op.kind) + "d here");
    auto seen = touched_.find(name);
    if (seen != touched_.end())
      fail(op.line_of(key), "column " + name + " is already changed by the operation at line " +
                                std::to_string(seen->second) + "; one operation per column");
    if (!col->generated.empty() || !col->identity.empty())
      fail(op.line_of(key), "column " + name + " is generated or an identity column: " +
                                op_name(op.kind) + " does not apply to it");
    touched_[name] = op.line;
    return *col;
  }

  // A name the plan adds to the table's columns.
  std::string fresh_column(const PlanOp& op, const std::string& key) {
    const std::string name = op.get(key);
    if (contains(c_.columns, name))
      fail(op.line_of(key), "column " + name + " already exists in " + display());
    c_.columns.push_back(name);
    return name;
  }

  std::string fresh_name(const PlanOp& op) {
    const std::string name = op.get("name");
    if (names_.count(name))
      fail(op.line_of("name"), "a constraint or index " + name + " already exists on " + display());
    names_.insert(name);
    return name;
  }

  // `expr` as one SQL expression over `allowed` columns.
  std::string expression(const PlanOp& op, const std::string& key,
                         const std::vector<std::string>& allowed) {
    const std::string expr = op.get(key);
    try {
      for (const auto& name : expression_columns(expr))
        if (!contains(allowed, name))
          fail(op.line_of(key), "`" + key + "` uses column " + name + ", which " + display() +
                                    " does not have here (columns: " + join(allowed) + ")");
    } catch (const Error& e) {
      if (std::string(e.what()).rfind(plan_.path, 0) == 0) throw;
      fail(op.line_of(key), e.what());
    }
    return expr;
  }

  void columns_exist(const PlanOp& op, const std::vector<std::string>& cols) {
    for (const auto& n : cols)
      if (!contains(c_.columns, n))
        fail(op.line_of("columns"),
             "table " + display() + " has no column " + n + " (columns: " + join(c_.columns) + ")");
  }

  void check_columns_survive(const PlanOp& op, const std::vector<std::string>& cols) {
    for (const auto& n : cols) {
      for (const auto& p : c_.pairs)
        if (p.from.name == n)
          fail(op.line_of("columns"), "column " + n + " is dropped by the contract (" +
                                          where(*p.op) + "): name the new column " + p.to.name);
      for (const auto& d : c_.dropped)
        if (d.column.name == n)
          fail(op.line_of("columns"), "column " + n + " is dropped by " + where(*d.op));
    }
  }

  void helper(const std::string& column) {
    std::string name = truncated(c_.table.name.name + "_" + column + "_not_null");
    while (names_.count(name)) name = truncated("migrate_" + name);
    names_.insert(name);
    c_.not_null.push_back({column, name});
  }

  // An index or constraint over a column the contract drops goes with it:
  // worth a warning unless the plan builds its replacement over the column
  // that takes its place (`to`), which it can only see once every
  // operation is read (run()).
  struct Dependent {
    const PlanOp* op;
    std::string column, to;  // to: "" for a drop_column
  };

  bool replaced(const Constraint& k, const std::string& to) const {
    if (to.empty()) return false;
    if (k.kind == ConstraintKind::Unique || k.kind == ConstraintKind::PrimaryKey)
      return std::any_of(c_.indexes.begin(), c_.indexes.end(), [&](const NewIndex& ix) {
        return ix.index.unique && contains(ix.index.columns, to);
      });
    return std::any_of(c_.constraints.begin(), c_.constraints.end(), [&](const NewConstraint& n) {
      return n.constraint.kind == k.kind &&
             (contains(n.constraint.columns, to) || contains(n.constraint.uses.columns, to));
    });
  }

  bool replaced(const schema::Index&, const std::string& to) const {
    return !to.empty() &&
           std::any_of(c_.indexes.begin(), c_.indexes.end(),
                       [&](const NewIndex& ix) { return contains(ix.index.columns, to); });
  }

  void warn_dependents(const Dependent& d) {
    const PlanOp& op = *d.op;
    auto& out = op.kind == OpKind::kRenameColumn ? c_.rename_warnings : c_.warnings;
    for (const auto& k : c_.table.constraints)
      if ((contains(k.columns, d.column) || contains(k.uses.columns, d.column)) &&
          !replaced(k, d.to))
        out.push_back(where(op) + ": constraint " + k.name + " uses column " + d.column +
                      ", which the contract drops: it goes with it (add it again for the "
                      "new column in the plan)");
    for (const auto& i : c_.table.indexes)
      if ((contains(i.columns, d.column) || contains(i.uses.columns, d.column)) &&
          !replaced(i, d.to))
        out.push_back(where(op) + ": index " + i.name + " uses column " + d.column +
                      ", which the contract drops: it goes with it (add create_index for "
                      "the new column in the plan)");
  }

  void one(const PlanOp& op) {
    const std::vector<std::string> before = original_columns();
    switch (op.kind) {
      case OpKind::kRenameColumn:
      case OpKind::kChangeType: {
        const bool rename = op.kind == OpKind::kRenameColumn;
        const Column& from = existing(op, rename ? "from" : "column");
        Pair p;
        p.op = &op;
        p.from = from;
        p.to = from;
        p.to.name = fresh_column(op, "to");
        p.to.not_null = false;
        p.to.default_expr.reset();
        p.to.comment.clear();
        p.not_null = from.not_null;
        if (from.default_expr) p.default_expr = *from.default_expr;
        if (rename) {
          p.up = schema::postgres::ident(from.name);
          p.down = schema::postgres::ident(p.to.name);
        } else {
          p.to.type = op.get("type");
          p.to.collation.clear();
          p.up = expression(op, "up", before);
          if (op.has("down")) {
            p.down = expression(op, "down", c_.columns);
          } else {
            if (from.not_null)
              fail(op.line, "change_type of " + from.name +
                                " needs `down`: the column is NOT NULL, and the new version's "
                                "inserts (which write only " +
                                p.to.name + ") would leave it NULL");
            c_.irreversible.push_back(where(op) + " has no `down`");
          }
          if (from.default_expr)
            c_.warnings.push_back(where(op) + ": " + p.to.name +
                                  " gets no default (the old column's default is for its type)");
        }
        if (p.not_null) helper(p.to.name);
        dependents_.push_back({&op, from.name, p.to.name});
        c_.pairs.push_back(std::move(p));
        break;
      }
      case OpKind::kSetNotNull: {
        const Column& col = existing(op, "column");
        if (col.not_null) fail(op.line_of("column"), "column " + col.name + " is already NOT NULL");
        c_.fills.push_back({&op, col.name, expression(op, "fill", before)});
        helper(col.name);
        break;
      }
      case OpKind::kAddColumn: {
        Added a;
        a.op = &op;
        a.column.name = fresh_column(op, "column");
        a.column.type = op.get("type");
        a.column.not_null = op.flag("not_null");
        if (op.has("default")) {
          a.column.default_expr = expression(op, "default", {});
          a.volatile_default = !is_constant(*a.column.default_expr);
        }
        if (a.column.not_null && !a.column.default_expr)
          fail(op.line, "add_column " + a.column.name +
                            " NOT NULL needs a `default`: the old version's inserts do not name "
                            "the column");
        if (a.column.not_null && a.volatile_default) {
          // Old rows hold NULL until the backfill, and the helper check
          // applies to every row an UPDATE writes: the trigger fills them.
          c_.fills.push_back({&op, a.column.name, *a.column.default_expr});
          helper(a.column.name);
        }
        c_.added.push_back(std::move(a));
        break;
      }
      case OpKind::kDropColumn: {
        const Column& col = existing(op, "column");
        Dropped d;
        d.op = &op;
        d.column = col;
        if (op.has("down")) {
          d.down = expression(op, "down", c_.columns);
        } else {
          if (col.not_null && !col.default_expr)
            fail(op.line, "drop_column of " + col.name +
                              " needs `down`: the column is NOT NULL without a default, and the "
                              "new version's inserts do not name it");
          c_.irreversible.push_back(where(op) + " has no `down`");
        }
        dependents_.push_back({&op, col.name, ""});
        c_.dropped.push_back(std::move(d));
        break;
      }
      case OpKind::kAddCheck: {
        NewConstraint k;
        k.op = &op;
        k.constraint.name = fresh_name(op);
        k.constraint.kind = ConstraintKind::Check;
        const std::string check = expression(op, "check", c_.columns);
        k.constraint.definition = "CHECK (" + check + ")";
        k.constraint.uses.columns = expression_columns(check);
        c_.constraints.push_back(std::move(k));
        break;
      }
      case OpKind::kAddForeignKey: {
        NewConstraint k;
        k.op = &op;
        k.constraint.name = fresh_name(op);
        k.constraint.kind = ConstraintKind::ForeignKey;
        columns_exist(op, op.columns);
        k.constraint.columns = op.columns;
        auto dot = op.ref_table.find('.');
        k.constraint.ref_table =
            dot == std::string::npos
                ? schema::QualifiedName{c_.table.name.schema, op.ref_table}
                : schema::QualifiedName{op.ref_table.substr(0, dot), op.ref_table.substr(dot + 1)};
        k.constraint.ref_columns = op.ref_columns;
        if (op.columns.size() != op.ref_columns.size())
          fail(op.line_of("references"),
               "the foreign key has " + std::to_string(op.columns.size()) +
                   " column(s) but references " + std::to_string(op.ref_columns.size()));
        if (!schema_.table(k.constraint.ref_table))
          fail(op.line_of("references"), "the referenced table " + k.constraint.ref_table.schema +
                                             "." + k.constraint.ref_table.name + " does not exist");
        c_.constraints.push_back(std::move(k));
        break;
      }
      case OpKind::kAddUnique:
      case OpKind::kCreateIndex: {
        NewIndex ix;
        ix.op = &op;
        ix.constraint = op.kind == OpKind::kAddUnique;
        ix.index.name = fresh_name(op);
        ix.index.table = c_.table.name;
        ix.index.unique = ix.constraint || op.flag("unique");
        ix.index.method = "btree";
        columns_exist(op, op.columns);
        ix.index.columns = op.columns;
        if (op.has("where")) ix.index.where = expression(op, "where", c_.columns);
        c_.indexes.push_back(std::move(ix));
        break;
      }
    }
  }

  std::vector<std::string> original_columns() const {
    std::vector<std::string> out;
    for (const auto& col : c_.table.columns) out.push_back(col.name);
    return out;
  }

  const Plan& plan_;
  const schema::Schema& schema_;
  Change c_;
  std::set<std::string> names_;
  std::vector<std::string> triggers_;
  std::map<std::string, int> touched_;
  std::vector<Dependent> dependents_;
};

}  // namespace

Change analyse(const Plan& plan, const schema::Schema& schema, const std::string& default_schema) {
  return Analyser(plan, schema, default_schema).run();
}

}  // namespace migrate::expand
