#include "lint/pg_tree.h"

#include <cstdint>
#include <vector>

namespace migrate::lint::pg {

namespace {

// A constant's value as comparable text ("i:1", "s:a", "b:1"), or "" when
// `e` is not a plain constant.
std::string const_key(Value e) {
  if (kind_of(e) != "A_Const") return "";
  const Value c = body_of(e);
  if (c.contains("ival")) return "i:" + std::to_string(c["ival"]["ival"].integer());
  if (c.contains("sval")) return "s:" + text(c["sval"], "sval");
  if (c.contains("fval")) return "f:" + text(c["fval"], "fval");
  if (c.contains("boolval")) return flag(c["boolval"], "boolval") ? "b:1" : "b:0";
  return "";
}

}  // namespace

const Node& Value::null_node() {
  static const Node n;
  return n;
}

Value Value::operator[](std::string_view key) const {
  // Members are sorted by key, and few (at most a few dozen).
  for (const Member* m = members_begin(); m != members_end(); ++m) {
    const int c = compare_keys(m->key, key);
    if (c == 0) return Value(&m->value);
    if (c > 0) break;
  }
  return Value();
}

bool Value::contains(std::string_view key) const {
  for (const Member* m = members_begin(); m != members_end(); ++m) {
    const int c = compare_keys(m->key, key);
    if (c == 0) return true;
    if (c > 0) break;
  }
  return false;
}

std::string_view kind_of(Value node) {
  if (!node.is_object() || node.size() != 1) return {};
  return node.members_begin()->key;
}

Value body_of(Value node) {
  if (!node.is_object() || node.size() != 1) return Value();
  return Value(&node.members_begin()->value);
}

std::string text(Value node, const char* key) { return std::string(field(node, key).string()); }

bool flag(Value node, const char* key) { return field(node, key).boolean(); }

std::string table_of(Value range_var) { return text(range_var, "relname"); }

std::string last_name(Value names) {
  if (!names.is_array() || names.empty()) return "";
  return text(body_of(names[names.size() - 1]), "sval");
}

std::string type_of(Value type_name) { return last_name(field(type_name, "names")); }

std::vector<long long> typmods_of(Value type_name) {
  std::vector<long long> out;
  for (Value m : field(type_name, "typmods")) {
    Value c = body_of(m);
    if (kind_of(m) == "A_Const" && c.contains("ival")) out.push_back(c["ival"]["ival"].integer());
  }
  return out;
}

bool is_constant_true(Value expr) {
  const std::string_view k = kind_of(expr);
  Value e = body_of(expr);
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
    Value args = field(e, "args");
    if (op == "OR_EXPR") {
      for (Value a : args)
        if (is_constant_true(a)) return true;
      return false;
    }
    if (op == "AND_EXPR") {
      for (Value a : args)
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

std::size_t location_in(Value node, std::size_t fallback) {
  if (node.is_object()) {
    const Value loc = node["location"];
    if (loc.is_number_integer() && loc.integer() >= 0)
      return static_cast<std::size_t>(loc.integer());
    for (const Member* m = node.members_begin(); m != node.members_end(); ++m) {
      std::size_t at = location_in(Value(&m->value), SIZE_MAX);
      if (at != SIZE_MAX) return at;
    }
  } else if (node.is_array()) {
    for (Value v : node) {
      std::size_t at = location_in(v, SIZE_MAX);
      if (at != SIZE_MAX) return at;
    }
  }
  return fallback;
}

}  // namespace migrate::lint::pg
