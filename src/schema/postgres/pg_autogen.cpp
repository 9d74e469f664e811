#include "schema/postgres/pg_autogen.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "schema/postgres/pg_key_index.h"
#include "schema/postgres/pg_quote.h"
#include "schema/postgres/pg_render.h"
#include "util/strings.h"

namespace migrate::schema::postgres {

namespace {

// Where an operation of the non-transactional step goes in it: the slow
// index builds first, then what they make possible, in this order.
enum class Late {
  kBuild,               // CREATE / DROP INDEX CONCURRENTLY
  kValidate,            // VALIDATE CONSTRAINT, SET NOT NULL proved by a check
  kAttach,              // ADD CONSTRAINT ... USING INDEX (after SET NOT NULL: a key's columns)
  kForeignKey,          // a foreign key on a key built above, NOT VALID
  kForeignKeyValidate,  // ... and validated
  kComment,             // on an index or constraint made above
};

// An operation and the lint-ignore its statement needs ("RULE REASON"),
// put on the statement containing `anchor` (else the first one).
struct Item {
  ops::Operation op;
  std::string lint_ignore;
  Late rank = Late::kBuild;
  std::string anchor = " TYPE ";
};

// A key's columns as a set: a foreign key may name them in another order.
std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// (type name, modifiers) of a canonical type text: "character varying(20)"
// -> ("character varying", {20}).
std::pair<std::string, std::vector<long>> split_type(const std::string& type) {
  const auto open = type.find('(');
  if (open == std::string::npos || type.back() != ')') return {type, {}};
  std::vector<long> mods;
  std::string inner = type.substr(open + 1, type.size() - open - 2);
  for (std::size_t p = 0; p <= inner.size();) {
    const auto comma = inner.find(',', p);
    const std::string part =
        inner.substr(p, comma == std::string::npos ? std::string::npos : comma - p);
    try {
      mods.push_back(std::stol(part));
    } catch (const std::exception&) {
      return {type, {}};
    }
    if (comma == std::string::npos) break;
    p = comma + 1;
  }
  return {type.substr(0, open), mods};
}

std::string lower_cut(const std::string& s) {
  return s.size() <= 63 ? s : s.substr(0, 63);  // NAMEDATALEN - 1
}

class Planner {
 public:
  Planner(const Diff& up, const Schema& from) : up_(up) {
    for (const auto& t : from.tables) existing_.insert(t.name);
    for (const auto& v : from.views) existing_.insert(v.name);
  }

  AutogenPlan run() {
    collect_dropped_columns();
    collect_late_keys();
    for (const auto& op : up_.operations) place(op);
    AutogenPlan plan;
    plan.offers = std::move(offers_);
    cut_transactional(txn_, plan, "");
    std::stable_sort(last_.begin(), last_.end(),
                     [](const Item& a, const Item& b) { return a.rank < b.rank; });
    if (!last_.empty()) {
      AutogenStep step{false, render(last_), "concurrent indexes and validations"};
      if (!step.statements.empty()) plan.steps.push_back(std::move(step));
    }
    cut_transactional(final_, plan, "identity columns");
    return plan;
  }

 private:
  bool existing(const QualifiedName& t) const { return existing_.count(t) != 0; }

  void collect_dropped_columns() {
    for (const auto& op : up_.operations)
      if (auto* d = std::get_if<ops::DropColumn>(&op.op))
        dropped_columns_.insert({d->table, d->column.name});
  }
  // The keys this plan builds in the non-transactional step (a PRIMARY KEY,
  // a UNIQUE constraint or a unique index on an existing table): a foreign
  // key that points at one must come after it there, or it fails for want
  // of a unique index on the referenced columns.
  void collect_late_keys() {
    for (const auto& op : up_.operations) {
      if (auto* a = std::get_if<ops::AddConstraint>(&op.op)) {
        if (existing(a->table) && !a->not_valid && key_index(a->table, a->constraint))
          late_keys_.insert({a->table, sorted(a->constraint.columns)});
      } else if (auto* c = std::get_if<ops::CreateIndex>(&op.op)) {
        const Index& i = c->index;
        if (existing(i.table) && i.unique && i.where.empty() && !i.columns.empty())
          late_keys_.insert({i.table, sorted(i.columns)});
      }
    }
  }

  void place(const ops::Operation& op) {
    if (auto* o = std::get_if<ops::CreateIndex>(&op.op)) return create_index(op, *o);
    if (auto* o = std::get_if<ops::DropIndex>(&op.op)) return drop_index(op, *o);
    if (auto* o = std::get_if<ops::AddConstraint>(&op.op)) return add_constraint(op, *o);
    if (auto* o = std::get_if<ops::AlterColumn>(&op.op)) return alter_column(op, *o);
    if (auto* o = std::get_if<ops::RenameColumn>(&op.op)) return rename_column(*o);
    if (auto* o = std::get_if<ops::InheritColumn>(&op.op))
      return txn_.push_back({op, inherit_column_ignore(*o), Late::kBuild, "\x01"});
    if (auto* o = std::get_if<ops::RenameTable>(&op.op))
      if (existing(o->from)) existing_.insert(o->to);  // still someone's table
    if (auto* o = std::get_if<ops::Comment>(&op.op))
      if ((o->on == ops::Comment::On::kIndex || o->on == ops::Comment::On::kConstraint) &&
          moved_.count(o->member))
        return last_.push_back({op, "", Late::kComment});  // after what it comments on
    txn_.push_back({op, ""});
  }

  void create_index(const ops::Operation& op, const ops::CreateIndex& o) {
    if (!existing(o.index.table)) return txn_.push_back({op, ""});
    ops::Operation c = op;
    std::get<ops::CreateIndex>(c.op).concurrently = true;
    moved_.insert(o.index.name);
    last_.push_back(
        {c, o.index.unique ? unique_ignore(o.index.table, o.index.columns) : "", Late::kBuild});
  }

  void drop_index(const ops::Operation& op, const ops::DropIndex& o) {
    if (o.with_table || !existing(o.index.table)) return txn_.push_back({op, ""});
    // A column this diff drops takes the index with it: no statement of its own.
    for (const auto& c : o.index.uses.columns)
      if (dropped_columns_.count({o.index.table, c})) return;
    for (const auto& c : o.index.columns)
      if (dropped_columns_.count({o.index.table, c})) return;
    ops::Operation d = op;
    std::get<ops::DropIndex>(d.op).concurrently = true;
    last_.push_back({d, "", Late::kBuild});
  }

  void add_constraint(const ops::Operation& op, const ops::AddConstraint& o) {
    const Constraint& k = o.constraint;
    if (k.kind == ConstraintKind::ForeignKey &&
        late_keys_.count({k.ref_table, sorted(k.ref_columns)}))
      return foreign_key_after_its_key(op, o);
    if (!existing(o.table) || o.not_valid) return txn_.push_back({op, ""});
    if (k.kind == ConstraintKind::Check || k.kind == ConstraintKind::ForeignKey) {
      ops::Operation a = op;
      std::get<ops::AddConstraint>(a.op).not_valid = true;
      txn_.push_back({a, ""});
      last_.push_back(
          {ops::Operation{ops::ValidateConstraint{o.table, k.name}, false}, "", Late::kValidate});
      return;
    }
    if (auto key = key_index(o.table, k)) {
      Index index;
      index.name = k.name;
      index.table = o.table;
      index.unique = true;
      index.method = "btree";
      index.columns = k.columns;
      index.definition = key->create_index;
      last_.push_back({ops::Operation{ops::CreateIndex{index, true, false}, false},
                       unique_ignore(o.table, k.columns), Late::kBuild});
      ops::Operation a = op;
      std::get<ops::AddConstraint>(a.op).constraint.definition = key->attach;
      last_.push_back({a, "", Late::kAttach});
      moved_.insert(k.name);
      return;
    }
    txn_.push_back({op, ""});  // EXCLUDE, or a key this cannot rebuild: as written
  }

  // A foreign key on a key the non-transactional step builds goes there,
  // after it: NOT VALID, then validated (each statement commits on its own,
  // so the validation holds no lock of the add).
  void foreign_key_after_its_key(const ops::Operation& op, const ops::AddConstraint& o) {
    if (!existing(o.table) || o.not_valid) {
      last_.push_back({op, "", Late::kForeignKey});
      return;
    }
    ops::Operation a = op;
    std::get<ops::AddConstraint>(a.op).not_valid = true;
    last_.push_back({a, "", Late::kForeignKey});
    last_.push_back({ops::Operation{ops::ValidateConstraint{o.table, o.constraint.name}, false}, "",
                     Late::kForeignKeyValidate});
  }

  void alter_column(const ops::Operation& op, const ops::AlterColumn& o) {
    if (!existing(o.table)) return txn_.push_back({op, ""});
    ops::AlterColumn rest = o;
    std::string ignore;
    if (retypes(o) && !o.rebuilt_type) {
      if (!binary_compatible(o.from.type, o.to.type) || o.from.collation != o.to.collation) {
        offers_.push_back(type_change_offer(o));
        return;
      }
      ignore = fmt::format(
          "column-type-change {} to {} is binary-compatible: no rewrite (written by autogenerate)",
          o.from.type, o.to.type);
    }
    const bool set_not_null = o.to.not_null && !o.from.not_null;
    if (set_not_null) rest.to.not_null = false;
    // ADD IDENTITY (and the setval after it) apart: it needs the column
    // NOT NULL first, and its own lint-ignore.
    std::optional<ops::AlterColumn> identity;
    if (!o.to.identity.empty() && o.from.identity.empty()) {
      identity = rest;
      rest.to.identity.clear();
      identity->from = rest.to;
      identity->using_expr.clear();
      identity->rebuilt_type = false;
    }
    if (!rest_is_empty(rest)) {
      ops::Operation r = op;
      r.op = rest;
      txn_.push_back({r, ignore});
    }
    if (set_not_null) prove_not_null(o);
    if (!identity) return;
    // The new sequence starts at 1: setval moves it past the column's
    // values in the same transaction, before an insert can take one of them.
    // A column made NOT NULL above gets it in a last transactional step.
    Item item{ops::Operation{*identity, false},
              fmt::format("work-after-access-exclusive the new identity sequence must start above "
                          "max({}) before any insert uses it, so it is read under the lock ADD "
                          "IDENTITY took (written by autogenerate)",
                          ident(o.to.name)),
              Late::kBuild, "SELECT setval("};
    (set_not_null ? final_ : txn_).push_back(std::move(item));
  }

  // CHECK (col IS NOT NULL) NOT VALID now, validated later, proves the
  // column for SET NOT NULL (PostgreSQL 12+: no scan under the lock).
  void prove_not_null(const ops::AlterColumn& o) {
    const std::string name = lower_cut(o.table.name + "_" + o.to.name + "_not_null_check");
    Constraint check;
    check.name = name;
    check.kind = ConstraintKind::Check;
    check.definition = "CHECK ((" + ident(o.to.name) + " IS NOT NULL))";
    txn_.push_back({ops::Operation{ops::AddConstraint{o.table, check, true}, false}, ""});
    last_.push_back(
        {ops::Operation{ops::ValidateConstraint{o.table, name}, false}, "", Late::kValidate});
    ops::AlterColumn set = o;
    set.from = o.to;
    set.from.not_null = false;
    set.using_expr.clear();
    set.rebuilt_type = false;
    last_.push_back({ops::Operation{set, false}, "", Late::kValidate});
    last_.push_back({ops::Operation{ops::DropConstraint{o.table, check, std::nullopt, {}}, false},
                     "", Late::kValidate});
  }

  static bool rest_is_empty(const ops::AlterColumn& o) {
    std::vector<DiffStatement> out;
    render_statements(ops::Operation{o, false}, out);
    return out.empty();
  }

  void rename_column(const ops::RenameColumn& o) {
    if (!existing(o.table)) {
      txn_.push_back({ops::Operation{o, true}, ""});
      return;
    }
    offers_.push_back({o.table,
                       fmt::format("rename column {}.{} to {}", qualified(o.table), o.from, o.to),
                       fmt::format("rename_column: {{from: {}, to: {}}}", o.from, o.to)});
  }

  // A parked column (ops::InheritColumn) is renamed and dropped, and every
  // row updated, within the step: what the linter says of each does not
  // hold once the step commits.
  static std::string inherit_column_ignore(const ops::InheritColumn& o) {
    using Step = ops::InheritColumn::Step;
    switch (o.step) {
      case Step::kPark:
        return fmt::format(
            "rename-column {} keeps its name: it is renamed only while its parent adds the "
            "inherited column, which the same step fills from it (written by autogenerate)",
            ident(o.from.name));
      case Step::kCopy:
        return "update-without-where every row's value is copied into the inherited column, "
               "in the step that adds it (written by autogenerate)";
      case Step::kDrop:
        return fmt::format(
            "drop-column {} held the values the same step copied into {} (written by "
            "autogenerate)",
            ident(o.parked), ident(o.from.name));
    }
    return "";
  }

  ExpandOffer type_change_offer(const ops::AlterColumn& o) const {
    const std::string& col = o.to.name;
    return {o.table,
            fmt::format("change type of {}.{} from {} to {} (rewrites the table); the new column "
                        "needs a name of its own during the window: rename it in the schema file",
                        qualified(o.table), col, o.from.type, o.to.type),
            fmt::format("change_type: {{column: {}, to: {}_new, type: \"{}\", up: \"{}::{}\", "
                        "down: \"{}_new::{}\"}}",
                        col, col, o.to.type, ident(col), o.to.type, col, o.from.type)};
  }

  static std::string unique_ignore(const QualifiedName& table,
                                   const std::vector<std::string>& cols) {
    std::string list;
    for (const auto& c : cols) list += (list.empty() ? "" : ", ") + ident(c);
    return fmt::format(
        "unique-on-existing-data autogenerate: before applying, SELECT {}, count(*) FROM {} "
        "GROUP BY {} HAVING count(*) > 1 must return no row",
        list, qualified(table), list);
  }

  // The transactional operations in steps, cut where the linter's
  // work-after-access-exclusive rule would fire: once a statement holds an
  // ACCESS EXCLUSIVE lock on an existing table, only cheap statements (new
  // objects, more changes to the same table) follow it in the step.
  // A parked column (ops::InheritColumn), from its rename to its drop, is
  // never cut: in between, the child has no column of its name. Where the
  // linter fires there, its finding gets the lint-ignore that says why.
  void cut_transactional(std::vector<Item>& items, AutogenPlan& plan, const std::string& purpose) {
    std::vector<Item> step;
    std::optional<QualifiedName> locked;
    int parked = 0;              // columns renamed and not yet dropped
    bool lock_reported = false;  // the linter reports one work-after-access-exclusive per step
    auto flush = [&] {
      std::vector<DiffStatement> s = render(step);
      if (!s.empty()) plan.steps.push_back({true, std::move(s), purpose});
      step.clear();
      locked.reset();
      lock_reported = false;
    };
    for (auto& item : items) {
      const ops::Operation& op = item.op;
      const std::optional<QualifiedName> rel = altered_relation(op);
      bool cheap = is_cheap_kind(op) || (rel && (!existing(*rel) || (locked && *rel == *locked)));
      if (auto* c = std::get_if<ops::CreateIndex>(&op.op)) cheap = !existing(c->index.table);
      const auto* inherit = std::get_if<ops::InheritColumn>(&op.op);
      const bool copy = inherit && inherit->step == ops::InheritColumn::Step::kCopy;
      if (copy) cheap = false;  // an UPDATE is no catalog change
      if (locked && !cheap && parked == 0) flush();
      if (locked && !cheap && !lock_reported) {
        lock_reported = true;
        add_ignore(item, fmt::format("work-after-access-exclusive the lock on {} is held while its "
                                     "parked column is copied back, in one transaction (written "
                                     "by autogenerate)",
                                     qualified(*locked)));
      }
      if (inherit && inherit->step == ops::InheritColumn::Step::kPark) ++parked;
      if (inherit && inherit->step == ops::InheritColumn::Step::kDrop) --parked;
      if (!locked && rel && existing(*rel) && !copy && takes_access_exclusive(op)) locked = *rel;
      if (auto* d = std::get_if<ops::DropTable>(&op.op))
        if (!locked && existing(d->table.name)) locked = d->table.name;
      step.push_back(std::move(item));
    }
    flush();
  }

  // The table an ALTER TABLE / RENAME statement of `op` names.
  static std::optional<QualifiedName> altered_relation(const ops::Operation& op) {
    return std::visit(
        [](const auto& o) -> std::optional<QualifiedName> {
          using T = std::decay_t<decltype(o)>;
          if constexpr (std::is_same_v<T, ops::AddColumn> || std::is_same_v<T, ops::DropColumn> ||
                        std::is_same_v<T, ops::AlterColumn> ||
                        std::is_same_v<T, ops::AddConstraint> ||
                        std::is_same_v<T, ops::ValidateConstraint> ||
                        std::is_same_v<T, ops::DropConstraint> ||
                        std::is_same_v<T, ops::RenameColumn> ||
                        std::is_same_v<T, ops::InheritColumn>)
            return o.table;
          else if constexpr (std::is_same_v<T, ops::RenameTable>)
            return o.from;
          else if constexpr (std::is_same_v<T, ops::SetLogged> ||
                             std::is_same_v<T, ops::SetStatistics>)
            return o.table;
          else if constexpr (std::is_same_v<T, ops::SetRelationOptions>)
            return o.relation;
          else if constexpr (std::is_same_v<T, ops::AttachChild> ||
                             std::is_same_v<T, ops::DetachChild>)
            return o.child;
          else if constexpr (std::is_same_v<T, ops::SetRowSecurity>)
            return o.table;
          else
            return std::nullopt;
        },
        op.op);
  }

  static bool takes_access_exclusive(const ops::Operation& op) {
    if (std::holds_alternative<ops::ValidateConstraint>(op.op)) return false;
    if (auto* a = std::get_if<ops::AddConstraint>(&op.op))
      return a->constraint.kind != ConstraintKind::ForeignKey;
    return true;
  }

  // The statement kinds the linter counts as costing nothing while a lock is held.
  static bool is_cheap_kind(const ops::Operation& op) {
    if (auto* v = std::get_if<ops::CreateView>(&op.op)) return !v->view.materialized;
    return std::holds_alternative<ops::CreateTable>(op.op) ||
           std::holds_alternative<ops::CreateSequence>(op.op) ||
           std::holds_alternative<ops::Comment>(op.op) ||
           std::holds_alternative<ops::CreateFunction>(op.op) ||
           std::holds_alternative<ops::CreateTrigger>(op.op);
  }

  // A second finding silenced on the item's statement: "RULE,RULE REASON;
  // REASON" (the linter takes a list of rules and one reason). An item of
  // several statements whose ignore sits on another one is left as it is.
  static void add_ignore(Item& item, const std::string& ignore) {
    if (item.lint_ignore.empty()) {
      item.lint_ignore = ignore;
      item.anchor = "\x01";  // the first statement
      return;
    }
    std::vector<DiffStatement> out;
    render_statements(item.op, out);
    if (out.size() != 1) return;
    const auto cut = [](const std::string& s) { return s.find(' '); };
    const std::size_t a = cut(item.lint_ignore), b = cut(ignore);
    item.lint_ignore = item.lint_ignore.substr(0, a) + "," + ignore.substr(0, b) +
                       item.lint_ignore.substr(a) + ";" + ignore.substr(b);
  }

  static std::vector<DiffStatement> render(const std::vector<Item>& items) {
    std::vector<DiffStatement> out;
    for (const auto& item : items) {
      const std::size_t first = out.size();
      render_statements(item.op, out);
      if (item.lint_ignore.empty() || first == out.size()) continue;
      // On the statement the finding is about (the type change, the
      // setval), or the only one.
      std::size_t at = first;
      for (std::size_t i = first; i < out.size(); ++i)
        if (out[i].sql.find(item.anchor) != std::string::npos) at = i;
      out[at].lint_ignore = item.lint_ignore;
    }
    return out;
  }

  const Diff& up_;
  std::set<QualifiedName> existing_;
  std::set<std::pair<QualifiedName, std::vector<std::string>>> late_keys_;
  std::set<std::pair<QualifiedName, std::string>> dropped_columns_;
  std::set<std::string> moved_;           // indexes and constraints created in the last step
  std::vector<Item> txn_, last_, final_;  // steps: transactional, not, transactional
  std::vector<ExpandOffer> offers_;
};

}  // namespace

bool binary_compatible(const std::string& from, const std::string& to) {
  if (from == to) return true;
  const auto [ft, fm] = split_type(from);
  const auto [tt, tm] = split_type(to);
  const bool fvc = ft == "character varying", tvc = tt == "character varying";
  if ((fvc || ft == "text") && (tt == "text" || (tvc && tm.empty()))) return true;
  if (fvc && tvc && !fm.empty() && !tm.empty()) return tm[0] >= fm[0];
  if (ft == "numeric" && tt == "numeric") {
    if (tm.empty()) return true;
    if (fm.empty()) return false;
    return (fm.size() > 1 ? fm[1] : 0) == (tm.size() > 1 ? tm[1] : 0) && tm[0] >= fm[0];
  }
  if (ft == "bit varying" && tt == "bit varying")
    return tm.empty() || (!fm.empty() && tm[0] >= fm[0]);
  return ft == "cidr" && tt == "inet";
}

AutogenPlan autogen_plan(const Diff& up, const Schema& from) { return Planner(up, from).run(); }

}  // namespace migrate::schema::postgres
