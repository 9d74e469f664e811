// Tables: matching (with rename hints), CREATE/DROP TABLE, columns,
// constraints, indexes, comments. Foreign keys are dropped early
// (kDropForeignKeys) and added last (kAddForeignKeys) so that tables,
// keys and column types may change in between.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "schema/order.h"
#include "schema/postgres/pg_def_rename.h"
#include "schema/postgres/pg_diff_columns.h"
#include "schema/postgres/pg_diff_inherit.h"
#include "schema/postgres/pg_diff_plan.h"
#include "schema/postgres/pg_diff_table_attrs.h"
#include "schema/postgres/pg_quote.h"
#include "schema/postgres/pg_render.h"
#include "util/strings.h"

namespace migrate::schema::postgres {

namespace {

bool is_fk(const Constraint& k) { return k.kind == ConstraintKind::ForeignKey; }

// A `-- migrate:renamed-from` hint: "old" (same schema) or "schema.old".
QualifiedName hinted_name(const std::string& hint, const QualifiedName& current) {
  auto dot = hint.find('.');
  if (dot == std::string::npos) return {current.schema, hint};
  return {hint.substr(0, dot), hint.substr(dot + 1)};
}

using Pair = TablePair;

// What changes under one kept table, for the foreign keys of every table.
struct TableChanges {
  bool keys_change = false;               // a PK/unique/exclusion/unique index goes or changes
  std::set<std::string> retyped_columns;  // `from` names: type change, rebuild or drop
  ColumnRenames renamed_columns;          // old -> new
};

class TableDiffer {
 public:
  TableDiffer(const Schema& from, const Schema& to, Plan& plan)
      : from_(from), to_(to), plan_(plan) {}

  void run() {
    match();
    for (const auto& p : pairs_) pair_of_[p.from->name] = p;
    find_parkings();
    for (const auto& p : pairs_) changes_[p.from->name] = scan(*p.from, *p.to);
    // Foreign keys onto a table dropped and created again go and come back.
    for (const auto* t : recreated_) changes_[t->name].keys_change = true;
    for (const auto* t : dropped_) drop_foreign_keys_of_dropped(*t);
    // Children leave their parents before the parents' columns change.
    for (const auto& p : pairs_) detach(*p.from, *p.to);
    // A dropped child of a recreated table goes before its parent does
    // (DROP TABLE of a partitioned table drops its partitions).
    std::set<QualifiedName> dropped_early;
    for (const auto* t : dropped_)
      for (const auto& p : parents_of(*t))
        if (recreated(p) && dropped_early.insert(t->name).second)
          plan_.add(kTables, ops::DropTable{*t});
    for (const auto* t : recreated_) drop_recreated(*t);
    for (const auto& p : pairs_) alter(*p.from, *p.to);
    // Once every constraint and index over them is dropped (the parked
    // child's, and those of the tables below it, which its DROP reaches).
    for (const auto& k : parkings_) drop_parked(k);
    for (const auto* t : created_) create(*t);
    for (const auto& p : pairs_) attach(*p.from, *p.to);
    for (const auto* t : dropped_)
      if (!dropped_early.count(t->name)) plan_.add(kDropTables, ops::DropTable{*t});
  }

 private:
  void match() {
    std::map<QualifiedName, const Table*> old_tables;
    for (const auto& t : from_.tables) old_tables[t.name] = &t;
    std::set<QualifiedName> wanted;
    for (const auto& t : to_.tables) wanted.insert(t.name);
    std::set<QualifiedName> used;
    std::vector<const Table*> unmatched;
    for (const auto& t : to_.tables) {
      auto it = old_tables.find(t.name);
      if (it != old_tables.end()) {
        pairs_.push_back({it->second, &t});
        used.insert(t.name);
      } else {
        unmatched.push_back(&t);
      }
    }
    recreate_repartitioned();
    for (const auto* t : unmatched) {
      if (!t->renamed_from.empty()) {
        QualifiedName old = hinted_name(t->renamed_from, t->name);
        auto it = old_tables.find(old);
        if (it != old_tables.end() && !used.count(old) && !wanted.count(old)) {
          pairs_.push_back({it->second, t});
          used.insert(old);
          plan_.renamed_tables[old] = t->name;
          continue;
        }
      }
      created_.push_back(t);
    }
    for (const auto& t : from_.tables)
      if (!used.count(t.name)) {
        dropped_.push_back(&t);
        plan_.dropped_tables.insert(t.name);
        for (const auto& c : t.columns)
          plan_.dropped_owners.insert(qualified(t.name) + "." + ident(c.name));
      }
    for (const auto* t : recreated_) {
      created_.push_back(to_.table(t->name));
      plan_.dropped_tables.insert(t->name);
    }
    // Parents are created before their children (PARTITION OF, INHERITS),
    // and altered first (their ALTERs reach the children); children are
    // dropped first.
    std::vector<const Table*> from_pairs;
    for (const auto& p : pairs_) from_pairs.push_back(p.from);
    std::map<const Table*, const Table*> to_of;
    for (const auto& p : pairs_) to_of[p.from] = p.to;
    pairs_.clear();
    for (const auto* f : parents_first(from_pairs)) pairs_.push_back({f, to_of[f]});
    created_ = parents_first(created_);
    dropped_ = parents_first(dropped_);
    std::reverse(dropped_.begin(), dropped_.end());
    recreated_ = parents_first(recreated_);
    std::reverse(recreated_.begin(), recreated_.end());
  }

  // A table that becomes partitioned or stops being so (or changes its
  // partition key) cannot be altered into it: it is dropped and created
  // again (its rows are lost: DROP TABLE says so).
  void recreate_repartitioned() {
    std::vector<Pair> kept;
    for (const auto& p : pairs_) {
      if (p.from->partition_by != p.to->partition_by && p.from->name == p.to->name)
        recreated_.push_back(p.from);
      else
        kept.push_back(p);
    }
    pairs_ = std::move(kept);
  }
  bool recreated(const QualifiedName& name) const {
    for (const auto* t : recreated_)
      if (t->name == name) return true;
    return false;
  }
  QualifiedName renamed(const QualifiedName& name) const {
    auto it = plan_.renamed_tables.find(name);
    return it == plan_.renamed_tables.end() ? name : it->second;
  }

  // Whether child `o` stays a partition of the same parent with the same
  // bound, or keeps inheriting from `parent`.
  bool stays_partition(const Table& o, const Table& t) const {
    return o.is_partition() && t.is_partition() && renamed(o.partition_of) == t.partition_of &&
           o.partition_bound == t.partition_bound && !recreated(o.partition_of);
  }
  bool keeps_parent(const Table& o, const Table& t, const QualifiedName& parent) const {
    if (recreated(parent)) return false;
    if (o.is_partition() && o.partition_of == parent) return stays_partition(o, t);
    return std::find(t.inherits.begin(), t.inherits.end(), renamed(parent)) != t.inherits.end();
  }

  void detach(const Table& o, const Table& t) {
    if (o.is_partition() && !stays_partition(o, t))
      plan_.add(kTables, ops::DetachChild{o.partition_of, o.name, true});
    for (const auto& p : o.inherits)
      if (!keeps_parent(o, t, p)) plan_.add(kTables, ops::DetachChild{p, o.name, false});
  }
  void attach(const Table& o, const Table& t) {
    if (t.is_partition() && !stays_partition(o, t))
      plan_.add(kTables, ops::AttachChild{t.partition_of, t.name, t.partition_bound, true});
    for (const auto& p : t.inherits) {
      bool had = false;
      for (const auto& q : o.inherits) had = had || (renamed(q) == p && keeps_parent(o, t, q));
      if (!had) plan_.add(kTables, ops::AttachChild{p, t.name, "", false});
    }
  }

  // A recreated table's serial sequences are kept: they are let go before
  // DROP TABLE (which would drop them) and owned again once it is back.
  void drop_recreated(const Table& o) {
    const Table* t = to_.table(o.name);
    for (const auto& s : from_.sequences) {
      bool owned = false;
      for (const auto& c : o.columns)
        owned = owned || s.owned_by == qualified(o.name) + "." + ident(c.name);
      if (!owned) continue;
      plan_.add(kTables, ops::SetSequenceOwner{s.name, ""}, false);
      for (const auto& n : to_.sequences)
        if (n.name == s.name && !n.owned_by.empty() && t)
          plan_.add(kSequenceOwnership, ops::SetSequenceOwner{n.name, n.owned_by}, false);
    }
    plan_.add(kTables, ops::DropTable{o});
  }

  // The parents whose ALTERs reach the inherited columns of kept child `o`
  // (`t`): kept tables it inherits from on both sides, as (from, to).
  std::vector<Pair> driving_parents(const Table& o, const Table& t) const {
    std::vector<Pair> out;
    for (const auto& p : parents_of(o)) {
      auto it = pair_of_.find(p);
      if (it != pair_of_.end() && keeps_parent(o, t, p)) out.push_back(it->second);
    }
    return out;
  }

  // The `to` column matching each `from` column (by name, else by hint).
  std::map<std::string, const Column*> column_matches(const Table& o, const Table& t) {
    std::map<std::string, const Column*> out;
    for (const auto& c : t.columns)
      if (o.column(c.name)) out[c.name] = &c;
    for (const auto& c : t.columns)
      if (!o.column(c.name) && !c.renamed_from.empty() && o.column(c.renamed_from) &&
          !t.column(c.renamed_from) && !out.count(c.renamed_from))
        out[c.renamed_from] = &c;
    return out;
  }

  TableChanges scan(const Table& o, const Table& t) {
    TableChanges ch;
    auto matches = column_matches(o, t);
    for (const auto& c : o.columns) {
      auto it = matches.find(c.name);
      if (it == matches.end()) {
        ch.retyped_columns.insert(c.name);
        continue;
      }
      const Column& n = *it->second;
      if (n.name != c.name) ch.renamed_columns[c.name] = n.name;
      if (c.type != n.type || c.collation != n.collation || needs_rebuild(c, n) ||
          uses_rebuilt_enum(n.type, plan_) || reborn(o, c.name))
        ch.retyped_columns.insert(c.name);
    }
    for (const auto& k : o.constraints) {
      if (k.kind != ConstraintKind::PrimaryKey && k.kind != ConstraintKind::Unique &&
          k.kind != ConstraintKind::Exclusion)
        continue;
      const Constraint* nk = find_constraint(t, k.name);
      if (!nk || nk->kind != k.kind || nk->definition != renamed_def(k.definition, ch))
        ch.keys_change = true;
    }
    for (const auto& i : o.indexes) {
      if (!i.unique || i.attached) continue;
      const Index* ni = find_index(t, i.name);
      if (!ni || index_shape(*ni) != renamed_def(index_shape(i), ch)) ch.keys_change = true;
    }
    return ch;
  }

  static const Constraint* find_constraint(const Table& t, const std::string& name) {
    for (const auto& k : t.constraints)
      if (k.name == name) return &k;
    return nullptr;
  }
  static const Index* find_index(const Table& t, const std::string& name) {
    for (const auto& i : t.indexes)
      if (i.name == name) return &i;
    return nullptr;
  }

  // A `from` definition with renamed columns (and renamed referenced
  // tables) spelled as they will be, so a rename alone recreates nothing.
  // Token by token (pg_def_rename.h): a string literal is never renamed.
  std::string renamed_def(const std::string& def, const TableChanges& ch) const {
    return rename_columns(def, ch.renamed_columns);
  }
  std::string renamed_fk_def(const Constraint& k, const TableChanges& ch) const {
    auto table = plan_.renamed_tables.find(k.ref_table);
    const QualifiedName& ref_now =
        table == plan_.renamed_tables.end() ? k.ref_table : table->second;
    static const ColumnRenames kNone;
    auto ref = changes_.find(k.ref_table);
    // A self-reference's columns are renamed by `ch` on both sides.
    const ColumnRenames& referenced = ref == changes_.end() ? kNone : ref->second.renamed_columns;
    return rename_foreign_key(k.definition, ch.renamed_columns, k.ref_table, ref_now, referenced);
  }

  // Whether a foreign key kept as it is must still be dropped and added
  // again: its referenced key changes, or a column on either side changes type.
  bool fk_disturbed(const Constraint& k, const TableChanges& own) const {
    for (const auto& c : k.columns)
      if (own.retyped_columns.count(c)) return true;
    auto ref = changes_.find(k.ref_table);
    if (ref == changes_.end()) return false;
    if (ref->second.keys_change) return true;
    for (const auto& c : k.ref_columns)
      if (ref->second.retyped_columns.count(c)) return true;
    return false;
  }

  void drop_foreign_keys_of_dropped(const Table& t) {
    for (const auto& k : t.constraints) {
      if (!is_fk(k) || k.ref_table == t.name) continue;
      auto ref = changes_.find(k.ref_table);
      if (plan_.dropped_tables.count(k.ref_table) ||
          (ref != changes_.end() && ref->second.keys_change))
        plan_.add(kDropForeignKeys, ops::DropConstraint{t.name, k, std::nullopt, {}}, false);
    }
  }

  // A new table: reported as one change, its parts as steps of it.
  void create(const Table& t) {
    plan_.add(kTables, ops::CreateTable{t});
    create_table_attributes(t, plan_);
    // A partition (an inherited column) takes its parent's default and NOT
    // NULL: set its own where it differs.
    for (const auto& parent_name : parents_of(t)) {
      const Table* parent = to_.table(parent_name);
      if (!parent) continue;
      for (const auto& c : t.columns) {
        const Column* pc = parent->column(c.name);
        if (!pc || !(t.is_partition() || c.inherited)) continue;
        Column as_made = c;
        as_made.default_expr = pc->default_expr;
        as_made.not_null = pc->not_null;
        if (as_made.default_expr != c.default_expr || as_made.not_null != c.not_null)
          alter_column(t.name, as_made, c, plan_);
      }
    }
    if (!t.comment.empty()) plan_.comment({ops::Comment::On::kTable, t.name, "", "", t.comment});
    for (const auto& c : t.columns)
      if (!c.comment.empty())
        plan_.comment({ops::Comment::On::kColumn, t.name, c.name, "", c.comment});
    for (const auto& k : t.constraints) {
      if (is_fk(k)) add_constraint(t.name, k, false);
      if (!k.comment.empty()) constraint_comment(t.name, k, false);
    }
    for (const auto& i : t.indexes)
      if (!i.attached) create_index(i, false);  // the parent's index makes it
  }

  void add_constraint(const QualifiedName& table, const Constraint& k, bool reported) {
    const Phase phase =
        !is_fk(k) ? kTables : (on_unique_index(k) ? kAddForeignKeysOnIndexes : kAddForeignKeys);
    plan_.add(phase, ops::AddConstraint{table, k, false}, reported);
  }
  // A foreign key may reference the columns of a unique index that is no
  // constraint (Rails' structure.sql does): it comes after the indexes.
  bool on_unique_index(const Constraint& fk) const {
    const Table* ref = to_.table(fk.ref_table);
    if (!ref) return false;
    std::vector<std::string> want = fk.ref_columns;
    std::sort(want.begin(), want.end());
    for (const auto& i : ref->indexes) {
      std::vector<std::string> cols = i.columns;
      std::sort(cols.begin(), cols.end());
      if (i.unique && i.where.empty() && cols == want) return true;
    }
    return false;
  }
  void constraint_comment(const QualifiedName& table, const Constraint& k, bool reported) {
    plan_.add(kComments, ops::Comment{ops::Comment::On::kConstraint, table, k.name, "", k.comment},
              reported);
  }
  void index_comment(const QualifiedName& table, const Index& i, bool reported) {
    plan_.add(kComments, ops::Comment{ops::Comment::On::kIndex, table, i.name, "", i.comment},
              reported);
  }
  void create_index(const Index& i, bool reported) {
    plan_.add(kCreateIndexes, ops::CreateIndex{i, false, false}, reported);
    create_index_statistics(i, plan_);
    if (!i.comment.empty()) index_comment(i.table, i, false);
  }

  void alter(const Table& o, const Table& t) {
    const TableChanges& ch = changes_[o.name];
    auto matches = column_matches(o, t);
    // Columns dropped, or dropped and added again, or converted to a rebuilt
    // enum: their indexes and constraints go with them (or would not
    // convert), so those kept are recreated.
    std::set<std::string> vanishing;
    for (const auto& c : o.columns) {
      auto it = matches.find(c.name);
      // A rebuilt enum's literals in them would still name the old type.
      if (it == matches.end() || needs_rebuild(c, *it->second) ||
          uses_rebuilt_enum(it->second->type, plan_) || reborn(o, c.name))
        vanishing.insert(c.name);
    }
    // What the server records that a constraint or index uses, not its text.
    auto touches_vanishing = [&](const Uses& uses) {
      for (const auto& c : uses.columns)
        if (vanishing.count(c)) return true;
      return false;
    };

    // 1. Constraints and indexes that go or change, under the old names.
    std::set<std::string> keep_constraints, keep_indexes;
    for (const auto& k : o.constraints) {
      const Constraint* nk = find_constraint(t, k.name);
      bool same =
          nk && nk->kind == k.kind &&
          nk->definition == (is_fk(k) ? renamed_fk_def(k, ch) : renamed_def(k.definition, ch)) &&
          !touches_vanishing(k.uses) && !(is_fk(k) && fk_disturbed(k, ch));
      if (same) {
        keep_constraints.insert(k.name);
        if (nk->comment != k.comment) constraint_comment(t.name, *nk, true);
        continue;
      }
      // Reported as a drop, or as a change when the definition differs (a
      // constraint recreated as it was is a step of another change).
      std::optional<Constraint> replacement;
      if (nk) replacement = *nk;
      plan_.add(is_fk(k) ? kDropForeignKeys : kTables,
                ops::DropConstraint{o.name, k, replacement, t.name},
                !nk || nk->definition != k.definition);
    }
    for (const auto& i : o.indexes) {
      // A partition's index made by its parent's index is the parent's
      // business while it stays a partition; detached, it is the table's own.
      if (i.attached && stays_partition(o, t)) continue;
      const Index* ni = find_index(t, i.name);
      if (ni && index_shape(*ni) == renamed_def(index_shape(i), ch) && !touches_vanishing(i.uses)) {
        keep_indexes.insert(i.name);
        diff_index_statistics(i, *ni, plan_);
        if (ni->comment != i.comment) index_comment(t.name, *ni, true);
        continue;
      }
      std::optional<Index> replacement;
      if (ni) replacement = *ni;
      plan_.add(kTables, ops::DropIndex{i, replacement, t.name, false, false});
    }

    // 2. Renames.
    if (o.name != t.name) plan_.add(kTables, ops::RenameTable{o.name, t.name});
    for (const auto& [old_name, new_name] : ch.renamed_columns) {
      plan_.add(kTables, ops::RenameColumn{t.name, old_name, new_name});
      plan_.reshaped_columns[t.name].insert(old_name);
    }

    // 3. Columns: drop, add, alter. A column dropped and added again (its
    // generated expression changes) is reported once, by the add. A
    // generated column goes before the columns its expression uses.
    std::vector<const Column*> drops;
    for (const auto& c : o.columns) {
      auto it = matches.find(c.name);
      if (it == matches.end() || needs_rebuild(c, *it->second)) drops.push_back(&c);
    }
    // An inherited column (every column of a partition) follows what its
    // parent's ALTER does to it: the parent adds it, drops it, changes it.
    const std::vector<Pair> parents = driving_parents(o, t);
    auto parent_has = [&](const std::string& column, bool before, bool after) {
      for (const auto& p : parents)
        if ((p.from->column(column) != nullptr) == before &&
            (p.to->column(column) != nullptr) == after &&
            !(before && !after && child_keeps(*p.from, column)))
          return true;
      return false;
    };
    for (std::size_t i : dependency_order(drops.size(), [&](std::size_t a, std::size_t b) {
           const auto& used = drops[b]->uses.columns;
           return std::find(used.begin(), used.end(), drops[a]->name) != used.end();
         })) {
      const Column& c = *drops[i];
      plan_.dropped_owners.insert(qualified(o.name) + "." + ident(c.name));
      plan_.reshaped_columns[t.name].insert(c.name);
      const bool replaced = matches.count(c.name) > 0;
      if (!replaced && (o.is_partition() || c.inherited) && parent_has(c.name, true, false))
        continue;  // the parent's DROP COLUMN drops it here too
      plan_.add(kTables, ops::DropColumn{t.name, c, replaced, !replaced && child_keeps(o, c.name)},
                !replaced);
    }
    for (const auto& c : t.columns) {
      const Column* old_column = nullptr;
      for (const auto& [from_name, to_column] : matches)
        if (to_column == &c) old_column = o.column(from_name);
      if (old_column && !needs_rebuild(*old_column, c)) continue;
      if (!old_column && (t.is_partition() || c.inherited) && parent_has(c.name, false, true)) {
        // The parent's ADD COLUMN adds it here too.
        if (!c.comment.empty())
          plan_.comment({ops::Comment::On::kColumn, t.name, c.name, "", c.comment});
        continue;
      }
      // A child's own column of that name is parked around the ADD COLUMN
      // (ops::InheritColumn), which then adds the inherited one. NOT NULL
      // without a default waits for the values copied into the child.
      bool parks = false;
      for (const auto& k : parkings_)
        if (k.parent.from == &o && k.own->name == c.name) {
          park_column(k, from_, to_, plan_);
          parks = true;
        }
      Column added = c;
      const bool not_null_later =
          parks && c.not_null && !c.default_expr && c.identity.empty() && c.generated.empty();
      if (not_null_later) added.not_null = false;
      plan_.add(kTables, ops::AddColumn{t.name, added, "", old_column != nullptr});
      for (const auto& k : parkings_)
        if (k.parent.from == &o && k.own->name == c.name)
          plan_.add(kTables, inherit_column(k, ops::InheritColumn::Step::kCopy, plan_), false);
      if (not_null_later)
        plan_.add(kTables, ops::AlterColumn{t.name, added, c, "", false, false}, false);
      if (!c.comment.empty())
        plan_.comment({ops::Comment::On::kColumn, t.name, c.name, "", c.comment});
    }
    const auto reborn_here = reborn_.find(o.name);
    for (const auto& c : o.columns) {
      auto it = matches.find(c.name);
      if (it == matches.end() || needs_rebuild(c, *it->second)) continue;
      if (reborn(o, c.name)) {
        // Made anew by the parent's ADD COLUMN: from what that made.
        alter_column(t.name, reborn_here->second.at(c.name), *it->second, plan_);
        continue;
      }
      const Column after_parents = as_parents_leave(o, c, parents);
      const bool parent_retypes = after_parents.type != c.type;
      if (alter_column(t.name, after_parents, *it->second, plan_) || parent_retypes)
        plan_.reshaped_columns[t.name].insert(c.name);
    }
    if (reborn_here == reborn_.end()) {
      diff_table_attributes(o, t, plan_);
    } else {
      Table before = o;  // a column made anew has the default statistics target
      for (auto& c : before.columns)
        if (reborn_here->second.count(c.name)) c.statistics = -1;
      diff_table_attributes(before, t, plan_);
    }

    // 4. Constraints and indexes that come or change (a change was reported
    // by its drop).
    for (const auto& k : t.constraints) {
      if (keep_constraints.count(k.name)) continue;
      add_constraint(t.name, k, !find_constraint(o, k.name));
      if (!k.comment.empty()) constraint_comment(t.name, k, false);
    }
    for (const auto& i : t.indexes) {
      if (keep_indexes.count(i.name) || i.attached) continue;
      create_index(i, !find_index(o, i.name));
    }
    if (o.comment != t.comment)
      plan_.add(kComments, ops::Comment{ops::Comment::On::kTable, t.name, "", "", t.comment});
  }

  // Whether a kept child of `parent` (`from`) keeps inheriting from it and
  // keeps `column`, which the parent drops: the parent's drop is then ONLY
  // (the child's column stays, as its own).
  bool child_keeps(const Table& parent, const std::string& column) const {
    for (const auto& p : pairs_) {
      const auto parents = parents_of(*p.from);
      if (std::find(parents.begin(), parents.end(), parent.name) == parents.end()) continue;
      const Column* c = p.from->column(column);
      if (c && (p.from->is_partition() || c->inherited) && p.to->column(column) &&
          keeps_parent(*p.from, *p.to, parent.name))
        return true;
    }
    return false;
  }

  // ---- a child's own column that becomes inherited only ----------------------

  bool reborn(const Table& o, const std::string& column) const {
    auto it = reborn_.find(o.name);
    return it != reborn_.end() && it->second.count(column) != 0;
  }

  void find_parkings() {
    for (const auto& p : pairs_) {
      const Table &o = *p.from, &t = *p.to;
      if (o.is_partition() || t.is_partition()) continue;
      for (const auto& c : t.columns) {
        const Column* own = o.column(c.name);
        if (!c.inherited || !own || own->inherited) continue;
        std::optional<Pair> adder;
        for (const auto& d : driving_parents(o, t))
          if (!adder && !d.from->column(c.name) && d.to->column(c.name)) adder = d;
        // None: the column is inherited as well as its own on both sides,
        // which is not compared (docs/reference.md, limits).
        if (!adder) continue;
        Parking k{&o, &t, *adder, own, *adder->to->column(c.name), "", below(o)};
        if (!plan_parking(k, from_, pair_of_, plan_)) continue;
        for (const Table* x : k.below) reborn_[x->name][c.name] = k.made;
        reborn_[o.name][c.name] = k.made;
        parkings_.push_back(std::move(k));
      }
    }
  }

  std::vector<const Table*> below(const Table& root) const {
    return descendants(root, from_, [&](const Table& x, const QualifiedName& parent) {
      auto kept = pair_of_.find(x.name);
      return kept == pair_of_.end() || keeps_parent(x, *kept->second.to, parent);
    });
  }
  void drop_parked(const Parking& k) {
    plan_.add(kTables, inherit_column(k, ops::InheritColumn::Step::kDrop, plan_), false);
  }

  // Column `c` of child `o` as its parents' ALTERs leave it.
  static Column as_parents_leave(const Table& o, const Column& c,
                                 const std::vector<Pair>& parents) {
    Column out = c;
    if (!o.is_partition() && !c.inherited) return out;
    for (const auto& p : parents) {
      const Column* before = p.from->column(c.name);
      const Column* after = p.to->column(c.name);
      if (!before || !after) continue;
      if (before->type != after->type || before->collation != after->collation) {
        out.type = after->type;
        out.collation = after->collation;
      }
      if (before->default_expr != after->default_expr) out.default_expr = after->default_expr;
      if (before->not_null != after->not_null) out.not_null = after->not_null;
    }
    return out;
  }

  const Schema& from_;
  const Schema& to_;
  Plan& plan_;
  std::vector<Pair> pairs_;
  std::map<QualifiedName, Pair> pair_of_;  // by the `from` name
  std::vector<const Table*> created_, dropped_;
  std::vector<const Table*> recreated_;  // of `from`: dropped and created again
  std::map<QualifiedName, TableChanges> changes_;
  std::vector<Parking> parkings_;
  // Per table of `from` (a parked child and the tables below it), the
  // columns the parent's ADD COLUMN makes anew, as it makes them.
  std::map<QualifiedName, std::map<std::string, Column>> reborn_;
};

}  // namespace

void diff_tables(const Schema& from, const Schema& to, Plan& plan) {
  TableDiffer(from, to, plan).run();
}

}  // namespace migrate::schema::postgres
