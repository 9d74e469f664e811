// The PostgreSQL rules' parse tree (lint/pg_tree.h) against nlohmann::json,
// the general JSON reader the rules used before: on libpg_query's trees of
// the lint corpus and of statements with escapes, numbers and deep nesting,
// both must hold the same values with object members in the same (key)
// order, which is what walks and location_in() depend on. Malformed JSON is
// refused.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "test_paths.h"
#include "lint/pg_tree.h"
#include "sql/postgres/parse.h"
#include "util/error.h"
#include "util/file_io.h"

namespace {

namespace pg = migrate::lint::pg;
using nlohmann::json;

// Where the two differ ("" when they do not), as a path: $.stmts[0].stmt...
std::string difference(const json& j, pg::Value v, const std::string& path = "$") {
  switch (j.type()) {
    case json::value_t::null:
      return v.is_null() ? "" : path + ": not null";
    case json::value_t::boolean:
      return v.is_boolean() && v.boolean() == j.get<bool>() ? "" : path + ": boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return v.is_number_integer() && v.integer() == j.get<long long>() ? "" : path + ": integer";
    case json::value_t::number_float:
      return !v.is_null() && !v.is_number_integer() && !v.is_string() && !v.is_array() &&
                     !v.is_object() && !v.is_boolean()
                 ? ""
                 : path + ": number";
    case json::value_t::string:
      return v.is_string() && v.string() == j.get_ref<const std::string&>() ? ""
                                                                            : path + ": string";
    case json::value_t::array: {
      if (!v.is_array() || v.size() != j.size()) return path + ": array size";
      for (std::size_t i = 0; i < j.size(); ++i) {
        std::string d = difference(j[i], v[i], path + "[" + std::to_string(i) + "]");
        if (!d.empty()) return d;
      }
      return "";
    }
    case json::value_t::object: {
      if (!v.is_object() || v.size() != j.size()) return path + ": object size";
      const pg::Member* m = v.members_begin();
      for (const auto& [key, value] : j.items()) {
        if (m->key != key) return path + ": key " + key + " vs " + std::string(m->key);
        std::string d = difference(value, pg::Value(&m->value), path + "." + key);
        if (!d.empty()) return d;
        ++m;
      }
      return "";
    }
    default:
      return path + ": unexpected type";
  }
}

std::vector<std::string> corpus() {
  std::vector<std::string> out;
  const std::filesystem::path root = std::filesystem::path(MIGRATE_REPO_DIR) / "tests/lint_corpus";
  for (const auto& e : std::filesystem::recursive_directory_iterator(root))
    if (e.path().extension() == ".sql") out.push_back(migrate::util::read_file(e.path().string()));
  return out;
}

}  // namespace

TEST_CASE("the lint tree holds what nlohmann::json reads, in the same order", "[unit][lint]") {
  std::vector<std::string> sqls = corpus();
  REQUIRE(sqls.size() > 40);
  std::string deep = "SELECT ";
  for (int i = 0; i < 300; ++i) deep += "(1 + ";
  deep += "1";
  for (int i = 0; i < 300; ++i) deep += ")";
  sqls.insert(
      sqls.end(),
      {
          "SELECT 'caf\xc3\xa9', E'tab\\there \"quoted\" \\\\ back', '\xf0\x9f\x98\x80', "
          "U&'\\0041', 1.5e10, -42, 9223372036854775807, 3.14;",
          "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC DELETE FROM t; "
          "SELECT 1; END;",
          "ALTER TABLE t ADD COLUMN c varchar(20) NOT NULL DEFAULT random()::text, "
          "ALTER COLUMN d TYPE numeric(10, 2), DROP CONSTRAINT t_x_fkey;",
          "WITH gone AS (DELETE FROM t WHERE true OR x = 1 RETURNING *) SELECT * FROM gone;",
          "LOCK TABLE a IN ACCESS SHARE MODE; VACUUM (FULL, ANALYZE) t; SELECT $1, '';",
          deep,
      });
  for (const std::string& sql : sqls) {
    INFO(sql);
    const json expected = migrate::sql::postgres::parse(sql);
    const pg::Tree tree = pg::parse_tree(sql);
    CHECK(difference(expected, tree.root()) == "");
  }
}

TEST_CASE("the lint tree reads any JSON as nlohmann::json does", "[unit][lint]") {
  const std::string text =
      R"( {"b": [1, -2, 3.5, 1e3, true, false, null, {}, []], "a": "x\u00e9\ud83d\ude00\n\"\\\/",)"
      R"( "c": {"z": 1, "y": {"x": [[]]}}, "b": "last wins", "d": 18446744073709551615} )";
  const json expected = json::parse(text);
  const pg::Tree tree = pg::read_tree(text);
  CHECK(difference(expected, tree.root()) == "");
  CHECK(pg::field(tree.root(), "b").string() == "last wins");
  CHECK(pg::field(tree.root(), "a").string() == "x\xc3\xa9\xf0\x9f\x98\x80\n\"\\/");
  // A NUL ends the input, and a byte order mark is skipped, as
  // nlohmann::json does.
  const std::string nul("2\0garbage", 9);
  CHECK(difference(json::parse(nul), pg::read_tree(nul).root()) == "");
  const std::string bom = "\xEF\xBB\xBF{\"a\": [1]}";
  CHECK(difference(json::parse(bom), pg::read_tree(bom).root()) == "");

  for (const std::string bad :
       {"", "{", "[1,]", "{\"a\":}", "{\"a\" 1}", "01", "1.", "-", "tru", "\"\\ud800\"",
        "\"\\udc00\"", "\"\\x\"", "\"a\nb\"", "[1] 2", "{\"a\":1,}", "\"open"}) {
    INFO(bad);
    CHECK_THROWS_AS(pg::read_tree(bad), migrate::Error);
    CHECK_THROWS(json::parse(bad));
  }
}

TEST_CASE("a missing field reads as null, and null as nothing", "[unit][lint]") {
  const pg::Tree tree = pg::parse_tree("DELETE FROM accounts;");
  const pg::Value stmt = pg::field(pg::field(tree.root(), "stmts")[0], "stmt");
  CHECK(pg::kind_of(stmt) == "DeleteStmt");
  const pg::Value body = pg::body_of(stmt);
  CHECK(pg::table_of(pg::field(body, "relation")) == "accounts");
  CHECK(pg::field(body, "whereClause").is_null());
  CHECK(pg::field(pg::field(body, "whereClause"), "anything").is_null());
  CHECK(pg::kind_of(pg::field(body, "nothing")).empty());
  std::size_t n = 0;
  for (pg::Value v : pg::field(body, "nothing")) n += v.size() + 1;
  CHECK(n == 0);
  CHECK(pg::location_in(stmt, 99) == 12);
}
