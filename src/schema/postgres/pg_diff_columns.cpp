#include "schema/postgres/pg_diff_columns.h"

#include <fmt/format.h>

#include "schema/postgres/pg_quote.h"
#include "schema/postgres/pg_render.h"

namespace migrate::schema::postgres {

bool uses_rebuilt_enum(const std::string& type, const Plan& plan) {
  return rebuilt_enum_of(type, plan) != nullptr;
}

const std::pair<const QualifiedName, bool>* rebuilt_enum_of(const std::string& type,
                                                            const Plan& plan) {
  for (const auto& entry : plan.rebuilt_enums) {
    const std::string q = qualified(entry.first);
    if (type == q || type == q + "[]") return &entry;
  }
  return nullptr;
}

bool needs_rebuild(const Column& from, const Column& to) { return from.generated != to.generated; }

bool alter_column(const QualifiedName& table, const Column& o, const Column& c, Plan& plan) {
  const std::string alter =
      fmt::format("ALTER TABLE {} ALTER COLUMN {}", qualified(table), ident(c.name));
  const std::string what = display(table) + "." + c.name;
  const auto* rebuilt = rebuilt_enum_of(c.type, plan);
  const bool rebuilt_enum = rebuilt != nullptr;
  const bool retype = o.type != c.type || o.collation != c.collation || rebuilt_enum;
  const bool default_changes = o.default_expr != c.default_expr;

  // A default is dropped before a type change (it may not cast) and before
  // ADD IDENTITY (a column cannot have both), and set again afterwards.
  bool default_dropped = false;
  if (o.default_expr &&
      (default_changes || retype || (!c.identity.empty() && o.identity.empty()))) {
    plan.add(kTables, alter + " DROP DEFAULT");
    default_dropped = true;
  }
  if (!o.identity.empty() && c.identity.empty()) {
    plan.add(kTables, alter + " DROP IDENTITY");
    plan.change("drop identity from column " + what);
  }
  if (retype) {
    std::string sql = alter + " TYPE " + c.type;
    if (!c.collation.empty()) sql += " COLLATE " + c.collation;
    if (rebuilt_enum) {
      // Through text: the old and new enum types have no cast between them.
      const bool array = c.type.size() > 2 && c.type.compare(c.type.size() - 2, 2, "[]") == 0;
      sql += fmt::format(" USING {}::{}::{}", ident(c.name), array ? "text[]" : "text", c.type);
    } else if (needs_using(o.type, c.type)) {
      sql += fmt::format(" USING {}::{}", ident(c.name), c.type);
    }
    if (rebuilt_enum && rebuilt->second)
      plan.add_destructive(kTables, sql,
                           fmt::format("{} converts to the rebuilt enum {}: a row holding a "
                                       "removed label fails",
                                       what, c.type));
    else if (!rebuilt_enum && narrowing(o.type, c.type))
      plan.add_destructive(kTables, sql,
                           fmt::format("{} changes type from {} to {}: values that do not fit "
                                       "fail or are cut",
                                       what, o.type, c.type));
    else
      plan.add(kTables, sql);
    if (o.type != c.type)
      plan.change(fmt::format("change the type of column {} from {} to {}", what, o.type, c.type));
    if (o.collation != c.collation)
      plan.change(fmt::format("change the collation of column {} to {}", what,
                              c.collation.empty() ? "the default" : c.collation));
  }
  if (c.not_null && !o.not_null) {
    plan.add(kTables, alter + " SET NOT NULL");
    plan.change("make column " + what + " NOT NULL");
  }
  if (!c.identity.empty() && c.identity != o.identity) {
    const char* gen = c.identity == "always" ? "ALWAYS" : "BY DEFAULT";
    if (o.identity.empty()) {
      plan.add(kTables, fmt::format("{} ADD GENERATED {} AS IDENTITY", alter, gen));
      // The new identity sequence starts at 1: move it past the values the
      // column already holds, or the next INSERT may collide with them.
      plan.add(
          kTables,
          fmt::format("SELECT setval(pg_get_serial_sequence({}, {}), coalesce(max({}), 0) "
                      "+ 1, false) FROM {}",
                      literal(qualified(table)), literal(c.name), ident(c.name), qualified(table)));
    } else
      plan.add(kTables, fmt::format("{} SET GENERATED {}", alter, gen));
    plan.change(fmt::format("make column {} an identity column (generated {})", what, c.identity));
  }
  if (c.default_expr && (default_changes || default_dropped))
    plan.add(kTables, alter + " SET DEFAULT " + *c.default_expr);
  if (default_changes)
    plan.change(c.default_expr
                    ? fmt::format("set the default of column {} to {}", what, *c.default_expr)
                    : "drop the default of column " + what);
  if (!c.not_null && o.not_null) {
    plan.add(kTables, alter + " DROP NOT NULL");
    plan.change("make column " + what + " nullable");
  }
  if (o.comment != c.comment) {
    plan.add(kComments, comment_sql("COLUMN " + qualified(table) + "." + ident(c.name), c.comment));
    plan.change("comment on column " + what);
  }
  return retype;
}

}  // namespace migrate::schema::postgres
