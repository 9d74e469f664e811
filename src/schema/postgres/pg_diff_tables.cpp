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
#include "schema/postgres/pg_diff_plan.h"
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

struct Pair {
  const Table* from;
  const Table* to;
};

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
    for (const auto& p : pairs_) changes_[p.from->name] = scan(*p.from, *p.to);
    for (const auto* t : dropped_) drop_foreign_keys_of_dropped(*t);
    for (const auto& p : pairs_) alter(*p.from, *p.to);
    for (const auto* t : created_) create(*t);
    for (const auto* t : dropped_) plan_.add(kDropTables, ops::DropTable{*t});
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
          uses_rebuilt_enum(n.type, plan_))
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
      if (!i.unique) continue;
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
    if (!t.comment.empty()) plan_.comment({ops::Comment::On::kTable, t.name, "", "", t.comment});
    for (const auto& c : t.columns)
      if (!c.comment.empty())
        plan_.comment({ops::Comment::On::kColumn, t.name, c.name, "", c.comment});
    for (const auto& k : t.constraints) {
      if (is_fk(k)) add_constraint(t.name, k, false);
      if (!k.comment.empty()) constraint_comment(t.name, k, false);
    }
    for (const auto& i : t.indexes) create_index(i, false);
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
          uses_rebuilt_enum(it->second->type, plan_))
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
      const Index* ni = find_index(t, i.name);
      if (ni && index_shape(*ni) == renamed_def(index_shape(i), ch) && !touches_vanishing(i.uses)) {
        keep_indexes.insert(i.name);
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
    for (std::size_t i : dependency_order(drops.size(), [&](std::size_t a, std::size_t b) {
           const auto& used = drops[b]->uses.columns;
           return std::find(used.begin(), used.end(), drops[a]->name) != used.end();
         })) {
      const Column& c = *drops[i];
      plan_.dropped_owners.insert(qualified(o.name) + "." + ident(c.name));
      plan_.reshaped_columns[t.name].insert(c.name);
      const bool replaced = matches.count(c.name) > 0;
      plan_.add(kTables, ops::DropColumn{t.name, c, replaced}, !replaced);
    }
    for (const auto& c : t.columns) {
      const Column* old_column = nullptr;
      for (const auto& [from_name, to_column] : matches)
        if (to_column == &c) old_column = o.column(from_name);
      if (old_column && !needs_rebuild(*old_column, c)) continue;
      plan_.add(kTables, ops::AddColumn{t.name, c, "", old_column != nullptr});
      if (!c.comment.empty())
        plan_.comment({ops::Comment::On::kColumn, t.name, c.name, "", c.comment});
    }
    for (const auto& c : o.columns) {
      auto it = matches.find(c.name);
      if (it == matches.end() || needs_rebuild(c, *it->second)) continue;
      if (alter_column(t.name, c, *it->second, plan_))
        plan_.reshaped_columns[t.name].insert(c.name);
    }

    // 4. Constraints and indexes that come or change (a change was reported
    // by its drop).
    for (const auto& k : t.constraints) {
      if (keep_constraints.count(k.name)) continue;
      add_constraint(t.name, k, !find_constraint(o, k.name));
      if (!k.comment.empty()) constraint_comment(t.name, k, false);
    }
    for (const auto& i : t.indexes) {
      if (keep_indexes.count(i.name)) continue;
      create_index(i, !find_index(o, i.name));
    }
    if (o.comment != t.comment)
      plan_.add(kComments, ops::Comment{ops::Comment::On::kTable, t.name, "", "", t.comment});
  }

  const Schema& from_;
  const Schema& to_;
  Plan& plan_;
  std::vector<Pair> pairs_;
  std::vector<const Table*> created_, dropped_;
  std::map<QualifiedName, TableChanges> changes_;
};

}  // namespace

void diff_tables(const Schema& from, const Schema& to, Plan& plan) {
  TableDiffer(from, to, plan).run();
}

}  // namespace migrate::schema::postgres
