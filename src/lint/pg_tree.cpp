#include "lint/pg_tree.h"

#include <cstdint>
#include <vector>

namespace migrate::lint::pg {

namespace {

const json& null_json() {
  static const json n;
  return n;
}

// A constant's value as comparable text ("i:1", "s:a", "b:1"), or "" when
// `e` is not a plain constant.
std::string const_key(const json& e) {
  if (kind_of(e) != "A_Const") return "";
  const json& c = body_of(e);
  if (c.contains("ival")) return "i:" + std::to_string(c["ival"].value("ival", 0LL));
  if (c.contains("sval")) return "s:" + c["sval"].value("sval", std::string());
  if (c.contains("fval")) return "f:" + c["fval"].value("fval", std::string());
  if (c.contains("boolval")) return c["boolval"].value("boolval", false) ? "b:1" : "b:0";
  return "";
}

}  // namespace

std::string_view kind_of(const json& node) {
  if (!node.is_object() || node.size() != 1) return {};
  return node.begin().key();
}

const json& body_of(const json& node) {
  if (!node.is_object() || node.size() != 1) return null_json();
  return node.begin().value();
}

const json& field(const json& node, const char* key) {
  if (!node.is_object()) return null_json();
  auto it = node.find(key);
  return it == node.end() ? null_json() : *it;
}

std::string text(const json& node, const char* key) {
  const json& f = field(node, key);
  return f.is_string() ? f.get<std::string>() : std::string();
}

bool flag(const json& node, const char* key) {
  const json& f = field(node, key);
  return f.is_boolean() && f.get<bool>();
}

std::string table_of(const json& range_var) { return text(range_var, "relname"); }

std::string last_name(const json& names) {
  if (!names.is_array() || names.empty()) return "";
  return text(body_of(names.back()), "sval");
}

std::string type_of(const json& type_name) { return last_name(field(type_name, "names")); }

std::vector<long long> typmods_of(const json& type_name) {
  std::vector<long long> out;
  for (const auto& m : field(type_name, "typmods")) {
    const json& c = body_of(m);
    if (kind_of(m) == "A_Const" && c.contains("ival")) out.push_back(c["ival"].value("ival", 0LL));
  }
  return out;
}

bool is_constant_true(const json& expr) {
  const std::string_view k = kind_of(expr);
  const json& e = body_of(expr);
  if (k == "A_Const") {
    const std::string key = const_key(expr);
    // true, or a non-zero number used as a condition (SQLite-style; PostgreSQL refuses it).
    return key == "b:1" || (key.size() > 2 && key[0] == 'i' && key != "i:0");
  }
  if (k == "TypeCast") {
    // 't'::boolean, 'true'::bool
    const std::string key = const_key(field(e, "arg"));
    const std::string type = type_of(field(e, "typeName"));
    return type == "bool" && (key == "s:t" || key == "s:true" || key == "s:1" || key == "s:yes" ||
                              key == "s:on" || key == "b:1");
  }
  if (k == "A_Expr" && text(e, "kind") == "AEXPR_OP") {
    const std::string op = last_name(field(e, "name"));
    const std::string l = const_key(field(e, "lexpr")), r = const_key(field(e, "rexpr"));
    if (l.empty() || r.empty()) return false;
    if (op == "=") return l == r;
    if (op == "<>" || op == "!=") return l != r;
    return false;
  }
  if (k == "BoolExpr") {
    const std::string op = text(e, "boolop");
    const json& args = field(e, "args");
    if (op == "OR_EXPR") {
      for (const auto& a : args)
        if (is_constant_true(a)) return true;
      return false;
    }
    if (op == "AND_EXPR") {
      for (const auto& a : args)
        if (!is_constant_true(a)) return false;
      return !args.empty();
    }
    if (op == "NOT_EXPR" && args.size() == 1) {
      const std::string key = const_key(args[0]);
      return key == "b:0" || key == "i:0";
    }
  }
  if (k == "NullTest" && text(e, "nulltesttype") == "IS_NOT_NULL")
    return !const_key(field(e, "arg")).empty();
  if (k == "BooleanTest" && text(e, "booltesttype") == "IS_TRUE")
    return is_constant_true(field(e, "arg"));
  return false;
}

std::size_t location_in(const json& node, std::size_t fallback) {
  if (node.is_object()) {
    auto it = node.find("location");
    if (it != node.end() && it->is_number_integer() && it->get<long long>() >= 0)
      return static_cast<std::size_t>(it->get<long long>());
    for (const auto& [k, v] : node.items()) {
      std::size_t at = location_in(v, SIZE_MAX);
      if (at != SIZE_MAX) return at;
    }
  } else if (node.is_array()) {
    for (const auto& v : node) {
      std::size_t at = location_in(v, SIZE_MAX);
      if (at != SIZE_MAX) return at;
    }
  }
  return fallback;
}

}  // namespace migrate::lint::pg
