// Linter::lint_all: sections loaded and parsed ahead on several threads give
// the findings, in the same order, that lint() one section at a time gives
// (the run's state still flows from one section to the next), and an
// exception from the loader surfaces after the sections before it.
#include <catch2/catch.hpp>

#include "lint_support.h"
#include "util/error.h"

namespace {

using migrate::lint::Dialect;
using migrate::lint::Finding;
using migrate::lint::Linter;
using migrate::lint::Settings;
using migrate::lint::Source;

std::vector<Source> sections() {
  std::vector<Source> out;
  for (int i = 0; i < 150; ++i) {
    Source s;
    s.file = "r" + std::to_string(i) + ".sql";
    s.first_line = 9;
    const std::string t = "t" + std::to_string(i);
    const std::string prev = "t" + std::to_string(i == 0 ? 0 : i - 1);
    // A new table (silent), work on the previous one (new: silent), a
    // DELETE without WHERE on an existing table (fires), every 7th a parse
    // error.
    s.sql = "CREATE TABLE " + t + " (id bigint);\nCREATE INDEX ON " + prev + " (id);\n" +
            "DELETE FROM accounts;\n" + (i % 7 == 0 ? "SELEC 1;\n" : "");
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<std::string> keys(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs) out.push_back(f.file + ":" + std::to_string(f.line) + ":" + f.rule);
  return out;
}

}  // namespace

TEST_CASE("lint_all on threads finds what lint() finds, in order", "[unit][lint]") {
  const std::vector<Source> all = sections();
  Linter one(Dialect::postgres, Settings());
  std::vector<Finding> expected;
  for (const auto& s : all) one.lint(s, expected);
  REQUIRE(expected.size() > 150);
  for (unsigned threads : {1u, 2u, 3u}) {
    Linter many(Dialect::postgres, Settings());
    std::vector<Finding> got;
    many.lint_all(
        all.size(), [&](std::size_t i) { return all[i]; }, got, threads);
    INFO("threads: " << threads);
    CHECK(keys(got) == keys(expected));
    CHECK(many.statements() == one.statements());
  }
}

TEST_CASE("lint_all: a failing load is thrown after the sections before it", "[unit][lint]") {
  const std::vector<Source> all = sections();
  Linter linter(Dialect::postgres, Settings());
  std::vector<Finding> got;
  auto load = [&](std::size_t i) {
    if (i == 100) throw migrate::Error("cannot read r100.sql");
    return all[i];
  };
  CHECK_THROWS_WITH(linter.lint_all(all.size(), load, got, 2), "cannot read r100.sql");
  CHECK(got.size() > 0);
  for (const auto& f : got) CHECK(f.file != "r100.sql");
  CHECK(got.back().file == "r99.sql");
}
