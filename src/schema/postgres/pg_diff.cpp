// diff_postgres: runs the parts of the differ and concatenates their phases;
// and the parts too small for a file of their own (schemas, extensions).
#include <fmt/format.h>

#include <map>

#include "schema/postgres/pg_diff_plan.h"
#include "schema/postgres/pg_quote.h"
#include "schema/postgres/postgres_schema.h"

namespace migrate::schema {

namespace postgres {

bool table_texts_contain(const Schema& s, const std::string& needle) {
  auto in = [&](const std::string& text) { return text.find(needle) != std::string::npos; };
  for (const auto& t : s.tables) {
    for (const auto& c : t.columns)
      if ((c.default_expr && in(*c.default_expr)) || in(c.generated)) return true;
    for (const auto& k : t.constraints)
      if (in(k.definition)) return true;
    for (const auto& i : t.indexes)
      if (in(i.definition)) return true;
  }
  return false;
}

std::string comment_sql(const std::string& what, const std::string& comment) {
  return fmt::format("COMMENT ON {} IS {}", what, comment.empty() ? "NULL" : literal(comment));
}

void diff_schemas_and_extensions(const Schema& from, const Schema& to, Plan& plan) {
  std::set<std::string> old_schemas(from.schemas.begin(), from.schemas.end());
  std::set<std::string> new_schemas(to.schemas.begin(), to.schemas.end());
  for (const auto& s : to.schemas)
    if (!old_schemas.count(s)) {
      plan.add(kCreateSchemas, "CREATE SCHEMA " + ident(s));
      plan.change("add schema " + s);
    }
  for (const auto& s : from.schemas)
    if (!new_schemas.count(s)) {
      plan.add(kDropSchemas, "DROP SCHEMA " + ident(s));  // fails unless empty
      plan.change("drop schema " + s);
    }

  std::map<std::string, const Extension*> old_ext;
  for (const auto& e : from.extensions) old_ext[e.name] = &e;
  std::set<std::string> kept;
  for (const auto& e : to.extensions) {
    auto it = old_ext.find(e.name);
    if (it == old_ext.end()) {
      plan.add(kCreateExtensions, fmt::format("CREATE EXTENSION {} WITH SCHEMA {} VERSION {}",
                                              ident(e.name), ident(e.schema), literal(e.version)));
      plan.change("add extension " + e.name);
      continue;
    }
    kept.insert(e.name);
    const Extension& o = *it->second;
    if (o.schema != e.schema) {
      plan.add(kCreateExtensions,
               fmt::format("ALTER EXTENSION {} SET SCHEMA {}", ident(e.name), ident(e.schema)));
      plan.change(fmt::format("move extension {} to schema {}", e.name, e.schema));
    }
    if (o.version != e.version) {
      plan.add(kCreateExtensions,
               fmt::format("ALTER EXTENSION {} UPDATE TO {}", ident(e.name), literal(e.version)));
      plan.change(fmt::format("update extension {} from {} to {}", e.name, o.version, e.version));
    }
  }
  for (const auto& e : from.extensions)
    if (!kept.count(e.name)) {
      plan.add_destructive(kDropExtensions, "DROP EXTENSION " + ident(e.name),
                           "drops extension " + e.name + " and the objects it owns");
      plan.change("drop extension " + e.name);
    }
}

}  // namespace postgres

Diff diff_postgres(const Schema& from, const Schema& to) {
  Diff diff;
  postgres::Plan plan;
  plan.diff = &diff;
  postgres::diff_schemas_and_extensions(from, to, plan);
  postgres::diff_enums(from, to, plan);
  postgres::diff_functions(from, to, plan);
  postgres::diff_tables(from, to, plan);     // reads rebuilt_enums
  postgres::diff_sequences(from, to, plan);  // reads dropped_owners
  postgres::diff_views(from, to, plan);      // reads reshaped_tables, dropped_tables
  postgres::diff_triggers(from, to, plan);   // reads recreated_functions, renamed_tables
  for (auto& phase : plan.phases)
    for (auto& s : phase) diff.statements.push_back(std::move(s));
  return diff;
}

}  // namespace migrate::schema
