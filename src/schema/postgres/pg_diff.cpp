// diff_postgres: runs the parts of the differ and renders their operations,
// phase by phase; and the parts too small for a file of their own (schemas,
// extensions).
#include <algorithm>
#include <map>

#include "schema/postgres/pg_diff_plan.h"
#include "schema/postgres/pg_quote.h"
#include "schema/postgres/pg_render.h"
#include "schema/postgres/postgres_schema.h"

namespace migrate::schema {

namespace postgres {

bool reads_reshaped(const Plan& plan, const QualifiedName& table,
                    const std::vector<std::string>& columns) {
  auto renamed = plan.renamed_tables.find(table);
  const QualifiedName& now = renamed == plan.renamed_tables.end() ? table : renamed->second;
  auto it = plan.reshaped_columns.find(now);
  if (it == plan.reshaped_columns.end()) return false;
  for (const auto& c : columns)
    if (c.empty() || it->second.count(c)) return true;
  return false;
}

void diff_schemas_and_extensions(const Schema& from, const Schema& to, Plan& plan) {
  std::set<std::string> old_schemas(from.schemas.begin(), from.schemas.end());
  std::set<std::string> new_schemas(to.schemas.begin(), to.schemas.end());
  for (const auto& s : to.schemas)
    if (!old_schemas.count(s)) plan.add(kCreateSchemas, ops::CreateSchema{s});
  for (const auto& s : from.schemas)
    if (!new_schemas.count(s)) plan.add(kDropSchemas, ops::DropSchema{s});

  std::map<std::string, const Extension*> old_ext;
  for (const auto& e : from.extensions) old_ext[e.name] = &e;
  std::set<std::string> kept;
  for (const auto& e : to.extensions) {
    auto it = old_ext.find(e.name);
    if (it == old_ext.end()) {
      plan.add(kCreateExtensions, ops::CreateExtension{e});
      continue;
    }
    kept.insert(e.name);
    const Extension& o = *it->second;
    if (o.schema != e.schema || o.version != e.version) {
      const bool no_path =
          o.version != e.version && o.updates &&
          std::find(o.updates->begin(), o.updates->end(), e.version) == o.updates->end();
      plan.add(kCreateExtensions, ops::AlterExtension{o, e, no_path});
    }
  }
  for (const auto& e : from.extensions)
    if (!kept.count(e.name)) plan.add(kDropExtensions, ops::DropExtension{e});
}

}  // namespace postgres

Diff diff_postgres(const Schema& from, const Schema& to) {
  postgres::Plan plan;
  postgres::rank_code(from, to, plan);
  postgres::diff_schemas_and_extensions(from, to, plan);
  postgres::diff_collations(from, to, plan);
  postgres::diff_enums(from, to, plan);
  postgres::diff_domains(from, to, plan);
  postgres::diff_composite_types(from, to, plan);
  postgres::diff_range_types(from, to, plan);
  postgres::diff_functions(from, to, plan);
  postgres::diff_tables(from, to, plan);     // reads rebuilt_enums
  postgres::diff_sequences(from, to, plan);  // reads dropped_owners
  postgres::diff_views(from, to, plan);      // reads reshaped_columns, dropped_tables
  postgres::diff_triggers(from, to, plan);   // reads recreated_*, renamed_tables, reshaped_columns
  postgres::diff_row_security(from, to, plan);    // reads renamed/dropped_tables, reshaped_columns
  postgres::diff_event_triggers(from, to, plan);  // reads recreated_functions
  postgres::diff_publications(from, to, plan);    // reads renamed/dropped_tables
  postgres::diff_privileges(from, to, plan);      // reads the plan's drops, renamed_tables
  return std::move(plan.ops).render(postgres::renderer(), std::move(plan.warnings));
}

}  // namespace migrate::schema
