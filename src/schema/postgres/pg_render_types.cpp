// The statements of composite and range types (pg_render.h).
#include <fmt/format.h>

#include "schema/postgres/pg_quote.h"
#include "schema/postgres/pg_render.h"
#include "util/strings.h"

namespace migrate::schema::postgres {

namespace {

std::string attribute(const Column& a) {
  std::string out = ident(a.name) + " " + a.type;
  if (!a.collation.empty()) out += " COLLATE " + a.collation;
  return out;
}

std::string comment_sql(const QualifiedName& name, const std::string& text) {
  return fmt::format("COMMENT ON TYPE {} IS {}", qualified(name),
                     text.empty() ? "NULL" : literal(text));
}

const Column* find(const CompositeType& t, const std::string& name) {
  for (const auto& a : t.attributes)
    if (a.name == name) return &a;
  return nullptr;
}

}  // namespace

std::vector<std::string> type_sql(const ops::CreateCompositeType& op) {
  std::vector<std::string> attributes;
  for (const auto& a : op.type.attributes) attributes.push_back(attribute(a));
  std::vector<std::string> out = {
      fmt::format("CREATE TYPE {} AS ({})", qualified(op.type.name), util::join(attributes, ", "))};
  if (!op.type.comment.empty()) out.push_back(comment_sql(op.type.name, op.type.comment));
  return out;
}

// One ALTER TYPE with every attribute change: the server refuses them while
// a table's column uses the type (it would have to rewrite the table), and
// says so.
std::vector<std::string> type_sql(const ops::AlterCompositeType& op) {
  std::vector<std::string> changes;
  for (const auto& a : op.from.attributes)
    if (!find(op.to, a.name)) changes.push_back("DROP ATTRIBUTE " + ident(a.name));
  for (const auto& a : op.to.attributes) {
    const Column* before = find(op.from, a.name);
    if (!before)
      changes.push_back("ADD ATTRIBUTE " + attribute(a));
    else if (before->type != a.type || before->collation != a.collation)
      changes.push_back(fmt::format("ALTER ATTRIBUTE {} TYPE {}{}", ident(a.name), a.type,
                                    a.collation.empty() ? "" : " COLLATE " + a.collation));
  }
  std::vector<std::string> out;
  if (!changes.empty())
    out.push_back(
        fmt::format("ALTER TYPE {} {}", qualified(op.to.name), util::join(changes, ", ")));
  if (op.from.comment != op.to.comment) out.push_back(comment_sql(op.to.name, op.to.comment));
  return out;
}

std::vector<std::string> type_sql(const ops::DropCompositeType& op) {
  return {"DROP TYPE " + qualified(op.type.name)};
}

std::vector<std::string> type_sql(const ops::CreateRangeType& op) {
  std::vector<std::string> out = {
      fmt::format("CREATE TYPE {} AS RANGE ({})", qualified(op.type.name), op.type.options)};
  if (!op.type.comment.empty()) out.push_back(comment_sql(op.type.name, op.type.comment));
  return out;
}

std::vector<std::string> type_sql(const ops::CommentRangeType& op) {
  return {comment_sql(op.type.name, op.type.comment)};
}

std::vector<std::string> type_sql(const ops::DropRangeType& op) {
  return {"DROP TYPE " + qualified(op.type.name)};
}

}  // namespace migrate::schema::postgres
