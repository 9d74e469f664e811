// tests/lint_corpus/: `migrate lint` flags every dangerous case with the
// rule its file is named after and reports nothing at all on the safe ones
// (tests/lint_corpus/README.md). bench/lint.sh runs squawk on the same files.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "test_paths.h"
#include "e2e/project_fixture.h"
#include "support/matchers.h"

namespace fs = std::filesystem;

namespace {

struct Case {
  std::string name;
  std::vector<std::string> files;  // in run order
};

std::vector<Case> cases(const std::string& dir) {
  std::vector<Case> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    Case c{e.path().stem().string(), {}};
    if (e.is_directory()) {
      for (const auto& f : fs::directory_iterator(e.path())) c.files.push_back(f.path().string());
      std::sort(c.files.begin(), c.files.end());
    } else {
      c.files.push_back(e.path().string());
    }
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
  return out;
}

std::vector<std::string> lint_rules(const e2e::Project& p, const Case& c) {
  std::vector<std::string> args = {"--url", "postgresql://corpus@localhost/corpus", "lint",
                                   "--format", "json"};
  args.insert(args.end(), c.files.begin(), c.files.end());
  auto r = p.run(args);
  INFO(r.out << r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  std::vector<std::string> rules;
  const auto report = nlohmann::json::parse(r.out);
  for (const auto& f : report["findings"]) rules.push_back(f["rule"]);
  return rules;
}

const std::string kCorpus = std::string(MIGRATE_REPO_DIR) + "/tests/lint_corpus";

}  // namespace

TEST_CASE("lint corpus: every dangerous case is flagged with its rule", "[e2e][sqlite][lint]") {
  e2e::Project p;
  const auto list = cases(kCorpus + "/dangerous");
  REQUIRE(list.size() >= 30);
  for (const auto& c : list) {
    const std::string rule = c.name.substr(0, c.name.find("__"));
    auto rules = lint_rules(p, c);
    INFO(c.name << ": " << rules.size() << " findings");
    CHECK(std::find(rules.begin(), rules.end(), rule) != rules.end());
  }
}

TEST_CASE("lint corpus: no finding on a safe case", "[e2e][sqlite][lint]") {
  e2e::Project p;
  const auto list = cases(kCorpus + "/safe");
  REQUIRE(list.size() >= 20);
  for (const auto& c : list) {
    auto rules = lint_rules(p, c);
    std::string all;
    for (const auto& r : rules) all += r + " ";
    INFO(c.name << ": " << all);
    CHECK(rules.empty());
  }
}
