// End to end: read-only commands end the process without freeing what they
// loaded (cmd_inspect.cpp, exit_now). Their whole output must still arrive,
// however long, and their exit codes must not change.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "e2e/project_fixture.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;

namespace {

std::size_t count_lines(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// A chain r0000 <- r0001 <- ... of `n` revisions.
void add_chain(const e2e::Project& p, int n) {
  char id[16];
  std::string prev;
  for (int i = 0; i < n; ++i) {
    std::snprintf(id, sizeof id, "r%04d", i);
    p.add_table_rev(id, prev.empty() ? std::vector<std::string>{} : std::vector<std::string>{prev});
    prev = id;
  }
}

}  // namespace

TEST_CASE("read-only commands print everything before they exit", "[e2e][exit]") {
  e2e::Project p;
  add_chain(p, 1500);  // history -v: far more than one stdio buffer

  auto history = p.run({"history", "-v"});
  REQUIRE_THAT(history, ExitedWith(0));
  CHECK(history.err.empty());
  CHECK_THAT(history.out, Contains("Rev: r1499 (head)"));
  CHECK_THAT(history.out, Contains("Rev: r0000"));
  // The last revision listed (the base) ends the output, whole.
  CHECK(history.out.size() > 64 * 1024);
  CHECK(history.out.substr(history.out.size() - 11) == "rev r0000\n\n");

  auto plain = p.run({"history"});
  REQUIRE_THAT(plain, ExitedWith(0));
  CHECK(count_lines(plain.out) == 1500);

  auto json = p.run({"history", "--json"});
  REQUIRE_THAT(json, ExitedWith(0));
  auto parsed = nlohmann::json::parse(json.out);
  CHECK(parsed["revisions"].size() == 1500);

  auto heads = p.run({"heads"});
  REQUIRE_THAT(heads, ExitedWith(0));
  CHECK(heads.out == "r1499 (head)\n");

  auto branches = p.run({"branches"});
  REQUIRE_THAT(branches, ExitedWith(0));
  CHECK(branches.out.empty());

  auto show = p.run({"show", "r07"});
  CHECK_THAT(show, ExitedWith(1));  // ambiguous prefix: an error, as before
  CHECK_THAT(show.err, Contains("r07"));
  show = p.run({"show", "r0700"});
  REQUIRE_THAT(show, ExitedWith(0));
  CHECK_THAT(show.out, Contains("CREATE TABLE t_r0700"));
}

TEST_CASE("read-only commands that read the database keep their exit codes", "[e2e][exit]") {
  e2e::Project p;
  add_chain(p, 3);
  REQUIRE_THAT(p.run({"upgrade", "r0001"}), ExitedWith(0));

  auto current = p.run({"current", "--check-heads"});
  CHECK_THAT(current, ExitedWith(3));
  CHECK(current.out == "r0001\n");
  CHECK_THAT(current.err, Contains("not at its heads"));

  auto marked = p.run({"history", "-i"});
  REQUIRE_THAT(marked, ExitedWith(0));
  CHECK_THAT(marked.out, Contains("r0000 -> r0001 (current), rev r0001"));

  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  current = p.run({"current", "--check-heads"});
  CHECK_THAT(current, ExitedWith(0));
  CHECK(current.out == "r0002 (head)\n");
}
