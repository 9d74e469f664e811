// The graph's name index (src/graph/name_index.h): an open-addressing hash
// table; every name added is found, no other is, and growth keeps them all.
#include "graph/name_index.h"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <vector>

using migrate::graph::detail::NameIndex;

TEST_CASE("NameIndex finds what was added and nothing else", "[name_index]") {
  NameIndex index;
  CHECK(index.empty());
  CHECK(index.find("a1") == index.end());  // empty: no table yet
  CHECK_THROWS_AS(index.at("a1"), std::out_of_range);

  // Keys are views: keep the strings alive. Grown one by one (no reserve),
  // so the table is rebuilt several times on the way.
  std::vector<std::string> keys;
  for (int i = 0; i < 5000; ++i) keys.push_back("rev" + std::to_string(i * 7919 % 100003));
  keys.push_back("");  // an empty name is a name too
  keys.push_back("a-much-longer-branch-label-than-any-id");
  for (std::uint32_t i = 0; i < keys.size(); ++i) {
    auto [it, fresh] = index.emplace(keys[i], i);
    REQUIRE(fresh);
    CHECK(it->first == keys[i]);
    CHECK(it->second == i);
  }
  REQUIRE(index.size() == keys.size());
  for (std::uint32_t i = 0; i < keys.size(); ++i) {
    auto it = index.find(keys[i]);
    REQUIRE(it != index.end());
    CHECK(it->second == i);
    CHECK(index.at(keys[i]) == i);
    CHECK(index.count(keys[i]) == 1);
  }
  CHECK(index.count("rev") == 0);
  CHECK(index.count("rev1x") == 0);
  CHECK(index.find("a-much-longer-branch-label-than-any-iD") == index.end());

  // A second emplace keeps the first value.
  auto [again, fresh] = index.emplace(keys[10], 999);
  CHECK_FALSE(fresh);
  CHECK(again->second == 10);
  CHECK(index.size() == keys.size());

  // Iteration is in insertion order.
  std::uint32_t expect = 0;
  for (const auto& [key, value] : index) {
    CHECK(key == keys[expect]);
    CHECK(value == expect);
    ++expect;
  }
  CHECK(expect == keys.size());
}

TEST_CASE("NameIndex with a reserve", "[name_index]") {
  NameIndex index;
  index.reserve(3);
  std::vector<std::string> keys = {"head", "heads", "base", "current", "x"};
  for (std::uint32_t i = 0; i < keys.size(); ++i) REQUIRE(index.emplace(keys[i], i).second);
  for (std::uint32_t i = 0; i < keys.size(); ++i) CHECK(index.at(keys[i]) == i);
  CHECK(index.find("hea") == index.end());
}
