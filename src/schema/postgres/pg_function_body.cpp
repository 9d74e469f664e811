#include "schema/postgres/pg_function_body.h"

#include <algorithm>
#include <functional>

#include "sql/postgres/parse.h"

namespace migrate::schema::postgres {

namespace {

// The `sval` of each String node of a name list (funcname).
std::vector<std::string> strings(const nlohmann::json& list) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const auto& item : list) {
    auto s = item.find("String");
    if (s != item.end() && s->contains("sval")) out.push_back((*s)["sval"].get<std::string>());
  }
  return out;
}

void walk(const nlohmann::json& node, BodyRefs& refs) {
  if (node.is_array()) {
    for (const auto& item : node) walk(item, refs);
    return;
  }
  if (!node.is_object()) return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (it.key() == "RangeVar" && it->contains("relname")) {
      refs.relations.push_back(
          {it->value("schemaname", std::string()), (*it)["relname"].get<std::string>()});
    } else if (it.key() == "FuncCall") {
      std::vector<std::string> name = strings(it->value("funcname", nlohmann::json()));
      if (name.size() == 1) refs.functions.push_back({"", name[0]});
      if (name.size() == 2) refs.functions.push_back({name[0], name[1]});
    }
    walk(*it, refs);
  }
}

template <typename T>
void add_unique(std::vector<T>& list, const T& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

}  // namespace

BodyRefs sql_body_refs(const std::string& body) {
  BodyRefs refs;
  try {
    walk(sql::postgres::parse(body), refs);
  } catch (const Error&) {
    return {};
  }
  return refs;
}

void add_body_refs(const BodyRefs& refs, const Schema& schema, Function& f) {
  auto matches = [](const QualifiedName& ref, const QualifiedName& name) {
    return ref.name == name.name && (ref.schema.empty() || ref.schema == name.schema);
  };
  for (const auto& r : refs.relations) {
    for (const auto& t : schema.tables)
      if (matches(r, t.name)) add_unique(f.relations, t.name);
    for (const auto& v : schema.views)
      if (matches(r, v.name)) add_unique(f.relations, v.name);
  }
  for (const auto& r : refs.functions)
    for (const auto& g : schema.functions)
      if (matches(r, g.name) && !(g.name == f.name && g.identity_args == f.identity_args))
        add_unique(f.uses.functions, g.name);
}

}  // namespace migrate::schema::postgres
