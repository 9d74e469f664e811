// Small readers over libpg_query's JSON parse tree (sql/postgres/parse.h),
// shared by the PostgreSQL rules: node kinds, names, type names, and
// whether an expression is constant-true.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace migrate::lint::pg {

using nlohmann::json;

// {"DeleteStmt": {...}} -> "DeleteStmt"; "" for anything else.
std::string_view kind_of(const json& node);
// {"DeleteStmt": {...}} -> {...}; null for anything else.
const json& body_of(const json& node);
// node[key], or a null json when absent.
const json& field(const json& node, const char* key);
std::string text(const json& node, const char* key);  // string field or ""
bool flag(const json& node, const char* key);         // bool field or false

// A RangeVar's table name without schema ("accounts"): how the rules key
// tables (a name in two schemas is rare in one migration run).
std::string table_of(const json& range_var);
// The last name of a [{"String": {"sval": "s"}}, ...] list: "i" for s.i.
std::string last_name(const json& names);
// A TypeName's type, without pg_catalog: "int4", "varchar", "serial", "text".
std::string type_of(const json& type_name);
// A TypeName's integer modifiers: varchar(20) -> {20}; none -> {}.
std::vector<long long> typmods_of(const json& type_name);

// Whether `expr` is always true: true, 1=1, 'a'='a', NOT false, x OR true,
// true AND 1=1, (true). A column, a parameter or a function is never
// constant.
bool is_constant_true(const json& expr);

// The byte offset of the first "location" in `node` (depth first), or
// `fallback`.
std::size_t location_in(const json& node, std::size_t fallback);

// Calls fn(node) for every object in the tree below (and including) `node`.
template <typename Fn>
void walk(const json& node, Fn&& fn) {
  if (node.is_object()) {
    fn(node);
    for (const auto& [k, v] : node.items()) walk(v, fn);
  } else if (node.is_array()) {
    for (const auto& v : node) walk(v, fn);
  }
}

}  // namespace migrate::lint::pg
