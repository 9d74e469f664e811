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

// LANGUAGE sql bodies are parsed (and BEGIN ATOMIC bodies bound) against the
// tables when created, and a table's row type in the signature must exist,
// so these come after the tables -- unless a table itself calls the
// function; then it must come first (and may read only what exists by then).
Phase create_phase(const Function& f, const Schema& to) {
  const bool sql = f.definition.find("\n LANGUAGE sql\n") != std::string::npos;
  if (!sql && !f.signature_uses_table) return kCreateFunctions;
  return used_by_tables(f, to) ? kCreateFunctions : kCreateSqlFunctions;
}

ops::Comment comment_of(const Function& f) {
  return {f.kind == "procedure" ? ops::Comment::On::kProcedure : ops::Comment::On::kFunction,
          f.name, "", f.identity_args, f.comment};
}

}  // namespace

void diff_functions(const Schema& from, const Schema& to, Plan& plan) {
  std::map<FunctionKey, const Function*> old_fns;
  for (const auto& f : from.functions) old_fns[key_of(f)] = &f;
  std::set<FunctionKey> kept;
  for (const auto& f : to.functions) {
    auto it = old_fns.find(key_of(f));
    if (it == old_fns.end()) {
      plan.add(create_phase(f, to), ops::CreateFunction{f, false, false});
      if (!f.comment.empty()) plan.comment(comment_of(f));
      continue;
    }
    kept.insert(key_of(f));
    const Function& o = *it->second;
    bool recreated = false;
    if (o.definition != f.definition) {
      if (header(o.definition) != header(f.definition) || o.kind != f.kind) {
        plan.add(kCreateFunctions, ops::DropFunction{o, true}, false);
        plan.recreated_functions.insert(f.name);
        recreated = true;
        plan.add(create_phase(f, to), ops::CreateFunction{f, false, true});
      } else {
        plan.add(create_phase(f, to), ops::CreateFunction{f, true, false});
      }
    }
    if (o.comment != f.comment || (recreated && !f.comment.empty()))
      plan.add(kComments, comment_of(f), o.comment != f.comment);
  }
  for (const auto& f : from.functions)
    if (!kept.count(key_of(f)))
      // Mirror of create_phase: a function a table calls goes after the
      // table, an SQL body that may read tables before them.
      plan.add(create_phase(f, from) == kCreateSqlFunctions ? kDropSqlFunctions : kDropFunctions,
               ops::DropFunction{f, false});
}

void diff_triggers(const Schema& from, const Schema& to, Plan& plan) {
  using Key = std::pair<QualifiedName, std::string>;
  std::map<Key, const Trigger*> wanted;
  for (const auto& t : to.triggers) wanted[{t.table, t.name}] = &t;
  // A trigger on a recreated view or calling a recreated function, or whose
  // UPDATE OF columns or WHEN condition use a column whose type changes or
  // that is dropped (the server refuses those while the trigger exists).
  auto needs_recreate = [&](const Trigger& t) {
    if (plan.recreated_views.count(t.table)) return true;
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
