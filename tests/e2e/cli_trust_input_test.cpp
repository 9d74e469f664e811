// Inputs and environments that used to break a run later or silently: a
// closed output pipe, a file size limit while writing files, names the
// target grammar would misread, empty and overflowing targets, table names
// PostgreSQL would cut, and the bare command.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "test_paths.h"
#include "e2e/project_fixture.h"
#include "support/matchers.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using e2e::Project;
using testsupport::ExitedWith;

namespace {

// Runs `migrate ARGS` in `dir` under `ulimit -f 0` (no file may grow past 0
// bytes): what a full disk does to a write, without root. The output goes
// through a pipe, which the limit does not apply to; stderr is merged.
testsupport::RunResult run_with_no_space(const std::string& dir, const std::string& args) {
  return testsupport::run_program(dir, {"bash", "-c",
                                        "(ulimit -f 0 && exec " + std::string(MIGRATE_BINARY) +
                                            " " + args + ") 2>&1 | cat; exit ${PIPESTATUS[0]}"});
}

std::vector<std::string> sql_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("a closed output pipe does not stop an upgrade", "[cli][sigpipe]") {
  Project p;
  for (int i = 1; i <= 6; ++i)
    p.add_table_rev("r" + std::to_string(i),
                    i == 1 ? std::vector<std::string>{}
                           : std::vector<std::string>{"r" + std::to_string(i - 1)});
  // The reading end is closed before migrate starts: every write fails
  // (EPIPE), deterministically. Python runs the child with SIGPIPE at its
  // default action, as a shell would.
  const std::string script =
      "import os, subprocess, sys\n"
      "r, w = os.pipe()\n"
      "os.close(r)\n"
      "rc = subprocess.call([sys.argv[1], 'upgrade', 'head'], stdout=w, stderr=w)\n"
      "print(rc)\n";
  auto r = testsupport::run_program(p.dir.path(), {"python3", "-c", script, MIGRATE_BINARY});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(r.out == "0\n");  // not -13 (killed by SIGPIPE) or 141
  CHECK(p.version() == std::vector<std::string>{"r6"});
  CHECK(p.tables().size() == 6);
}

TEST_CASE("a write that fails leaves no half-made file and a retry works", "[cli][atomic]") {
  SECTION("init") {
    testsupport::TempDir dir;
    auto r = run_with_no_space(dir.path(), "init migrations");
    CHECK_THAT(r, ExitedWith(1));
    CHECK_THAT(r.out, Contains("cannot write: File too large"));
    CHECK(fs::is_empty(dir.path()));
    auto retry = testsupport::run_migrate(dir.path(), {"init", "migrations"});
    REQUIRE_THAT(retry, ExitedWith(0));
    CHECK(fs::exists(dir / "migrate.yaml"));
    CHECK(fs::exists(dir / "migrations/script.sql.tmpl"));
  }
  SECTION("revision") {
    Project p;
    p.add_table_rev("r1", {});
    auto r = run_with_no_space(p.dir.path(), "revision -m second");
    CHECK_THAT(r, ExitedWith(1));
    CHECK_THAT(r.out, Contains("cannot write: File too large"));
    CHECK(sql_files(p.versions()) == std::vector<std::string>{"r1_rev.sql"});
    REQUIRE_THAT(p.run({"heads"}), ExitedWith(0));
    REQUIRE_THAT(p.run({"revision", "-m", "second"}), ExitedWith(0));
    CHECK(sql_files(p.versions()).size() == 2);
  }
}

TEST_CASE("a revision id or branch label that is a target keyword is refused", "[cli][names]") {
  Project p;
  for (const char* word : {"head", "heads", "base", "current"}) {
    auto r = p.run({"revision", "-m", "x", "--branch-label", word});
    CHECK_THAT(r, ExitedWith(1));
    CHECK_THAT(r.err, Contains("branch label '" + std::string(word) + "' is a target keyword"));
    r = p.run({"revision", "-m", "x", "--rev-id", word});
    CHECK_THAT(r, ExitedWith(1));
    CHECK_THAT(r.err, Contains("revision id '" + std::string(word) + "' is a target keyword"));
  }
  for (const char* bad : {"a@b", "a:b", "a+1", "a-1", "a,b"}) {
    CHECK_THAT(p.run({"revision", "-m", "x", "--branch-label", bad}), ExitedWith(1));
  }
  CHECK(sql_files(p.versions()).empty());
  // A file written by hand with such a label names its line.
  p.add_table_rev("r1", {}, {"heads"});
  auto r = p.run({"heads"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("r1_rev.sql:3: branch label 'heads' is a target keyword"));
}

TEST_CASE("an empty or overflowing target is refused", "[cli][targets]") {
  Project p;
  p.add_table_rev("r1", {});
  auto r = p.run({"stamp", ""});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("empty revision target"));
  // Nothing stamped (a refused stamp creates no table either).
  CHECK(p.version().empty());
  r = p.run({"upgrade", "+99999999999999999999"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("relative revision +99999999999999999999: the count is too large"));
}

TEST_CASE("table names that would collide or be cut by PostgreSQL are refused", "[cli][config]") {
  Project p;
  testsupport::write_file(p.path("migrate.yaml"),
                          "script_location: migrations\ndatabase_url: sqlite:///app.db\n"
                          "version_table: audit\nhistory_table: audit\n");
  auto r = p.run({"current"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err,
             Contains("migrate.yaml:4: `history_table` and `version_table` are both 'audit'"));
  testsupport::write_file(p.path("migrate.yaml"),
                          "script_location: migrations\n"
                          "database_url: sqlite:///app.db\n"
                          "version_table: " +
                              std::string(63, 'v') + "\n");
  r = p.run({"current"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("migrate.yaml:3: `version_table` is 63 bytes long; at most 59"));
  CHECK_FALSE(fs::exists(p.db()));
}

TEST_CASE("bare migrate lists the commands; each command's help names the global options",
          "[cli][help]") {
  Project p;
  auto r = p.run({});
  CHECK_THAT(r, ExitedWith(2));
  CHECK_THAT(r.out, Contains("upgrade") && Contains("revision") && Contains("--config"));
  r = p.run({"upgrade", "--help"});
  CHECK_THAT(r, ExitedWith(0));
  CHECK_THAT(r.out, Contains("Global options") && Contains("--url") && Contains("--wait"));
}
