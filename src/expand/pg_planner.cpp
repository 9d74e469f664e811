#include "expand/pg_planner.h"

#include <fmt/format.h>

#include "expand/backfill_plan.h"
#include "expand/expression.h"
#include "expand/pg_sync.h"
#include "expand/script_text.h"
#include "schema/postgres/pg_quote.h"

namespace migrate::expand {

namespace {

using schema::postgres::ident;
using schema::postgres::literal;
using schema::postgres::qualified;
namespace ops = schema::ops;

using Script = ScriptText;

class PgPlanner {
 public:
  PgPlanner(const Change& c, const schema::Renderer& r)
      : c_(c), r_(r), t_(qualified(c.table.name)) {}

  Phases run(const std::string& message) {
    Phases p;
    p.warnings = c_.warnings;
    p.warnings.insert(p.warnings.end(), c_.rename_warnings.begin(), c_.rename_warnings.end());
    p.expand = {message + " (expand)", {"phase: expand"}, expand_up(), expand_down()};
    p.backfill = {message + " (backfill)", backfill_header(), backfill_up(), backfill_down()};
    p.contract = {message + " (contract)", {"phase: contract"}, contract_up(), contract_down()};
    return p;
  }

 private:
  std::string alter(const std::string& what) const { return "ALTER TABLE " + t_ + " " + what; }
  std::string col(const std::string& name) const { return ident(name); }

  schema::Constraint helper_check(const NotNullHelper& h) const {
    schema::Constraint k;
    k.name = h.name;
    k.kind = schema::ConstraintKind::Check;
    k.definition = "CHECK (" + ident(h.column) + " IS NOT NULL)";
    return k;
  }

  // ---- expand ------------------------------------------------------------

  std::string expand_up() const {
    Script s(&r_);
    s.comment("Expand " + display() + ": one short transaction under lock_timeout. From its");
    s.comment("commit to the contract, the old and the new application both run against it.");
    for (const auto& p : c_.pairs) s.op(ops::AddColumn{c_.table.name, p.to, "", false});
    for (const auto& a : c_.added) {
      if (!a.volatile_default) {
        s.op(ops::AddColumn{c_.table.name, a.column, "", false});  // stored once: no rewrite
        continue;
      }
      schema::Column bare = a.column;
      bare.not_null = false;
      bare.default_expr.reset();
      s.op(ops::AddColumn{c_.table.name, bare, "", false});
      s.comment(
          "A volatile default for new rows only (no table rewrite); old rows are backfilled.");
      s.sql(alter("ALTER COLUMN " + col(a.column.name) + " SET DEFAULT " + *a.column.default_expr));
    }
    for (const auto& p : c_.pairs)
      if (!p.default_expr.empty()) {
        s.comment("The sync trigger applies " + p.from.name +
                  "'s default when neither version writes it.");
        s.sql(alter("ALTER COLUMN " + col(p.from.name) + " DROP DEFAULT"));
      }
    if (c_.needs_trigger()) {
      s.blank();
      s.sql(pg_sync_function(c_));
      s.sql(pg_sync_trigger(c_));
      s.blank();
    }
    for (const auto& h : c_.not_null) {
      s.comment("NOT NULL for " + h.column +
                ": checked for new writes now, validated by the contract.");
      s.op(ops::AddConstraint{c_.table.name, helper_check(h), true});
    }
    for (const auto& k : c_.constraints)
      s.op(ops::AddConstraint{c_.table.name, k.constraint, true});
    return s.text();
  }

  std::string expand_down() const {
    Script s(&r_);
    for (auto it = c_.constraints.rbegin(); it != c_.constraints.rend(); ++it)
      s.sql(alter("DROP CONSTRAINT IF EXISTS " + ident(it->constraint.name)));
    for (auto it = c_.not_null.rbegin(); it != c_.not_null.rend(); ++it)
      s.sql(alter("DROP CONSTRAINT IF EXISTS " + ident(it->name)));
    if (c_.needs_trigger()) {
      s.sql("DROP TRIGGER IF EXISTS " + ident(c_.sync_trigger) + " ON " + t_);
      s.sql("DROP FUNCTION IF EXISTS " + pg_sync_function_name(c_));
    }
    for (auto it = c_.added.rbegin(); it != c_.added.rend(); ++it)
      s.op(ops::DropColumn{c_.table.name, it->column, false});
    for (auto it = c_.pairs.rbegin(); it != c_.pairs.rend(); ++it)
      s.op(ops::DropColumn{c_.table.name, it->to, false});
    for (const auto& p : c_.pairs)
      if (!p.default_expr.empty())
        s.sql(alter("ALTER COLUMN " + col(p.from.name) + " SET DEFAULT " + p.default_expr));
    return s.text();
  }

  // ---- backfill ----------------------------------------------------------

  std::vector<std::string> backfill_header() const {
    return expand::backfill_header(c_, &ident, display());
  }

  std::string backfill_up() const {
    Script s(&r_);
    s.comment("Backfill " + display() + ": the rows are filled by migrate's backfill engine from");
    s.comment("the header's `backfill:` section, in short keyset batches (docs/zero-downtime.md).");
    for (const auto& ix : c_.indexes) {
      s.blank();
      s.comment("An index left INVALID by an earlier failed CREATE INDEX CONCURRENTLY is dropped");
      s.comment("first; IF NOT EXISTS keeps a rerun after success harmless.");
      s.sql(fmt::format(
          "DO $migrate$\nBEGIN\n  IF EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = "
          "i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace\n             WHERE "
          "n.nspname = {} AND c.relname = {} AND NOT i.indisvalid) THEN\n    EXECUTE {};\n  END "
          "IF;\nEND\n$migrate$",
          literal(c_.table.name.schema), literal(ix.index.name),
          literal("DROP INDEX " + qualified({c_.table.name.schema, ix.index.name}))));
      std::string create = create_index(ix.index);
      s.sql(create);
    }
    return s.text();
  }

  std::string create_index(const schema::Index& i) const {
    std::string cols;
    for (const auto& c : i.columns) cols += (cols.empty() ? "" : ", ") + ident(c);
    std::string sql = fmt::format("CREATE {}INDEX CONCURRENTLY IF NOT EXISTS {} ON {} ({})",
                                  i.unique ? "UNIQUE " : "", ident(i.name), t_, cols);
    if (!i.where.empty()) sql += " WHERE " + i.where;
    return sql;
  }

  std::string backfill_down() const {
    Script s(&r_);
    for (auto it = c_.indexes.rbegin(); it != c_.indexes.rend(); ++it)
      s.sql("DROP INDEX CONCURRENTLY IF EXISTS " +
            qualified({c_.table.name.schema, it->index.name}));
    return s.text();
  }

  // ---- contract ----------------------------------------------------------

  std::vector<std::string> verify_conditions() const {
    std::vector<std::string> out;
    for (const auto& p : c_.pairs)
      out.push_back(ident(p.to.name) + " IS DISTINCT FROM (" + p.up + ")");
    for (const auto& h : c_.not_null) out.push_back(ident(h.column) + " IS NULL");
    return out;
  }

  std::string contract_up() const {
    Script s(&r_);
    s.comment("Contract " + display() +
              ": run only once no instance of the old application is left.");
    s.comment("One transaction: verify, validate (no exclusive lock yet), then drop and finish.");
    const auto cond = verify_conditions();
    if (!cond.empty()) {
      std::string where;
      for (const auto& w : cond) where += (where.empty() ? "" : "\n                OR ") + w;
      s.sql(fmt::format(
          "DO $migrate$\nBEGIN\n  IF EXISTS (SELECT 1 FROM {} WHERE {}) THEN\n    RAISE EXCEPTION "
          "{};\n  END IF;\nEND\n$migrate$",
          t_, where,
          literal("contract refused: rows of " + display() +
                  " are not backfilled yet (a new column differs from up(old), or a column "
                  "becoming NOT NULL holds NULL); finish the backfill revision first")));
    }
    for (const auto& h : c_.not_null) s.op(ops::ValidateConstraint{c_.table.name, h.name});
    for (const auto& k : c_.constraints)
      s.op(ops::ValidateConstraint{c_.table.name, k.constraint.name});
    if (c_.needs_trigger()) {
      s.sql("DROP TRIGGER " + ident(c_.sync_trigger) + " ON " + t_);
      s.sql("DROP FUNCTION " + pg_sync_function_name(c_));
    }
    for (const auto& p : c_.pairs) s.op(ops::DropColumn{c_.table.name, p.from, false});
    for (const auto& d : c_.dropped) s.op(ops::DropColumn{c_.table.name, d.column, false});
    for (const auto& h : c_.not_null) {
      s.sql(alter("ALTER COLUMN " + col(h.column) + " SET NOT NULL"));
      s.sql(alter("DROP CONSTRAINT " + ident(h.name)));
    }
    for (const auto& p : c_.pairs)
      if (p.op->kind == OpKind::kRenameColumn && !p.default_expr.empty())
        s.sql(alter("ALTER COLUMN " + col(p.to.name) + " SET DEFAULT " + p.default_expr));
    for (const auto& ix : c_.indexes)
      if (ix.constraint)
        s.sql(alter("ADD CONSTRAINT " + ident(ix.index.name) + " UNIQUE USING INDEX " +
                    ident(ix.index.name)));
    return s.text();
  }

  std::string contract_down() const {
    Script s(&r_);
    if (!c_.irreversible.empty()) {
      std::string why;
      for (const auto& w : c_.irreversible) why += (why.empty() ? "" : "; ") + w;
      s.comment("The old columns cannot be computed again from the new ones.");
      s.sql(fmt::format("DO $migrate$\nBEGIN\n  RAISE EXCEPTION {};\nEND\n$migrate$",
                        literal("downgrade of the contract of " + display() + " refused: " + why +
                                ", so the dropped column(s) cannot be filled again")));
      return s.text();
    }
    s.comment("Re-expand " + display() +
              ": the old columns back, filled by `down`, and the window");
    s.comment("as the backfill left it (one transaction; the UPDATE rewrites every row).");
    for (const auto& ix : c_.indexes)
      if (ix.constraint) {
        s.sql(alter("DROP CONSTRAINT " + ident(ix.index.name)));
        s.sql(create_index_plain(ix.index));
      }
    std::string sets;
    for (const auto& p : c_.pairs) {
      schema::Column old = p.from;
      old.not_null = false;
      old.default_expr.reset();
      s.op(ops::AddColumn{c_.table.name, old, "", false});
      if (!p.down.empty()) sets += (sets.empty() ? "" : ", ") + ident(p.from.name) + " = " + p.down;
    }
    for (const auto& d : c_.dropped) {
      schema::Column old = d.column;
      old.not_null = false;
      s.op(ops::AddColumn{c_.table.name, old, "", false});
      sets += (sets.empty() ? "" : ", ") + ident(d.column.name) + " = " + d.down;
    }
    if (!sets.empty()) s.sql("UPDATE " + t_ + " SET " + sets);
    for (const auto& p : c_.pairs)
      if (p.not_null) s.sql(alter("ALTER COLUMN " + col(p.from.name) + " SET NOT NULL"));
    for (const auto& d : c_.dropped)
      if (d.column.not_null) s.sql(alter("ALTER COLUMN " + col(d.column.name) + " SET NOT NULL"));
    for (const auto& p : c_.pairs)
      if (p.op->kind == OpKind::kRenameColumn && !p.default_expr.empty())
        s.sql(alter("ALTER COLUMN " + col(p.to.name) + " DROP DEFAULT"));
    for (const auto& h : c_.not_null) {
      s.op(ops::AddConstraint{c_.table.name, helper_check(h), true});
      s.sql(alter("ALTER COLUMN " + col(h.column) + " DROP NOT NULL"));
    }
    if (c_.needs_trigger()) {
      s.sql(pg_sync_function(c_));
      s.sql(pg_sync_trigger(c_));
    }
    return s.text();
  }

  std::string create_index_plain(const schema::Index& i) const {
    std::string sql = create_index(i);
    sql.replace(sql.find("CONCURRENTLY IF NOT EXISTS "), 27, "");
    return sql;
  }

  std::string display() const { return c_.table.name.schema + "." + c_.table.name.name; }

  const Change& c_;
  const schema::Renderer& r_;
  std::string t_;
};

}  // namespace

Phases plan_postgres(const Change& change, const schema::Renderer& renderer,
                     const std::string& message) {
  return PgPlanner(change, renderer).run(message);
}

}  // namespace migrate::expand
