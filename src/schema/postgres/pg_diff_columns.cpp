#include "schema/postgres/pg_diff_columns.h"

#include "schema/postgres/pg_quote.h"
#include "schema/postgres/pg_render.h"
#include "util/strings.h"

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

namespace {

// An enum type, or an array of one (format_type's "schema.name[]").
bool is_enum(const std::string& type, const Plan& plan) {
  const bool array = util::ends_with(type, "[]");
  return plan.enum_types.count(array ? type.substr(0, type.size() - 2) : type) != 0;
}

}  // namespace

bool needs_rebuild(const Column& from, const Column& to) { return from.generated != to.generated; }

bool alter_column(const QualifiedName& table, const Column& from, const Column& to, Plan& plan) {
  const auto* rebuilt = rebuilt_enum_of(to.type, plan);
  const bool retype = from.type != to.type || from.collation != to.collation || rebuilt;
  // Built only when something changes: most kept columns are equal.
  std::string using_expr;
  if (!rebuilt && from.type != to.type && is_enum(from.type, plan) && is_enum(to.type, plan))
    using_expr =
        ident(to.name) + (util::ends_with(to.type, "[]") ? "::text[]::" : "::text::") + to.type;
  if (retype || from.not_null != to.not_null || from.default_expr != to.default_expr ||
      from.identity != to.identity)
    plan.add(kTables, ops::AlterColumn{table, from, to, using_expr, rebuilt != nullptr,
                                       rebuilt && rebuilt->second});
  if (from.comment != to.comment)
    plan.add(kComments, ops::Comment{ops::Comment::On::kColumn, table, to.name, "", to.comment});
  return retype;
}

std::string converted(const std::string& expr, const Column& from, const Column& to,
                      const Plan& plan) {
  const bool array = util::ends_with(to.type, "[]");
  if (rebuilt_enum_of(to.type, plan) ||
      (from.type != to.type && is_enum(from.type, plan) && is_enum(to.type, plan)))
    return expr + (array ? "::text[]::" : "::text::") + to.type;
  if (from.type != to.type && needs_using(from.type, to.type)) return expr + "::" + to.type;
  return expr;  // the same type, or an assignment cast
}

}  // namespace migrate::schema::postgres
