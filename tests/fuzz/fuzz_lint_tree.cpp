// Fuzz target: the PostgreSQL rules' parse tree reader (lint/pg_tree.h)
// against nlohmann::json, the general JSON reader it replaced. The input is
// read twice. As SQL: where sql::postgres::parse() gives a tree,
// lint::pg::parse_tree() gives the same values with object members in the
// same order, and where the parser rejects the SQL both throw the same
// ParseError. As JSON: a document nlohmann::json accepts, read_tree()
// accepts with the same values and order (it may accept more: bytes that
// are not UTF-8, numbers beyond a double). Only migrate::Error is thrown.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_support.h"
#include "lint/pg_tree.h"
#include "sql/postgres/parse.h"
#include "util/error.h"

using migrate::fuzz::escaped;
using migrate::fuzz::fail;
namespace pg = migrate::lint::pg;
using nlohmann::json;

namespace {

// Where the two differ, as a path ("" when they do not).
std::string difference(const json& j, pg::Value v, const std::string& path) {
  switch (j.type()) {
    case json::value_t::null:
      return v.is_null() ? "" : path;
    case json::value_t::boolean:
      return v.is_boolean() && v.boolean() == j.get<bool>() ? "" : path;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return v.is_number_integer() && v.integer() == j.get<long long>() ? "" : path;
    case json::value_t::number_float:
      return !v.is_null() && !v.is_boolean() && !v.is_number_integer() && !v.is_string() &&
                     !v.is_array() && !v.is_object()
                 ? ""
                 : path;
    case json::value_t::string:
      return v.is_string() && v.string() == j.get_ref<const std::string&>() ? "" : path;
    case json::value_t::array: {
      if (!v.is_array() || v.size() != j.size()) return path + " (array size)";
      for (std::size_t i = 0; i < j.size(); ++i) {
        std::string d = difference(j[i], v[i], path + "[" + std::to_string(i) + "]");
        if (!d.empty()) return d;
      }
      return "";
    }
    case json::value_t::object: {
      if (!v.is_object() || v.size() != j.size()) return path + " (object size)";
      const pg::Member* m = v.members_begin();
      for (const auto& [key, value] : j.items()) {
        if (m->key != key) return path + " (key order at " + key + ")";
        std::string d = difference(value, pg::Value(&m->value), path + "." + key);
        if (!d.empty()) return d;
        ++m;
      }
      return "";
    }
    default:
      return path + " (type)";
  }
}

void check_sql(const std::string& sql) {
  json expected;
  std::string expected_error;
  bool parsed = false;
  try {
    expected = migrate::sql::postgres::parse(sql);
    parsed = true;
  } catch (const migrate::sql::postgres::ParseError& e) {
    expected_error = e.what();
  } catch (const migrate::Error&) {
    return;  // libpg_query's JSON that nlohmann::json refuses (not UTF-8)
  }
  try {
    const pg::Tree tree = pg::parse_tree(sql);
    if (!parsed) fail("parse_tree accepted SQL the parser rejects", escaped(sql));
    const std::string d = difference(expected, tree.root(), "$");
    if (!d.empty()) fail("parse_tree differs from nlohmann::json at " + d, escaped(sql));
  } catch (const migrate::sql::postgres::ParseError& e) {
    if (parsed || expected_error != e.what())
      fail("parse_tree's parse error differs", escaped(sql) + ": " + e.what());
  }
}

void check_json(const std::string& text) {
  const json expected = json::parse(text, nullptr, /*allow_exceptions=*/false);
  try {
    const pg::Tree tree = pg::read_tree(text);
    if (expected.is_discarded()) return;
    const std::string d = difference(expected, tree.root(), "$");
    if (!d.empty()) fail("read_tree differs from nlohmann::json at " + d, escaped(text));
  } catch (const migrate::Error&) {
    if (!expected.is_discarded())
      fail("read_tree refused JSON that nlohmann::json reads", escaped(text));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  check_sql(input);
  check_json(input);
  return 0;
}
