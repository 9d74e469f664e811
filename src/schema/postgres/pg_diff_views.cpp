// Views and materialized views. A view cannot be altered in place beyond
// CREATE OR REPLACE's narrow rules, and the server refuses to change or drop
// a column a view reads, so a view whose definition changes, or that reads a
// column that changes (View::columns_read, from pg_depend), a renamed or
// dropped table or a recreated view, is dropped (dependents first) and
// created again (dependencies first).
#include <fmt/format.h>

#include <functional>
#include <map>
#include <optional>

#include "schema/postgres/pg_diff_plan.h"
#include "schema/postgres/pg_diff_table_attrs.h"
#include "schema/postgres/pg_quote.h"
#include "schema/postgres/pg_render.h"
#include "util/strings.h"

namespace migrate::schema::postgres {

namespace {

using ViewMap = std::map<QualifiedName, const View*>;

ViewMap by_name(const std::vector<View>& views) {
  ViewMap out;
  for (const auto& v : views) out[v.name] = &v;
  return out;
}

// The views in dependency order (what a view reads comes first).
std::vector<const View*> dependency_order(const std::vector<View>& views) {
  ViewMap map = by_name(views);
  std::vector<const View*> out;
  std::set<QualifiedName> done, visiting;
  std::function<void(const View&)> visit = [&](const View& v) {
    if (done.count(v.name) || visiting.count(v.name)) return;
    visiting.insert(v.name);
    for (const auto& d : v.depends_on) {
      auto it = map.find(d);
      if (it != map.end()) visit(*it->second);
    }
    visiting.erase(v.name);
    done.insert(v.name);
    out.push_back(&v);
  };
  for (const auto& v : views) visit(v);
  return out;
}

// The columns of `table` that `v` reads ("" = the whole row).
std::vector<std::string> columns_of(const View& v, const QualifiedName& table) {
  std::vector<std::string> out;
  for (const auto& r : v.columns_read)
    if (r.table == table) out.push_back(r.column);
  return out;
}

ops::Comment view_comment(const View& v) {
  return {v.materialized ? ops::Comment::On::kMaterializedView : ops::Comment::On::kView, v.name,
          "", "", v.comment};
}
ops::Comment index_comment(const QualifiedName& view, const Index& i) {
  return {ops::Comment::On::kIndex, view, i.name, "", i.comment};
}

void create_view(const View& v, std::optional<ops::ViewRecreate> recreate, Plan& plan) {
  plan.add_ranked(kCreateViews, plan.create_rank, code_key(v),
                  ops::CreateView{v, false, std::move(recreate)});
  for (const auto& i : v.indexes) {
    plan.add(kCreateIndexes, ops::CreateIndex{i, false, true}, false);
    if (!i.comment.empty()) plan.comment(index_comment(v.name, i));
  }
  if (!v.comment.empty()) plan.comment(view_comment(v));
  for (const auto& [column, text] : v.column_comments)
    plan.comment({ops::Comment::On::kColumn, v.name, column, "", text});
}

// A kept view's options (ALTER VIEW ... SET) and the comments on its columns.
void diff_view_attributes(const View& o, const View& v, Plan& plan) {
  if (!same_options(o.options, v.options))
    plan.add(kCreateViews, ops::SetRelationOptions{
                               v.materialized ? ops::SetRelationOptions::Kind::kMaterializedView
                                              : ops::SetRelationOptions::Kind::kView,
                               v.name, o.options, v.options});
  std::map<std::string, std::string> before(o.column_comments.begin(), o.column_comments.end());
  for (const auto& [column, text] : v.column_comments) {
    auto it = before.find(column);
    if (it == before.end() || it->second != text)
      plan.add(kComments, ops::Comment{ops::Comment::On::kColumn, v.name, column, "", text});
    if (it != before.end()) before.erase(it);
  }
  for (const auto& [column, text] : before)
    plan.add(kComments, ops::Comment{ops::Comment::On::kColumn, v.name, column, "", ""});
}

// A kept materialized view's indexes.
void diff_view_indexes(const View& o, const View& v, Plan& plan) {
  std::map<std::string, const Index*> old_indexes;
  for (const auto& i : o.indexes) old_indexes[i.name] = &i;
  std::set<std::string> kept;
  for (const auto& i : v.indexes) {
    auto it = old_indexes.find(i.name);
    if (it != old_indexes.end() && index_shape(*it->second) == index_shape(i)) {
      kept.insert(i.name);
      if (it->second->comment != i.comment) plan.comment(index_comment(v.name, i));
      continue;
    }
    const bool changed = it != old_indexes.end();
    if (changed) {
      kept.insert(i.name);
      plan.add(kTables, ops::DropIndex{*it->second, i, {}, false, false});
    }
    plan.add(kCreateIndexes, ops::CreateIndex{i, false, true}, !changed);
    if (!i.comment.empty()) plan.comment(index_comment(v.name, i));
  }
  for (const auto& i : o.indexes)
    if (!kept.count(i.name)) plan.add(kTables, ops::DropIndex{i, std::nullopt, {}, false, false});
}

}  // namespace

void diff_views(const Schema& from, const Schema& to, Plan& plan) {
  const ViewMap old_views = by_name(from.views), new_views = by_name(to.views);
  auto renamed = [&](const QualifiedName& n) {
    auto it = plan.renamed_tables.find(n);
    return it == plan.renamed_tables.end() ? n : it->second;
  };

  // Why each kept view is recreated (none = it is not).
  std::map<QualifiedName, ops::ViewRecreate> reason;
  for (const auto& [name, v] : new_views) {
    auto it = old_views.find(name);
    if (it == old_views.end()) continue;
    const View& o = *it->second;
    if (o.definition != v->definition || o.materialized != v->materialized) {
      reason[name] = {ops::ViewRecreate::Cause::kDefinition, {}};
      continue;
    }
    // The server refuses to drop a function a view calls.
    for (const auto& fn : o.functions)
      if (plan.recreated_functions.count(fn)) {
        reason[name] = {ops::ViewRecreate::Cause::kFunction, fn};
        break;
      }
  }
  // Propagate through what the views read, until nothing changes.
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [name, v] : new_views) {
      auto it = old_views.find(name);
      if (it == old_views.end() || reason.count(name)) continue;
      const View& o = *it->second;
      for (const auto& d : o.depends_on) {
        QualifiedName now = renamed(d);
        std::optional<ops::ViewRecreate> why;
        if (plan.dropped_tables.count(d) || plan.renamed_tables.count(d) ||
            reads_reshaped(plan, d, columns_of(o, d)))
          why = ops::ViewRecreate{ops::ViewRecreate::Cause::kTable, now};
        else if (reason.count(d) || (old_views.count(d) && !new_views.count(d)))
          why = ops::ViewRecreate{ops::ViewRecreate::Cause::kView, d};
        if (why) {
          reason[name] = *why;
          grew = true;
          break;
        }
      }
    }
  }

  std::vector<const View*> old_order = dependency_order(from.views);
  for (auto it = old_order.rbegin(); it != old_order.rend(); ++it) {
    const View& o = **it;
    const bool gone = !new_views.count(o.name);
    if (!gone && !reason.count(o.name)) continue;
    plan.add_ranked(kDropViews, plan.drop_rank, code_key(o), ops::DropView{o}, gone);
  }
  for (const View* v : dependency_order(to.views)) {
    auto it = old_views.find(v->name);
    if (it == old_views.end()) {
      create_view(*v, std::nullopt, plan);
    } else if (reason.count(v->name)) {
      create_view(*v, reason[v->name], plan);
      plan.recreated_views.insert(v->name);
    } else {
      const View& o = *it->second;
      diff_view_indexes(o, *v, plan);
      diff_view_attributes(o, *v, plan);
      if (o.comment != v->comment) plan.add(kComments, view_comment(*v));
    }
  }
}

}  // namespace migrate::schema::postgres
