// Tables: matching (with rename hints), CREATE/DROP TABLE, columns,
// constraints, indexes, comments. Foreign keys are dropped early
// (kDropForeignKeys) and added last (kAddForeignKeys) so that tables,
// keys and column types may change in between.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "schema/postgres/pg_diff_columns.h"
#include "schema/postgres/pg_diff_plan.h"
#include "schema/postgres/pg_quote.h"
#include "schema/postgres/pg_render.h"
#include "util/strings.h"

namespace migrate::schema::postgres {

namespace {

bool is_fk(const Constraint& k) { return k.kind == ConstraintKind::ForeignKey; }

const char* kind_name(ConstraintKind k) {
  switch (k) {
    case ConstraintKind::PrimaryKey:
      return "primary key";
    case ConstraintKind::Unique:
      return "unique constraint";
    case ConstraintKind::Check:
      return "check constraint";
    case ConstraintKind::ForeignKey:
      return "foreign key";
    case ConstraintKind::Exclusion:
      return "exclusion constraint";
  }
  return "constraint";
}

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
  std::map<std::string, std::string> renamed_columns;  // old -> new
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
    for (const auto* t : dropped_) {
      plan_.add_destructive(kDropTables, "DROP TABLE " + qualified(t->name),
                            "drops table " + display(t->name) + " and its rows");
      plan_.change("drop table " + display(t->name));
    }
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
          plan_.reshaped_tables.insert(t->name);
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
  std::string renamed_def(std::string def, const TableChanges& ch) const {
    for (const auto& [old_name, new_name] : ch.renamed_columns)
      def = replace_word(def, ident(old_name), ident(new_name));
    return def;
  }
  std::string renamed_fk_def(const Constraint& k, const TableChanges& ch) const {
    std::string def = renamed_def(k.definition, ch);
    auto ren = plan_.renamed_tables.find(k.ref_table);
    if (ren != plan_.renamed_tables.end()) {
      def = replace_word(def, qualified(k.ref_table), qualified(ren->second));
    }
    auto ref = changes_.find(k.ref_table);
    if (ref != changes_.end() && &ref->second != &ch)
      for (const auto& [old_name, new_name] : ref->second.renamed_columns)
        def = replace_word(def, ident(old_name), ident(new_name));
    return def;
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
        plan_.add(kDropForeignKeys, fmt::format("ALTER TABLE {} DROP CONSTRAINT {}",
                                                qualified(t.name), ident(k.name)));
    }
  }

  void create(const Table& t) {
    plan_.add(kTables, create_table(t));
    plan_.change("add table " + display(t.name));
    if (!t.comment.empty())
      plan_.add(kComments, comment_sql("TABLE " + qualified(t.name), t.comment));
    for (const auto& c : t.columns)
      if (!c.comment.empty())
        plan_.add(kComments,
                  comment_sql("COLUMN " + qualified(t.name) + "." + ident(c.name), c.comment));
    for (const auto& k : t.constraints) {
      if (is_fk(k)) add_constraint(t.name, k);
      if (!k.comment.empty()) constraint_comment(t.name, k);
    }
    for (const auto& i : t.indexes) create_index(i);
  }

  void add_constraint(const QualifiedName& table, const Constraint& k) {
    plan_.add(is_fk(k) ? kAddForeignKeys : kTables,
              fmt::format("ALTER TABLE {} ADD CONSTRAINT {} {}", qualified(table), ident(k.name),
                          k.definition));
  }
  void drop_constraint(const QualifiedName& table, const Constraint& k) {
    plan_.add(is_fk(k) ? kDropForeignKeys : kTables,
              fmt::format("ALTER TABLE {} DROP CONSTRAINT {}", qualified(table), ident(k.name)));
  }
  void constraint_comment(const QualifiedName& table, const Constraint& k) {
    plan_.add(kComments,
              comment_sql(fmt::format("CONSTRAINT {} ON {}", ident(k.name), qualified(table)),
                          k.comment));
  }
  void create_index(const Index& i) {
    plan_.add(kCreateIndexes, i.definition);
    if (!i.comment.empty())
      plan_.add(kComments, comment_sql("INDEX " + qualified({i.table.schema, i.name}), i.comment));
  }

  void alter(const Table& o, const Table& t) {
    const TableChanges& ch = changes_[o.name];
    const std::string what = display(t.name);
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
    auto touches_vanishing = [&](const std::string& def) {
      for (const auto& c : vanishing)
        if (mentions(def, ident(c))) return true;
      return false;
    };

    // 1. Constraints and indexes that go or change, under the old names.
    std::set<std::string> keep_constraints, keep_indexes;
    for (const auto& k : o.constraints) {
      const Constraint* nk = find_constraint(t, k.name);
      bool same =
          nk && nk->kind == k.kind &&
          nk->definition == (is_fk(k) ? renamed_fk_def(k, ch) : renamed_def(k.definition, ch)) &&
          !touches_vanishing(k.definition) && !(is_fk(k) && fk_disturbed(k, ch));
      if (same) {
        keep_constraints.insert(k.name);
        if (nk->comment != k.comment) {
          constraint_comment(t.name, *nk);
          plan_.change(fmt::format("comment on constraint {} of {}", k.name, what));
        }
        continue;
      }
      drop_constraint(o.name, k);
      if (!nk)
        plan_.change(fmt::format("drop {} {} of {}", kind_name(k.kind), k.name, what));
      else if (nk->definition != k.definition)
        plan_.change(fmt::format("change {} {} of {}", kind_name(k.kind), k.name, what));
    }
    for (const auto& i : o.indexes) {
      const Index* ni = find_index(t, i.name);
      if (ni && index_shape(*ni) == renamed_def(index_shape(i), ch) &&
          !touches_vanishing(i.definition)) {
        keep_indexes.insert(i.name);
        if (ni->comment != i.comment) {
          plan_.add(kComments,
                    comment_sql("INDEX " + qualified({t.name.schema, i.name}), ni->comment));
          plan_.change(fmt::format("comment on index {} of {}", i.name, what));
        }
        continue;
      }
      plan_.add(kTables, "DROP INDEX " + qualified({o.name.schema, i.name}));
      plan_.change(fmt::format("{} index {} of {}", ni ? "change" : "drop", i.name, what));
    }

    // 2. Renames.
    if (o.name != t.name) {
      if (o.name.name != t.name.name)
        plan_.add(kTables, fmt::format("ALTER TABLE {} RENAME TO {}", qualified(o.name),
                                       ident(t.name.name)));
      if (o.name.schema != t.name.schema)
        plan_.add(kTables,
                  fmt::format("ALTER TABLE {} SET SCHEMA {}",
                              qualified({o.name.schema, t.name.name}), ident(t.name.schema)));
      plan_.change(fmt::format("rename table {} to {}", display(o.name), what));
    }
    const std::string alter = "ALTER TABLE " + qualified(t.name);
    for (const auto& [old_name, new_name] : ch.renamed_columns) {
      plan_.add(kTables,
                fmt::format("{} RENAME COLUMN {} TO {}", alter, ident(old_name), ident(new_name)));
      plan_.change(fmt::format("rename column {}.{} to {}", what, old_name, new_name));
      plan_.reshaped_tables.insert(t.name);
    }

    // 3. Columns: drop, add, alter.
    for (const auto& c : o.columns) {
      auto it = matches.find(c.name);
      if (it != matches.end() && !needs_rebuild(c, *it->second)) continue;
      plan_.dropped_owners.insert(qualified(o.name) + "." + ident(c.name));
      plan_.reshaped_tables.insert(t.name);
      const std::string sql = fmt::format("{} DROP COLUMN {}", alter, ident(c.name));
      if (it == matches.end()) {
        plan_.add_destructive(kTables, sql,
                              fmt::format("drops column {}.{} and its data", what, c.name));
        plan_.change(fmt::format("drop column {}.{}", what, c.name));
      } else if (c.generated.empty()) {
        plan_.add_destructive(
            kTables, sql,
            fmt::format("column {}.{} becomes generated: its data is replaced", what, c.name));
      } else {
        plan_.add(kTables, sql);  // generated: the server computes it again
      }
    }
    for (const auto& c : t.columns) {
      const Column* old_column = nullptr;
      for (const auto& [from_name, to_column] : matches)
        if (to_column == &c) old_column = o.column(from_name);
      if (old_column && !needs_rebuild(*old_column, c)) continue;
      plan_.add(kTables, fmt::format("{} ADD COLUMN {}", alter, column_definition(c)));
      plan_.change(
          old_column ? fmt::format("change the generated expression of column {}.{}", what, c.name)
                     : fmt::format("add column {}.{}", what, c.name));
      if (c.not_null && !c.default_expr && c.identity.empty() && c.generated.empty())
        plan_.warn(
            fmt::format("column {}.{} is added NOT NULL without a default: this fails "
                        "when the table has rows",
                        what, c.name));
      if (!c.comment.empty())
        plan_.add(kComments,
                  comment_sql("COLUMN " + qualified(t.name) + "." + ident(c.name), c.comment));
    }
    for (const auto& c : o.columns) {
      auto it = matches.find(c.name);
      if (it == matches.end() || needs_rebuild(c, *it->second)) continue;
      if (alter_column(t.name, c, *it->second, plan_)) plan_.reshaped_tables.insert(t.name);
    }

    // 4. Constraints and indexes that come or change.
    for (const auto& k : t.constraints) {
      if (keep_constraints.count(k.name)) continue;
      add_constraint(t.name, k);
      if (!k.comment.empty()) constraint_comment(t.name, k);
      if (!find_constraint(o, k.name))
        plan_.change(fmt::format("add {} {} to {}", kind_name(k.kind), k.name, what));
    }
    for (const auto& i : t.indexes) {
      if (keep_indexes.count(i.name)) continue;
      create_index(i);
      if (!find_index(o, i.name)) plan_.change(fmt::format("add index {} to {}", i.name, what));
    }
    if (o.comment != t.comment) {
      plan_.add(kComments, comment_sql("TABLE " + qualified(t.name), t.comment));
      plan_.change("comment on table " + what);
    }
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
