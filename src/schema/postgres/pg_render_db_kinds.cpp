// The statements of event triggers and publications (pg_render.h).
#include <fmt/format.h>

#include "schema/postgres/pg_quote.h"
#include "schema/postgres/pg_render.h"
#include "util/strings.h"

namespace migrate::schema::postgres {

namespace {

std::string comment_sql(const char* kind, const std::string& name, const std::string& text) {
  return fmt::format("COMMENT ON {} {} IS {}", kind, ident(name),
                     text.empty() ? "NULL" : literal(text));
}

// ALTER EVENT TRIGGER's form of pg_event_trigger.evtenabled.
const char* enable_clause(char enabled) {
  switch (enabled) {
    case 'D':
      return "DISABLE";
    case 'R':
      return "ENABLE REPLICA";
    case 'A':
      return "ENABLE ALWAYS";
    default:
      return "ENABLE";
  }
}

// `TABLE ONLY a.t (x) WHERE (...), TABLES IN SCHEMA s`: ONLY as pg_dump
// writes it, since the server lists an inheriting child on its own.
std::string publication_objects(const Publication& p) {
  std::vector<std::string> objects;
  for (const auto& t : p.tables) objects.push_back("TABLE ONLY " + t);
  for (const auto& s : p.schemas) objects.push_back("TABLES IN SCHEMA " + s);
  return util::join(objects, ", ");
}

std::string publication_options(const Publication& p) {
  return fmt::format("publish = {}, publish_via_partition_root = {}", literal(p.publish),
                     p.via_root ? "true" : "false");
}

}  // namespace

std::vector<std::string> db_kind_sql(const ops::CreateEventTrigger& op) {
  const EventTrigger& e = op.trigger;
  std::string sql = fmt::format("CREATE EVENT TRIGGER {} ON {}", ident(e.name), ident(e.event));
  if (!e.tags.empty()) {
    std::vector<std::string> tags;
    for (const auto& t : e.tags) tags.push_back(literal(t));
    sql += " WHEN TAG IN (" + util::join(tags, ", ") + ")";
  }
  sql += " EXECUTE FUNCTION " + qualified(e.function) + "()";
  std::vector<std::string> out = {sql};
  if (e.enabled != 'O')
    out.push_back(
        fmt::format("ALTER EVENT TRIGGER {} {}", ident(e.name), enable_clause(e.enabled)));
  if (!e.comment.empty()) out.push_back(comment_sql("EVENT TRIGGER", e.name, e.comment));
  return out;
}

std::vector<std::string> db_kind_sql(const ops::AlterEventTrigger& op) {
  std::vector<std::string> out;
  if (op.from.enabled != op.to.enabled)
    out.push_back(
        fmt::format("ALTER EVENT TRIGGER {} {}", ident(op.to.name), enable_clause(op.to.enabled)));
  if (op.from.comment != op.to.comment)
    out.push_back(comment_sql("EVENT TRIGGER", op.to.name, op.to.comment));
  return out;
}

std::vector<std::string> db_kind_sql(const ops::DropEventTrigger& op) {
  return {"DROP EVENT TRIGGER " + ident(op.trigger.name)};
}

std::vector<std::string> db_kind_sql(const ops::CreatePublication& op) {
  const Publication& p = op.publication;
  std::string sql = "CREATE PUBLICATION " + ident(p.name);
  if (p.all_tables)
    sql += " FOR ALL TABLES";
  else if (!p.tables.empty() || !p.schemas.empty())
    sql += " FOR " + publication_objects(p);
  sql += " WITH (" + publication_options(p) + ")";
  std::vector<std::string> out = {sql};
  if (!p.comment.empty()) out.push_back(comment_sql("PUBLICATION", p.name, p.comment));
  return out;
}

std::vector<std::string> db_kind_sql(const ops::AlterPublication& op) {
  const Publication &from = op.from, &to = op.to;
  const std::string alter = "ALTER PUBLICATION " + ident(to.name);
  std::vector<std::string> out;
  if (from.publish != to.publish || from.via_root != to.via_root)
    out.push_back(alter + " SET (" + publication_options(to) + ")");
  if (!to.all_tables &&
      (from.tables != to.tables || from.schemas != to.schemas || op.reset_objects)) {
    if (!to.tables.empty() || !to.schemas.empty()) {
      // SET replaces the whole list (a table's column list and filter too).
      out.push_back(alter + " SET " + publication_objects(to));
    } else {
      // SET needs an object: the ones left are dropped instead (DROP TABLE
      // takes no column list nor filter).
      std::vector<std::string> objects;
      for (const auto& r : from.relations) objects.push_back("TABLE ONLY " + qualified(r));
      for (const auto& s : from.schemas) objects.push_back("TABLES IN SCHEMA " + s);
      if (!objects.empty()) out.push_back(alter + " DROP " + util::join(objects, ", "));
    }
  }
  if (from.comment != to.comment) out.push_back(comment_sql("PUBLICATION", to.name, to.comment));
  return out;
}

std::vector<std::string> db_kind_sql(const ops::DropPublication& op) {
  return {"DROP PUBLICATION " + ident(op.publication.name)};
}

}  // namespace migrate::schema::postgres
