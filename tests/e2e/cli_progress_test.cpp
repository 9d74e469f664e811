// Issue 12, progress: off a terminal one plain line per finished step and
// nothing else (tests and docs compare it); on a terminal (run under
// script(1)) a live line for a step running longer than a second.
#include "test_paths.h"
#include "e2e/project_fixture.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;

namespace {

// A step that takes well over a second on any machine: a recursive CTE
// counting to 30 million.
const char* kSlowStep =
    "CREATE TABLE t_slow AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
    "WHERE x < 30000000) SELECT count(*) AS n FROM c;";

}  // namespace

TEST_CASE("progress: off a terminal, one line per step and no live line", "[e2e][progress]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add({"b2", {"a1"}, kSlowStep, "DROP TABLE t_slow;"});
  auto up = p.run({"upgrade", "head"});
  REQUIRE_THAT(up, ExitedWith(0));
  CHECK(up.out.find('\r') == std::string::npos);
  CHECK(up.err.find('\r') == std::string::npos);
  CHECK(up.err.empty());
  CHECK_THAT(up.out, Contains("Running upgrade <base> -> a1, rev a1  ("));
  CHECK_THAT(up.out, Contains("Running upgrade a1 -> b2, rev b2  ("));
}

TEST_CASE("progress: on a terminal, a step running over a second gets a live line",
          "[e2e][progress]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add({"b2", {"a1"}, kSlowStep, "DROP TABLE t_slow;"});
  // script(1) gives migrate a terminal; -e: its exit code.
  auto up = testsupport::run_program(
      p.dir.path(), {"script", "-qec", std::string(MIGRATE_BINARY) + " upgrade head", "/dev/null"});
  REQUIRE_THAT(up, ExitedWith(0));
  // Drawn after a second, in place, then cleared before the step's line.
  CHECK_THAT(up.out, Contains("\r\033[KRunning upgrade a1 -> b2, rev b2 ... 1s"));
  CHECK_THAT(up.out, Contains("\r\033[KRunning upgrade a1 -> b2, rev b2  ("));
  // The quick step never drew one.
  CHECK(up.out.find("<base> -> a1, rev a1 ...") == std::string::npos);
  CHECK(p.version() == std::vector<std::string>{"b2"});
}
