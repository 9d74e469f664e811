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
#include <vector>

#include "fuzz_support.h"
#include "lint/pg_tree.h"
#include "sql/postgres/parse.h"
#include "util/error.h"

using migrate::fuzz::escaped;
using migrate::fuzz::fail;
namespace pg = migrate::lint::pg;
using nlohmann::json;

namespace {

// Where the two differ, as a path ("" when they do not). Walks both trees
// with a stack of its own, not by recursion: the parser accepts expressions
// nested thousands deep (its own limit is the server's max_stack_depth), and
// a recursive walk in this oracle overflowed the stack under ASan at such a
// depth (found by the campaign, in the oracle, not in the reader).
std::string difference(const json& root, pg::Value root_value) {
  struct Node {
    const json* j;
    pg::Value v;
    std::size_t parent;  // index in `nodes`, kNone at the root
    std::string step;    // "$", "[3]", ".key"
  };
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<Node> nodes{{&root, root_value, kNone, "$"}};
  std::vector<std::size_t> todo{0};
  const auto path_of = [&nodes](std::size_t i) {
    std::vector<const std::string*> steps;
    for (; i != kNone; i = nodes[i].parent) steps.push_back(&nodes[i].step);
    std::string out;
    for (auto s = steps.rbegin(); s != steps.rend(); ++s) out += **s;
    return out;
  };
  while (!todo.empty()) {
    const std::size_t i = todo.back();
    todo.pop_back();
    const json& j = *nodes[i].j;
    const pg::Value v = nodes[i].v;
    bool same = true;
    switch (j.type()) {
      case json::value_t::null:
        same = v.is_null();
        break;
      case json::value_t::boolean:
        same = v.is_boolean() && v.boolean() == j.get<bool>();
        break;
      case json::value_t::number_integer:
      case json::value_t::number_unsigned:
        same = v.is_number_integer() && v.integer() == j.get<long long>();
        break;
      case json::value_t::number_float:
        same = !v.is_null() && !v.is_boolean() && !v.is_number_integer() && !v.is_string() &&
               !v.is_array() && !v.is_object();
        break;
      case json::value_t::string:
        same = v.is_string() && v.string() == j.get_ref<const std::string&>();
        break;
      case json::value_t::array: {
        if (!v.is_array() || v.size() != j.size()) return path_of(i) + " (array size)";
        // Pushed last to first, so the first element is compared first.
        for (std::size_t k = j.size(); k-- > 0;) {
          nodes.push_back({&j[k], v[k], i, "[" + std::to_string(k) + "]"});
          todo.push_back(nodes.size() - 1);
        }
        break;
      }
      case json::value_t::object: {
        if (!v.is_object() || v.size() != j.size()) return path_of(i) + " (object size)";
        const pg::Member* m = v.members_begin();
        std::vector<std::size_t> children;
        for (const auto& [key, value] : j.items()) {
          if (m->key != key) return path_of(i) + " (key order at " + key + ")";
          nodes.push_back({&value, pg::Value(&m->value), i, "." + key});
          children.push_back(nodes.size() - 1);
          ++m;
        }
        todo.insert(todo.end(), children.rbegin(), children.rend());
        break;
      }
      default:
        return path_of(i) + " (type)";
    }
    if (!same) return path_of(i);
  }
  return "";
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
    const std::string d = difference(expected, tree.root());
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
    const std::string d = difference(expected, tree.root());
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
