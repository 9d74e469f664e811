// The SQLite differ. Statements come in an order SQLite accepts:
//   1. drop triggers and views that go, change, or read a table that changes
//      (SQLite's ALTER TABLE re-parses every view and trigger and fails on one
//      that names a missing table), dependents first;
//   2. drop indexes that go or change; drop tables that go, children first;
//   3. rename tables, then columns (ALTER TABLE ... RENAME rewrites the
//      foreign keys of other tables to follow);
//   4. per table, DROP COLUMN / ADD COLUMN in place, or the documented
//      rebuild: CREATE TABLE migrate_tmp_T (the desired definition), copy the
//      rows, DROP TABLE T, ALTER TABLE migrate_tmp_T RENAME TO T;
//   5. create new tables, parents first; create indexes (all of a rebuilt
//      table's), views (dependencies first), triggers.
// A rebuild relies on foreign keys being off while it runs and on PRAGMA
// foreign_key_check before COMMIT, which the runner does around every step.
#include <algorithm>
#include <map>
#include <set>

#include "schema/order.h"
#include "schema/sqlite/sqlite_create_table.h"
#include "schema/sqlite/sqlite_schema.h"
#include "schema/sqlite/sqlite_table_plan.h"
#include "sql/sqlite/text.h"

namespace migrate::schema::sqlite {

// SQLite's tokenizer and text operations (sql/sqlite/).
using sql::sqlite::fold;
using sql::sqlite::mentions;
using sql::sqlite::quote_ident;
using sql::sqlite::replace_ident;
using sql::sqlite::squeeze;

namespace {

class Differ {
 public:
  Differ(const Schema& from, const Schema& to) : from_(from), to_(to) {}

  Diff run() {
    match_tables();
    plan_tables();
    find_affected();
    drop_triggers();
    drop_views();
    drop_indexes();
    drop_tables();
    rename_tables_and_columns();
    alter_tables();
    create_tables();
    create_indexes();
    create_views();
    create_triggers();
    return std::move(diff_);
  }

 private:
  void add(std::string sql, const std::string& note = "", bool destructive = false) {
    diff_.statements.push_back({std::move(sql), destructive, note});
  }

  const Table* from_table(const std::string& name) const {
    for (const auto& t : from_.tables)
      if (fold(t.name.name) == fold(name)) return &t;
    return nullptr;
  }
  const Table* to_table(const std::string& name) const {
    for (const auto& t : to_.tables)
      if (fold(t.name.name) == fold(name)) return &t;
    return nullptr;
  }

  void match_tables() {
    // Table renames from hints: the old table must exist and go, the new
    // name must be free in `from`.
    for (const auto& t : to_.tables) {
      if (t.renamed_from.empty() || from_table(t.name.name)) continue;
      if (!from_table(t.renamed_from) || to_table(t.renamed_from)) {
        diff_.warnings.push_back("table " + t.name.name + ": the hint `-- migrate:renamed-from " +
                                 t.renamed_from + "` is ignored: " +
                                 (from_table(t.renamed_from)
                                      ? "a table " + t.renamed_from + " is still wanted"
                                      : "there is no table " + t.renamed_from + " to rename"));
        continue;
      }
      renames_.tables[fold(t.renamed_from)] = t.name.name;
    }
    for (const auto& t : to_.tables) {
      const Table* f = from_table(t.name.name);
      bool renamed = false;
      if (!f) {
        for (const auto& [old_name, new_name] : renames_.tables)
          if (fold(new_name) == fold(t.name.name)) f = from_table(old_name), renamed = true;
      }
      if (f) {
        pairs_.push_back({f, &t, renamed});
        collect_column_renames(*f, t, renames_);
        for (const auto& c : t.columns)
          if (!c.renamed_from.empty() && f->column(c.renamed_from) == nullptr && !f->column(c.name))
            diff_.warnings.push_back("column " + t.name.name + "." + c.name +
                                     ": the hint `-- migrate:renamed-from " + c.renamed_from +
                                     "` is ignored: there is no column " + c.renamed_from);
      } else {
        new_tables_.push_back(&t);
      }
    }
    for (const auto& f : from_.tables) {
      bool matched =
          std::any_of(pairs_.begin(), pairs_.end(), [&](const Pair& p) { return p.from == &f; });
      if (!matched) dropped_tables_.push_back(&f);
    }
  }

  struct Pair {
    const Table* from;
    const Table* to;
    bool renamed;
  };

  void plan_tables() {
    for (const auto& p : pairs_) {
      plans_.push_back(plan_table(*p.from, *p.to, p.renamed, renames_));
      const TablePlan& plan = plans_.back();
      if (plan.renamed) {
        diff_.changes.push_back("rename table " + p.from->name.name + " to " + p.to->name.name);
        altered_.insert(fold(p.from->name.name));
      }
      for (const auto& c : plan.changes) diff_.changes.push_back(c);
      // What views and triggers must be recreated for. ADD COLUMN alone
      // needs nothing (SQLite expands a view's text when it is read); a
      // DROP COLUMN only matters to text that names the column.
      if (plan.renamed || plan.rebuild() || plan.has_column_renames())
        altered_.insert(fold(p.to->name.name));
      else
        for (const Column* d : plan.dropped)
          dropped_columns_[fold(p.to->name.name)].push_back(d->name);
      if (plan.rebuild()) rebuilt_.insert(fold(p.to->name.name));
    }
    for (const Table* t : dropped_tables_) {
      altered_.insert(fold(t->name.name));
      diff_.changes.push_back("drop table " + t->name.name);
    }
    for (const Table* t : new_tables_) diff_.changes.push_back("add table " + t->name.name);
  }

  // Views and triggers that must be dropped (and, when still wanted,
  // recreated): gone, changed, or reading an altered table or affected view.
  void find_affected() {
    auto same_view = [&](const View& v) {
      for (const auto& w : to_.views)
        if (fold(w.name.name) == fold(v.name.name))
          return comparable_definition(w.definition) == comparable_definition(v.definition);
      return false;
    };
    std::set<std::string> names = altered_;
    for (bool grew = true; grew;) {
      grew = false;
      for (const auto& v : from_.views) {
        std::string key = fold(v.name.name);
        if (affected_views_.count(key)) continue;
        bool mentions_altered = std::any_of(names.begin(), names.end(), [&](const std::string& n) {
          return n != key && mentions(v.definition, n);
        });
        if (!same_view(v) || mentions_altered || reads_dropped_column(v.definition)) {
          affected_views_.insert(key);
          names.insert(key);
          grew = true;
        }
      }
    }
    for (const auto& tr : from_.triggers) {
      bool same = false;
      for (const auto& u : to_.triggers)
        if (fold(u.name) == fold(tr.name))
          same = comparable_definition(u.definition) == comparable_definition(tr.definition);
      bool mentions_altered = std::any_of(names.begin(), names.end(), [&](const std::string& n) {
        return mentions(tr.definition, n);
      });
      if (!same || mentions_altered || reads_dropped_column(tr.definition))
        affected_triggers_.insert(fold(tr.name));
    }
    for (const auto& v : from_.views) {
      bool wanted = std::any_of(to_.views.begin(), to_.views.end(), [&](const View& w) {
        return fold(w.name.name) == fold(v.name.name);
      });
      if (!wanted) diff_.changes.push_back("drop view " + v.name.name);
    }
    for (const auto& w : to_.views) {
      bool had = false, same = false;
      for (const auto& v : from_.views)
        if (fold(v.name.name) == fold(w.name.name)) {
          had = true;
          same = comparable_definition(w.definition) == comparable_definition(v.definition);
        }
      if (!had)
        diff_.changes.push_back("add view " + w.name.name);
      else if (!same)
        diff_.changes.push_back("change view " + w.name.name);
    }
    for (const auto& tr : from_.triggers) {
      bool wanted = false, same = false;
      for (const auto& u : to_.triggers)
        if (fold(u.name) == fold(tr.name)) {
          wanted = true;
          same = comparable_definition(u.definition) == comparable_definition(tr.definition);
        }
      if (!wanted)
        diff_.changes.push_back("drop trigger " + tr.name);
      else if (!same)
        diff_.changes.push_back("change trigger " + tr.name);
    }
    for (const auto& u : to_.triggers) {
      bool had = std::any_of(from_.triggers.begin(), from_.triggers.end(),
                             [&](const Trigger& t) { return fold(t.name) == fold(u.name); });
      if (!had) diff_.changes.push_back("add trigger " + u.name);
    }
  }

  bool reads_dropped_column(const std::string& sql) const {
    for (const auto& [table, columns] : dropped_columns_)
      if (mentions(sql, table))
        for (const auto& c : columns)
          if (mentions(sql, c)) return true;
    return false;
  }

  void drop_triggers() {
    for (const auto& tr : from_.triggers)
      if (affected_triggers_.count(fold(tr.name))) add("DROP TRIGGER " + quote_ident(tr.name));
  }

  static bool view_reads(const View& v, const std::string& other) {
    return std::any_of(v.depends_on.begin(), v.depends_on.end(),
                       [&](const QualifiedName& q) { return fold(q.name) == fold(other); });
  }

  void drop_views() {
    std::vector<const View*> gone;
    for (const auto& v : from_.views)
      if (affected_views_.count(fold(v.name.name))) gone.push_back(&v);
    // Dependents first: the reverse of creation order.
    auto order = dependency_order(gone.size(), [&](std::size_t a, std::size_t b) {
      return view_reads(*gone[a], gone[b]->name.name);
    });
    std::reverse(order.begin(), order.end());
    for (std::size_t i : order) add("DROP VIEW " + quote_ident(gone[i]->name.name));
  }

  // The from-side index text after the renames ALTER TABLE makes.
  std::string projected_index(const Index& ix) const {
    std::string sql = ix.definition;
    std::string table = ix.table.name;
    auto t = renames_.tables.find(fold(table));
    if (t != renames_.tables.end()) {
      sql = replace_ident(sql, table, t->second);
      table = t->second;
    }
    auto c = renames_.columns.find(fold(table));
    if (c != renames_.columns.end())
      for (const auto& [old_name, new_name] : c->second)
        sql = replace_ident(sql, old_name, new_name);
    return comparable_definition(sql);
  }

  const Index* to_index(const std::string& name) const {
    for (const auto& t : to_.tables)
      for (const auto& ix : t.indexes)
        if (fold(ix.name) == fold(name)) return &ix;
    return nullptr;
  }

  void drop_indexes() {
    for (const auto& t : from_.tables) {
      bool table_goes =
          std::find(dropped_tables_.begin(), dropped_tables_.end(), &t) != dropped_tables_.end();
      for (const auto& ix : t.indexes) {
        const Index* want = to_index(ix.name);
        bool same = want && projected_index(ix) == comparable_definition(want->definition);
        if (same) continue;
        diff_.changes.push_back((want ? "change index " : "drop index ") + ix.name);
        if (want) changed_indexes_.insert(fold(ix.name));
        std::string key = fold(t.name.name);
        auto r = renames_.tables.find(key);
        if (r != renames_.tables.end()) key = fold(r->second);
        // DROP TABLE takes the indexes of a dropped or rebuilt table with it.
        if (!table_goes && !rebuilt_.count(key)) add("DROP INDEX " + quote_ident(ix.name));
      }
    }
  }

  static bool references(const Table& child, const Table& parent) {
    return std::any_of(child.constraints.begin(), child.constraints.end(),
                       [&](const Constraint& c) {
                         return c.kind == ConstraintKind::ForeignKey &&
                                fold(c.ref_table.name) == fold(parent.name.name);
                       });
  }

  void drop_tables() {
    auto order = dependency_order(dropped_tables_.size(), [&](std::size_t a, std::size_t b) {
      return references(*dropped_tables_[a], *dropped_tables_[b]);
    });
    std::reverse(order.begin(), order.end());  // children first
    for (std::size_t i : order)
      add("DROP TABLE " + quote_ident(dropped_tables_[i]->name.name),
          "drops table " + dropped_tables_[i]->name.name + " and all its rows", true);
  }

  void rename_tables_and_columns() {
    for (const auto& p : plans_)
      if (p.renamed)
        add("ALTER TABLE " + quote_ident(p.from->name.name) + " RENAME TO " +
            quote_ident(p.to->name.name));
    for (const auto& p : plans_)
      for (const auto& m : p.kept)
        if (m.renamed())
          add("ALTER TABLE " + quote_ident(p.to->name.name) + " RENAME COLUMN " +
              quote_ident(m.from->name) + " TO " + quote_ident(m.to->name));
  }

  void alter_tables() {
    for (const auto& p : plans_) {
      if (p.rebuild()) {
        rebuild(p);
        continue;
      }
      const std::string t = quote_ident(p.to->name.name);
      for (const Column* d : p.dropped)
        add("ALTER TABLE " + t + " DROP COLUMN " + quote_ident(d->name),
            "drops column " + p.to->name.name + "." + d->name + " and its data", true);
      ParsedTable parsed = parse_create_table(p.to->sql);
      for (const Column* a : p.added)
        for (const auto& pc : parsed.columns)
          if (fold(pc.name) == fold(a->name))
            add("ALTER TABLE " + t + " ADD COLUMN " + squeeze(pc.definition));
    }
  }

  void rebuild(const TablePlan& p) {
    const std::string name = p.to->name.name;
    std::string tmp = "migrate_tmp_" + name;
    std::string reasons;
    for (const auto& r : p.rebuild_reasons) reasons += (reasons.empty() ? "" : "; ") + r;
    add(rename_created(p.to->sql, tmp),
        "rebuild of table " + name + " (SQLite cannot ALTER this in place: " + reasons + ")");
    std::string cols;
    for (const auto& m : p.kept) {
      if (!m.to->generated.empty()) continue;
      cols += (cols.empty() ? "" : ", ") + quote_ident(m.to->name);
    }
    for (const Column* a : p.added)
      if (a->not_null && !a->default_expr && a->generated.empty())
        diff_.warnings.push_back("table " + name + ": new column " + a->name +
                                 " is NOT NULL without a default, so the rebuild fails if the "
                                 "table has rows; give it a DEFAULT");
    if (!cols.empty()) {
      std::string dropped;
      for (const Column* d : p.dropped) dropped += (dropped.empty() ? "" : ", ") + d->name;
      std::string sql = "INSERT INTO " + quote_ident(tmp) + " (" + cols + ") SELECT " + cols +
                        " FROM " + quote_ident(name);
      if (dropped.empty())
        add(sql);
      else
        add(sql, "column(s) " + dropped + " of " + name + " are not copied: their data is lost",
            true);
    }
    add("DROP TABLE " + quote_ident(name));
    add("ALTER TABLE " + quote_ident(tmp) + " RENAME TO " + quote_ident(name));
  }

  void create_tables() {
    auto order = dependency_order(new_tables_.size(), [&](std::size_t a, std::size_t b) {
      return references(*new_tables_[a], *new_tables_[b]);
    });
    for (std::size_t i : order) add(new_tables_[i]->sql);
  }

  void create_indexes() {
    for (const auto& t : to_.tables) {
      bool fresh = std::find(new_tables_.begin(), new_tables_.end(), &t) != new_tables_.end() ||
                   rebuilt_.count(fold(t.name.name));
      for (const auto& ix : t.indexes) {
        bool had = false;
        for (const auto& f : from_.tables)
          for (const auto& fi : f.indexes)
            if (fold(fi.name) == fold(ix.name)) had = true;
        if (!had) diff_.changes.push_back("add index " + ix.name);
        if (fresh || !had || changed_indexes_.count(fold(ix.name))) add(ix.definition);
      }
    }
  }

  void create_views() {
    std::vector<const View*> todo;
    for (const auto& w : to_.views) {
      bool had = std::any_of(from_.views.begin(), from_.views.end(),
                             [&](const View& v) { return fold(v.name.name) == fold(w.name.name); });
      if (!had || affected_views_.count(fold(w.name.name))) todo.push_back(&w);
    }
    auto order = dependency_order(todo.size(), [&](std::size_t a, std::size_t b) {
      return view_reads(*todo[a], todo[b]->name.name);
    });
    for (std::size_t i : order) add(todo[i]->definition);
  }

  void create_triggers() {
    for (const auto& u : to_.triggers) {
      bool had = std::any_of(from_.triggers.begin(), from_.triggers.end(),
                             [&](const Trigger& t) { return fold(t.name) == fold(u.name); });
      if (!had || affected_triggers_.count(fold(u.name))) add(u.definition);
    }
  }

  const Schema& from_;
  const Schema& to_;
  Diff diff_;
  Renames renames_;
  std::vector<Pair> pairs_;
  std::vector<TablePlan> plans_;
  std::vector<const Table*> new_tables_, dropped_tables_;
  std::set<std::string> altered_, rebuilt_;  // folded table names (old and new)
  std::map<std::string, std::vector<std::string>> dropped_columns_;  // in-place drops
  std::set<std::string> affected_views_, affected_triggers_, changed_indexes_;
};

}  // namespace

Diff diff_sqlite(const Schema& from, const Schema& to) { return Differ(from, to).run(); }

}  // namespace migrate::schema::sqlite
