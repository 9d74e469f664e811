// The SQLite differ. It finds the differences table by table and places
// each operation in a phase, so that the statements come in an order SQLite
// accepts:
//   1. drop triggers and views that go, change, or read a table that changes
//      (SQLite's ALTER TABLE re-parses every view and trigger and fails on one
//      that names a missing table), dependents first;
//   2. drop indexes that go or change; drop tables that go, children first;
//   3. rename tables, then columns (ALTER TABLE ... RENAME rewrites the
//      foreign keys of other tables to follow);
//   4. per table, DROP COLUMN / ADD COLUMN in place, or the documented
//      rebuild (ops::RebuildTable): CREATE TABLE migrate_tmp_T (the desired
//      definition), copy the rows, DROP TABLE T, ALTER TABLE migrate_tmp_T
//      RENAME TO T;
//   5. create new tables, parents first; create indexes (all of a rebuilt
//      table's), views (dependencies first), triggers.
// The summary lists the changes in the order found (table by table). A
// rebuild relies on foreign keys being off while it runs and on PRAGMA
// foreign_key_check before COMMIT, which the runner does around every step.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "schema/order.h"
#include "schema/render.h"
#include "schema/sqlite/sqlite_create_table.h"
#include "schema/sqlite/sqlite_render.h"
#include "schema/sqlite/sqlite_schema.h"
#include "schema/sqlite/sqlite_table_plan.h"
#include "sql/sqlite/text.h"

namespace migrate::schema::sqlite {

// SQLite's tokenizer and text operations (sql/sqlite/).
using sql::sqlite::fold;
using sql::sqlite::mentions;
using sql::sqlite::replace_ident;
using sql::sqlite::squeeze;

namespace {

class Differ {
 public:
  Differ(const Schema& from, const Schema& to) : from_(from), to_(to) {}

  // In the order the summary reports; each operation placed in its phase.
  Diff run() {
    match_tables();
    plan_tables();
    find_affected();
    view_and_trigger_ops();
    drop_indexes();
    create_indexes();
    return std::move(ops_).render(renderer(), std::move(warnings_));
  }

 private:
  enum Phase {
    kDropTriggers,
    kDropViews,
    kDropIndexes,
    kDropTables,
    kRenameTables,
    kRenameColumns,
    kAlterTables,
    kCreateTables,
    kCreateIndexes,
    kCreateViews,
    kCreateTriggers,
  };
  void add(Phase phase, ops::Op op, bool reported = true, int rank = 0) {
    ops_.add(phase, {std::move(op), reported}, rank);
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
        warnings_.push_back("table " + t.name.name + ": the hint `-- migrate:renamed-from " +
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
            warnings_.push_back("column " + t.name.name + "." + c.name +
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
        add(kRenameTables, ops::RenameTable{p.from->name, p.to->name});
        altered_.insert(fold(p.from->name.name));
      }
      table_ops(plan);
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
    // Dropped tables children first, new ones parents first.
    auto dropped = dependency_order(dropped_tables_.size(), [&](std::size_t a, std::size_t b) {
      return references(*dropped_tables_[a], *dropped_tables_[b]);
    });
    std::reverse(dropped.begin(), dropped.end());
    std::vector<int> drop_rank(dropped_tables_.size());
    for (std::size_t i = 0; i < dropped.size(); ++i) drop_rank[dropped[i]] = static_cast<int>(i);
    for (std::size_t i = 0; i < dropped_tables_.size(); ++i) {
      altered_.insert(fold(dropped_tables_[i]->name.name));
      add(kDropTables, ops::DropTable{*dropped_tables_[i]}, true, drop_rank[i]);
    }
    auto created = dependency_order(new_tables_.size(), [&](std::size_t a, std::size_t b) {
      return references(*new_tables_[a], *new_tables_[b]);
    });
    std::vector<int> create_rank(new_tables_.size());
    for (std::size_t i = 0; i < created.size(); ++i) create_rank[created[i]] = static_cast<int>(i);
    for (std::size_t i = 0; i < new_tables_.size(); ++i)
      add(kCreateTables, ops::CreateTable{*new_tables_[i]}, true, create_rank[i]);
  }

  // One kept table: its column renames, then DROP COLUMN / ADD COLUMN in
  // place or the rebuild.
  void table_ops(const TablePlan& p) {
    const QualifiedName& t = p.to->name;
    for (const auto& m : p.kept)
      if (m.renamed()) add(kRenameColumns, ops::RenameColumn{t, m.from->name, m.to->name});
    if (p.rebuild()) {
      ops::RebuildTable r{*p.from, *p.to, {}, {}, {}, p.rebuild_reasons};
      for (const auto& m : p.kept) r.kept.emplace_back(m.from->name, m.to->name);
      for (const Column* d : p.dropped) r.dropped.push_back(*d);
      for (const Column* a : p.added) r.added.push_back(*a);
      add(kAlterTables, std::move(r));
      return;
    }
    for (const Column* d : p.dropped) add(kAlterTables, ops::DropColumn{t, *d, false});
    ParsedTable parsed = parse_create_table(p.to->sql);
    for (const Column* a : p.added)
      for (const auto& pc : parsed.columns)
        if (fold(pc.name) == fold(a->name))
          add(kAlterTables, ops::AddColumn{t, *a, squeeze(pc.definition), false});
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
  }

  bool reads_dropped_column(const std::string& sql) const {
    for (const auto& [table, columns] : dropped_columns_)
      if (mentions(sql, table))
        for (const auto& c : columns)
          if (mentions(sql, c)) return true;
    return false;
  }

  static bool view_reads(const View& v, const std::string& other) {
    return std::any_of(v.depends_on.begin(), v.depends_on.end(),
                       [&](const QualifiedName& q) { return fold(q.name) == fold(other); });
  }

  // Ranks in the dependency order of `views` (reversed: dependents first).
  static std::vector<int> view_ranks(const std::vector<const View*>& views, bool reversed) {
    auto order = dependency_order(views.size(), [&](std::size_t a, std::size_t b) {
      return view_reads(*views[a], views[b]->name.name);
    });
    if (reversed) std::reverse(order.begin(), order.end());
    std::vector<int> rank(views.size());
    for (std::size_t i = 0; i < order.size(); ++i) rank[order[i]] = static_cast<int>(i);
    return rank;
  }

  const View* to_view(const std::string& name) const {
    for (const auto& w : to_.views)
      if (fold(w.name.name) == fold(name)) return &w;
    return nullptr;
  }
  const View* from_view(const std::string& name) const {
    for (const auto& v : from_.views)
      if (fold(v.name.name) == fold(name)) return &v;
    return nullptr;
  }
  const Trigger* to_trigger(const std::string& name) const {
    for (const auto& u : to_.triggers)
      if (fold(u.name) == fold(name)) return &u;
    return nullptr;
  }

  // The views and triggers that go, come or are recreated. Reported: a view
  // or trigger that goes, comes or changes (not one recreated as it was).
  void view_and_trigger_ops() {
    std::vector<const View*> gone;
    for (const auto& v : from_.views)
      if (affected_views_.count(fold(v.name.name))) gone.push_back(&v);
    std::vector<int> rank = view_ranks(gone, true);
    for (std::size_t i = 0; i < gone.size(); ++i)
      add(kDropViews, ops::DropView{*gone[i]}, !to_view(gone[i]->name.name), rank[i]);

    std::vector<const View*> todo;
    for (const auto& w : to_.views)
      if (!from_view(w.name.name) || affected_views_.count(fold(w.name.name))) todo.push_back(&w);
    rank = view_ranks(todo, false);
    for (std::size_t i = 0; i < todo.size(); ++i) {
      const View& w = *todo[i];
      const View* had = from_view(w.name.name);
      bool changed =
          had && comparable_definition(w.definition) != comparable_definition(had->definition);
      std::optional<ops::ViewRecreate> recreate;
      if (had) recreate = ops::ViewRecreate{ops::ViewRecreate::Cause::kDefinition, {}};
      add(kCreateViews, ops::CreateView{w, false, recreate}, !had || changed, rank[i]);
    }

    for (const auto& tr : from_.triggers) {
      if (!affected_triggers_.count(fold(tr.name))) continue;
      const Trigger* want = to_trigger(tr.name);
      bool changed =
          want && comparable_definition(want->definition) != comparable_definition(tr.definition);
      add(kDropTriggers, ops::DropTrigger{tr, changed}, !want || changed);
    }
    for (const auto& u : to_.triggers) {
      bool had = std::any_of(from_.triggers.begin(), from_.triggers.end(),
                             [&](const Trigger& t) { return fold(t.name) == fold(u.name); });
      if (!had || affected_triggers_.count(fold(u.name)))
        add(kCreateTriggers, ops::CreateTrigger{u, had}, !had);
    }
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
        if (want) changed_indexes_.insert(fold(ix.name));
        std::string key = fold(t.name.name);
        auto r = renames_.tables.find(key);
        if (r != renames_.tables.end()) key = fold(r->second);
        // DROP TABLE takes the indexes of a dropped or rebuilt table with it.
        std::optional<Index> replacement;
        if (want) replacement = *want;
        add(kDropIndexes,
            ops::DropIndex{ix, replacement, {}, table_goes || rebuilt_.count(key) > 0, false});
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

  void create_indexes() {
    for (const auto& t : to_.tables) {
      bool fresh = std::find(new_tables_.begin(), new_tables_.end(), &t) != new_tables_.end() ||
                   rebuilt_.count(fold(t.name.name));
      for (const auto& ix : t.indexes) {
        bool had = false;
        for (const auto& f : from_.tables)
          for (const auto& fi : f.indexes)
            if (fold(fi.name) == fold(ix.name)) had = true;
        if (fresh || !had || changed_indexes_.count(fold(ix.name)))
          add(kCreateIndexes, ops::CreateIndex{ix, false, false}, !had);
      }
    }
  }

  const Schema& from_;
  const Schema& to_;
  OpPlan ops_;
  std::vector<std::string> warnings_;  // ignored hints
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
