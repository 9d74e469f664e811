// Functions, procedures and triggers.
#include <fmt/format.h>

#include <map>
#include <tuple>

#include "schema/postgres/pg_diff_plan.h"
#include "schema/postgres/pg_quote.h"
#include "util/strings.h"

namespace migrate::schema::postgres {

namespace {

using FunctionKey = std::tuple<std::string, std::string, std::string>;
FunctionKey key_of(const Function& f) { return {f.name.schema, f.name.name, f.identity_args}; }

std::string signature(const Function& f) {
  return fmt::format("{} {}({})", f.kind == "procedure" ? "PROCEDURE" : "FUNCTION",
                     qualified(f.name), f.identity_args);
}

// pg_get_functiondef's first line (name, argument names, modes and
// defaults) and its RETURNS line: when either changes, CREATE OR REPLACE is
// refused and the function must be dropped and created.
std::string header(const std::string& def) {
  std::string out;
  for (const auto& line : util::split(def, '\n')) {
    if (out.empty())
      out = line;
    else if (util::starts_with(line, " RETURNS "))
      return out + "\n" + line;
  }
  return out;
}

// Whether a column default, generated column, constraint or index of `to`
// calls `f` (by name: overloads are not told apart).
bool used_by_tables(const Function& f, const Schema& to) {
  return table_texts_contain(to, qualified(f.name) + "(");
}

// LANGUAGE sql bodies are parsed (and BEGIN ATOMIC bodies bound) against the
// tables when created, so they come after the tables and views -- unless a
// table itself calls the function; then it must come first (and may read
// only what exists by then).
Phase create_phase(const Function& f, const Schema& to) {
  if (f.definition.find("\n LANGUAGE sql\n") == std::string::npos) return kCreateFunctions;
  return used_by_tables(f, to) ? kCreateFunctions : kCreateSqlFunctions;
}

std::string body(const Function& f) { return std::string(util::trim_right(f.definition)); }

}  // namespace

void diff_functions(const Schema& from, const Schema& to, Plan& plan) {
  std::map<FunctionKey, const Function*> old_fns;
  for (const auto& f : from.functions) old_fns[key_of(f)] = &f;
  std::set<FunctionKey> kept;
  for (const auto& f : to.functions) {
    auto it = old_fns.find(key_of(f));
    const std::string what = fmt::format("{} {}({})", f.kind, display(f.name), f.identity_args);
    if (it == old_fns.end()) {
      plan.add(create_phase(f, to), body(f));
      if (!f.comment.empty()) plan.add(kComments, comment_sql(signature(f), f.comment));
      plan.change("add " + what);
      continue;
    }
    kept.insert(key_of(f));
    const Function& o = *it->second;
    bool recreated = false;
    if (o.definition != f.definition) {
      if (header(o.definition) != header(f.definition) || o.kind != f.kind) {
        plan.add(kCreateFunctions, "DROP " + signature(o));
        plan.recreated_functions.insert(f.name);
        recreated = true;
        plan.change("recreate " + what + " (its signature changes)");
      } else {
        plan.change("replace the body of " + what);
      }
      plan.add(create_phase(f, to), body(f));
    }
    if (o.comment != f.comment || (recreated && !f.comment.empty())) {
      plan.add(kComments, comment_sql(signature(f), f.comment));
      if (o.comment != f.comment) plan.change("comment on " + what);
    }
  }
  for (const auto& f : from.functions)
    if (!kept.count(key_of(f))) {
      // Mirror of create_phase: a function a table calls goes after the
      // table, an SQL body that may read tables before them.
      plan.add(create_phase(f, from) == kCreateSqlFunctions ? kDropSqlFunctions : kDropFunctions,
               "DROP " + signature(f));
      plan.change(fmt::format("drop {} {}({})", f.kind, display(f.name), f.identity_args));
    }
}

void diff_triggers(const Schema& from, const Schema& to, Plan& plan) {
  using Key = std::pair<QualifiedName, std::string>;
  std::map<Key, const Trigger*> wanted;
  for (const auto& t : to.triggers) wanted[{t.table, t.name}] = &t;
  auto needs_recreate = [&](const Trigger& t) {
    if (plan.recreated_views.count(t.table)) return true;
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
    plan.add(kDropTriggers,
             fmt::format("DROP TRIGGER {} ON {}", ident(o.name), qualified(o.table)));
    if (it == wanted.end())
      plan.change(fmt::format("drop trigger {} on {}", o.name, display(o.table)));
  }
  for (const auto& t : to.triggers) {
    if (in_place.count({t.table, t.name})) continue;
    plan.add(kCreateTriggers, t.definition);
    bool existed = false;
    for (const auto& o : from.triggers)
      if (o.name == t.name && o.table == t.table) existed = true;
    plan.change(
        fmt::format("{} trigger {} on {}", existed ? "recreate" : "add", t.name, display(t.table)));
  }
}

}  // namespace migrate::schema::postgres
