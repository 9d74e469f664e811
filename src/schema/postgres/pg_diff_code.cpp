// Functions, procedures and triggers.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "schema/postgres/pg_diff_plan.h"
#include "schema/postgres/pg_quote.h"
#include "util/strings.h"

namespace migrate::schema::postgres {

namespace {

using FunctionKey = std::tuple<std::string, std::string, std::string>;
FunctionKey key_of(const Function& f) { return {f.name.schema, f.name.name, f.identity_args}; }

// pg_get_functiondef's first line (name, argument names, modes and
// defaults) and its RETURNS line: when either changes, CREATE OR REPLACE is
// refused and the function must be dropped and created.
std::string header(const std::string& def) {
  std::string out;
  for (const auto& line : util::split(def, '\n')) {
    if (out.empty())
      out = line;
    else if (util::starts_with(line, " RETURNS "))
      return out.append("\n").append(line);
  }
  return out;
}

// Whether a column default, generated column, constraint or index of `to`
// calls `f` (by name: overloads are not told apart), as the server records.
bool used_by_tables(const Function& f, const Schema& to) {
  auto calls = [&](const Uses& uses) {
    return std::find(uses.functions.begin(), uses.functions.end(), f.name) != uses.functions.end();
  };
  for (const auto& t : to.tables) {
    for (const auto& c : t.columns)
      if (calls(c.uses)) return true;
    for (const auto& k : t.constraints)
      if (calls(k.uses)) return true;
    for (const auto& i : t.indexes)
      if (calls(i.uses)) return true;
  }
  return false;
}

// Creates `f` where it belongs: among the views in their dependency order,
// or with the other functions before the tables.
void create(const Function& f, const Schema& to, ops::CreateFunction op, Plan& plan,
            bool reported = true) {
  if (ordered_with_views(f, to))
    plan.add_ranked(kCreateViews, plan.create_rank, code_key(f), std::move(op), reported);
  else
    plan.add(kCreateFunctions, std::move(op), reported);
}

// Whether `f`'s signature or bound body uses an enum type the plan rebuilds:
// it would keep the old copy, which is dropped, so it is created again.
bool uses_rebuilt_type(const Function& f, const Plan& plan) {
  for (const auto& t : f.uses.types)
    if (plan.rebuilt_enums.count(t)) return true;
  return false;
}

ops::Comment comment_of(const Function& f) {
  return {f.kind == "procedure" ? ops::Comment::On::kProcedure : ops::Comment::On::kFunction,
          f.name, "", f.identity_args, f.comment};
}

}  // namespace

bool ordered_with_views(const Function& f, const Schema& s) {
  // Aggregates and operators come after the functions they use (which may
  // be among the views) and go before them.
  if (f.kind == "aggregate" || f.kind == "operator") return true;
  const bool sql = f.definition.find("\n LANGUAGE sql\n") != std::string::npos;
  if (!sql && !f.signature_uses_table && f.relations.empty()) return false;
  return !used_by_tables(f, s);
}

void diff_functions(const Schema& from, const Schema& to, Plan& plan) {
  std::map<FunctionKey, const Function*> old_fns;
  for (const auto& f : from.functions) old_fns[key_of(f)] = &f;
  std::set<FunctionKey> kept;
  for (const auto& f : to.functions) {
    auto it = old_fns.find(key_of(f));
    if (it == old_fns.end()) {
      create(f, to, ops::CreateFunction{f, false, false}, plan);
      if (!f.comment.empty()) plan.comment(comment_of(f));
      continue;
    }
    kept.insert(key_of(f));
    const Function& o = *it->second;
    bool recreated = false;
    const bool retyped = uses_rebuilt_type(o, plan);
    if (o.definition != f.definition || retyped) {
      if (header(o.definition) != header(f.definition) || o.kind != f.kind || retyped) {
        // Dropped before a rebuilt type is renamed aside (its signature
        // names the type by the name the new copy takes).
        if (retyped)
          plan.add_ranked(kDropViews, plan.drop_rank, code_key(o), ops::DropFunction{o, true},
                          false);
        else
          plan.add(kCreateFunctions, ops::DropFunction{o, true}, false);
        plan.recreated_functions.insert(f.name);
        recreated = true;
        create(f, to, ops::CreateFunction{f, false, true}, plan, o.definition != f.definition);
      } else {
        create(f, to, ops::CreateFunction{f, true, false}, plan);
      }
    }
    if (o.comment != f.comment || (recreated && !f.comment.empty()))
      plan.add(kComments, comment_of(f), o.comment != f.comment);
  }
  for (const auto& f : from.functions) {
    if (kept.count(key_of(f))) continue;
    // Mirror of create(): a function a table calls goes after the table,
    // one that may read tables or views goes among the views.
    if (ordered_with_views(f, from))
      plan.add_ranked(kDropViews, plan.drop_rank, code_key(f), ops::DropFunction{f, false});
    else
      plan.add(kDropFunctions, ops::DropFunction{f, false});
  }
}

void diff_triggers(const Schema& from, const Schema& to, Plan& plan) {
  using Key = std::pair<QualifiedName, std::string>;
  std::map<Key, const Trigger*> wanted;
  for (const auto& t : to.triggers) wanted[{t.table, t.name}] = &t;
  // A trigger on a recreated view or calling a recreated function, or whose
  // UPDATE OF columns or WHEN condition use a column whose type changes or
  // that is dropped (the server refuses those while the trigger exists), or
  // on a table whose rows the script's UPDATE rewrites (it must fire none).
  auto needs_recreate = [&](const Trigger& t) {
    if (plan.recreated_views.count(t.table)) return true;
    if (plan.rewritten_tables.count(t.table)) return true;
    if (reads_reshaped(plan, t.table, t.uses.columns)) return true;
    for (const auto& fn : t.functions)
      if (plan.recreated_functions.count(fn)) return true;
    return false;
  };
  std::set<Key> in_place;  // triggers of `from` that stay as they are
  for (const auto& o : from.triggers) {
    if (plan.dropped_tables.count(o.table)) continue;  // goes with its table
    auto renamed = plan.renamed_tables.find(o.table);
    QualifiedName table = renamed == plan.renamed_tables.end() ? o.table : renamed->second;
    auto it = wanted.find({table, o.name});
    if (it != wanted.end() && it->second->definition == o.definition && !needs_recreate(o)) {
      in_place.insert(it->first);
      continue;
    }
    plan.add(kDropTriggers, ops::DropTrigger{o, it != wanted.end()}, it == wanted.end());
  }
  for (const auto& t : to.triggers) {
    if (in_place.count({t.table, t.name})) continue;
    bool existed = false;
    for (const auto& o : from.triggers)
      if (o.name == t.name && o.table == t.table) existed = true;
    plan.add(kCreateTriggers, ops::CreateTrigger{t, existed});
  }
}

}  // namespace migrate::schema::postgres
