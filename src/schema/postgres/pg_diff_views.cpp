// Views and materialized views. A view cannot be altered in place beyond
// CREATE OR REPLACE's narrow rules, and the server refuses to change or drop
// a column a view reads, so a view whose definition changes, or that reads a
// reshaped table or a recreated view, is dropped (dependents first) and
// created again (dependencies first).
#include <fmt/format.h>

#include <functional>
#include <map>

#include "schema/postgres/pg_diff_plan.h"
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

const char* keyword(const View& v) { return v.materialized ? "MATERIALIZED VIEW" : "VIEW"; }

std::string query_text(const View& v) {
  std::string q(util::trim(v.definition));
  if (!q.empty() && q.back() == ';') q.pop_back();
  return q;
}

void create_view(const View& v, Plan& plan) {
  plan.add(kCreateViews,
           fmt::format("CREATE {} {} AS\n{}", keyword(v), qualified(v.name), query_text(v)));
  for (const auto& i : v.indexes) {
    plan.add(kCreateIndexes, i.definition);
    if (!i.comment.empty())
      plan.add(kComments, comment_sql("INDEX " + qualified({v.name.schema, i.name}), i.comment));
  }
  if (!v.comment.empty())
    plan.add(kComments, comment_sql(std::string(keyword(v)) + " " + qualified(v.name), v.comment));
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
      if (it->second->comment != i.comment)
        plan.add(kComments, comment_sql("INDEX " + qualified({v.name.schema, i.name}), i.comment));
      continue;
    }
    if (it != old_indexes.end()) {
      kept.insert(i.name);
      plan.add(kTables, "DROP INDEX " + qualified({o.name.schema, i.name}));
    }
    plan.add(kCreateIndexes, i.definition);
    if (!i.comment.empty())
      plan.add(kComments, comment_sql("INDEX " + qualified({v.name.schema, i.name}), i.comment));
    plan.change(fmt::format("{} index {} of {}", it == old_indexes.end() ? "add" : "change", i.name,
                            display(v.name)));
  }
  for (const auto& i : o.indexes)
    if (!kept.count(i.name)) {
      plan.add(kTables, "DROP INDEX " + qualified({o.name.schema, i.name}));
      plan.change(fmt::format("drop index {} of {}", i.name, display(o.name)));
    }
}

}  // namespace

void diff_views(const Schema& from, const Schema& to, Plan& plan) {
  const ViewMap old_views = by_name(from.views), new_views = by_name(to.views);
  auto renamed = [&](const QualifiedName& n) {
    auto it = plan.renamed_tables.find(n);
    return it == plan.renamed_tables.end() ? n : it->second;
  };

  // Why each kept view is recreated ("" = it is not).
  std::map<QualifiedName, std::string> reason;
  for (const auto& [name, v] : new_views) {
    auto it = old_views.find(name);
    if (it == old_views.end()) continue;
    const View& o = *it->second;
    if (o.definition != v->definition || o.materialized != v->materialized)
      reason[name] = "its definition changes";
  }
  // Propagate through what the views read, until nothing changes.
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [name, v] : new_views) {
      auto it = old_views.find(name);
      if (it == old_views.end() || reason.count(name)) continue;
      for (const auto& d : it->second->depends_on) {
        QualifiedName now = renamed(d);
        std::string why;
        if (plan.reshaped_tables.count(now) || plan.dropped_tables.count(d))
          why = "table " + display(now) + " changes under it";
        else if (reason.count(d) || (old_views.count(d) && !new_views.count(d)))
          why = "view " + display(d) + " is recreated";
        if (!why.empty()) {
          reason[name] = why;
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
    plan.add(kDropViews, fmt::format("DROP {} {}", keyword(o), qualified(o.name)));
    if (gone) plan.change(fmt::format("drop {} {}", util::to_lower(keyword(o)), display(o.name)));
  }
  for (const View* v : dependency_order(to.views)) {
    auto it = old_views.find(v->name);
    if (it == old_views.end()) {
      create_view(*v, plan);
      plan.change(fmt::format("add {} {}", util::to_lower(keyword(*v)), display(v->name)));
    } else if (reason.count(v->name)) {
      create_view(*v, plan);
      plan.recreated_views.insert(v->name);
      plan.change(fmt::format("recreate {} {} ({})", util::to_lower(keyword(*v)), display(v->name),
                              reason[v->name]));
    } else {
      const View& o = *it->second;
      diff_view_indexes(o, *v, plan);
      if (o.comment != v->comment) {
        plan.add(kComments,
                 comment_sql(std::string(keyword(*v)) + " " + qualified(v->name), v->comment));
        plan.change("comment on view " + display(v->name));
      }
    }
  }
}

}  // namespace migrate::schema::postgres
