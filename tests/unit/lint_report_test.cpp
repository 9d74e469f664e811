// The reporters: human, json, SARIF 2.1.0 structure, GitHub annotations.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "lint/report.h"
#include "lint/rules.h"
#include "lint_support.h"

using namespace linttest;

namespace {

std::vector<Finding> sample() {
  return lint_sections(Dialect::postgres, {"DELETE FROM old;\nALTER TABLE old DROP COLUMN a;"});
}

}  // namespace

TEST_CASE("lint report: SARIF 2.1.0 with rules and physical locations", "[lint][report]") {
  std::ostringstream out;
  migrate::lint::write_sarif(out, sample());
  auto doc = nlohmann::json::parse(out.str());
  CHECK(doc["version"] == "2.1.0");
  CHECK(doc["$schema"].get<std::string>().find("sarif-2.1.0") != std::string::npos);
  const auto& run = doc["runs"][0];
  CHECK(run["tool"]["driver"]["name"] == "migrate");
  const auto& rules = run["tool"]["driver"]["rules"];
  REQUIRE(rules.size() == migrate::lint::all_rules().size());
  for (const auto& r : rules) {
    CHECK_FALSE(r["id"].get<std::string>().empty());
    CHECK_FALSE(r["help"]["text"].get<std::string>().empty());
    CHECK_FALSE(r["shortDescription"]["text"].get<std::string>().empty());
  }
  const auto& results = run["results"];
  REQUIRE(results.size() == 2);
  CHECK(results[0]["ruleId"] == "delete-without-where");
  CHECK(results[0]["level"] == "error");
  CHECK(rules[results[0]["ruleIndex"].get<std::size_t>()]["id"] == "delete-without-where");
  const auto& loc = results[0]["locations"][0]["physicalLocation"];
  CHECK(loc["artifactLocation"]["uri"] == "r1.sql");
  CHECK(loc["region"]["startLine"] == 10);
  CHECK(loc["region"]["startColumn"] == 1);
  CHECK(results[1]["level"] == "warning");
  CHECK(results[1]["locations"][0]["physicalLocation"]["region"]["startLine"] == 11);
}

TEST_CASE("lint report: json, human and github", "[lint][report]") {
  auto f = sample();
  auto summary = migrate::lint::summarize(f, 1, 2);
  CHECK(summary.errors == 1);
  CHECK(summary.warnings == 1);

  std::ostringstream json;
  migrate::lint::write_json(json, f, summary);
  auto doc = nlohmann::json::parse(json.str());
  CHECK(doc["findings"][0]["rule"] == "delete-without-where");
  CHECK(doc["findings"][0]["line"] == 10);
  CHECK(doc["findings"][0]["column"] == 1);
  CHECK(doc["findings"][0]["severity"] == "error");
  CHECK_FALSE(doc["findings"][0]["help"].get<std::string>().empty());
  CHECK(doc["summary"]["errors"] == 1);

  std::ostringstream human;
  migrate::lint::write_human(human, f, summary);
  CHECK_THAT(human.str(), Catch::Contains("r1.sql:10:1: error[delete-without-where]: DELETE "
                                          "without WHERE removes every row of old"));
  CHECK_THAT(human.str(), Catch::Contains("   10 | DELETE FROM old;"));
  CHECK_THAT(human.str(), Catch::Contains("1 error, 1 warning in 1 file (2 statements)"));

  std::ostringstream gh;
  migrate::lint::write_github(gh, f, summary);
  CHECK_THAT(gh.str(), Catch::StartsWith("::error file=r1.sql,line=10,col=1,title=migrate "
                                         "lint%3A delete-without-where::DELETE without WHERE"));
  CHECK_THAT(gh.str(), Catch::Contains("%0Ahelp: "));
  CHECK_THAT(gh.str(), Catch::Contains("::warning file=r1.sql,line=11,col=1,"));
}
