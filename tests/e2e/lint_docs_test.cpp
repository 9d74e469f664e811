// docs/safety.md's examples, executed: every block marked
// `<!-- lint-example: fires RULE -->` must make `migrate lint` report RULE,
// every `<!-- lint-example: silent RULE -->` block must not; and every rule
// of the catalogue is documented there.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>

#include "test_paths.h"
#include "e2e/project_fixture.h"
#include "lint/rules.h"
#include "support/matchers.h"

namespace {

struct Example {
  bool fires;
  std::string rule;
  std::string sql;
  int line;  // in docs/safety.md, for messages
};

std::vector<Example> examples(const std::string& doc) {
  std::vector<Example> out;
  static const std::regex marker(R"(<!-- lint-example: (fires|silent) ([a-z-]+) -->\n```sql\n)");
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), marker); it != std::sregex_iterator();
       ++it) {
    const auto& m = *it;
    const std::size_t body = static_cast<std::size_t>(m.position(0) + m.length(0));
    const std::size_t end = doc.find("```", body);
    REQUIRE(end != std::string::npos);
    const int line = 1 + static_cast<int>(std::count(
                             doc.begin(), doc.begin() + static_cast<std::ptrdiff_t>(body), '\n'));
    out.push_back({m[1] == "fires", m[2], doc.substr(body, end - body), line});
  }
  return out;
}

}  // namespace

TEST_CASE("docs/safety.md: every example does what it says", "[e2e][sqlite][lint][docs]") {
  const std::string doc = testsupport::read_file(std::string(MIGRATE_REPO_DIR) + "/docs/safety.md");
  const auto list = examples(doc);
  REQUIRE(list.size() >= 30);
  e2e::Project p;
  int n = 0;
  for (const auto& ex : list) {
    const std::string file = p.path("example_" + std::to_string(++n) + ".sql");
    testsupport::write_file(file, ex.sql);
    auto r = p.run({"--url", "postgresql://docs@localhost/docs", "lint", file, "--format", "json"});
    INFO("docs/safety.md:" << ex.line << " (" << (ex.fires ? "fires " : "silent ") << ex.rule
                           << ")\n"
                           << ex.sql << "\n"
                           << r.out << r.err);
    REQUIRE((r.exit_code == 0 || r.exit_code == 1));
    const auto report = nlohmann::json::parse(r.out);
    bool found = false;
    for (const auto& f : report["findings"]) found = found || f["rule"] == ex.rule;
    CHECK(found == ex.fires);
  }
}

TEST_CASE("docs/safety.md documents every rule", "[e2e][sqlite][lint][docs]") {
  const std::string doc = testsupport::read_file(std::string(MIGRATE_REPO_DIR) + "/docs/safety.md");
  for (const auto& r : migrate::lint::all_rules()) {
    INFO(r.name);
    CHECK(doc.find(std::string("`") + r.name + "`") != std::string::npos);
  }
}
