#include "schema/postgres/pg_inspect_db_kinds.h"

#include "schema/postgres/pg_catalog_queries.h"
#include "util/strings.h"

namespace migrate::schema::postgres {

namespace {

std::string text(const pqxx::field& f) { return f.is_null() ? std::string() : f.c_str(); }
bool flag(const pqxx::field& f) { return !f.is_null() && f.c_str()[0] == 't'; }
std::vector<std::string> list(const pqxx::field& f) {
  return f.is_null() ? std::vector<std::string>{} : util::split(text(f), queries::kListSeparator);
}

}  // namespace

std::vector<EventTrigger> event_triggers_of(const pqxx::result& rows) {
  std::vector<EventTrigger> out;
  for (const auto& r : rows) {
    EventTrigger e;
    e.name = text(r[0]);
    e.event = text(r[1]);
    e.tags = list(r[2]);
    e.function = {text(r[3]), text(r[4])};
    const std::string enabled = text(r[5]);
    e.enabled = enabled.empty() ? 'O' : enabled[0];
    e.comment = text(r[6]);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<Publication> publications_of(const pqxx::result& rows) {
  std::vector<Publication> out;
  for (const auto& r : rows) {
    Publication p;
    p.name = text(r[0]);
    p.all_tables = flag(r[1]);
    std::vector<std::string> publish;
    const char* actions[] = {"insert", "update", "delete", "truncate"};
    for (int i = 0; i < 4; ++i)
      if (flag(r[2 + i])) publish.push_back(actions[i]);
    p.publish = util::join(publish, ", ");
    p.via_root = flag(r[6]);
    p.tables = list(r[7]);
    for (const auto& item : list(r[8])) {
      const auto sep = item.find('\x1e');
      p.relations.push_back({item.substr(0, sep), item.substr(sep + 1)});
    }
    p.schemas = list(r[9]);
    p.comment = text(r[10]);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace migrate::schema::postgres
