// End to end: the header cache (migrations/.migrate-cache) never hides an
// edit. The files are aged past the cache's racy window first, so that the
// cache really is trusted when the edit comes.
#include <chrono>
#include <filesystem>
#include <thread>

#include "e2e/project_fixture.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;
using testsupport::read_file;
using testsupport::write_file;
using V = std::vector<std::string>;

namespace {

// Past the 2-second racy window of every file written so far (their ctime
// cannot be set back, so time has to pass).
void age_files() { std::this_thread::sleep_for(std::chrono::milliseconds(2300)); }

std::string cache_file(const e2e::Project& p) {
  return p.path("migrations/.migrate-cache/headers");
}

}  // namespace

TEST_CASE("an edited header is seen by the next command, cache or not", "[e2e][cache]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"});
  p.add_table_rev("c3", {"b2"});
  age_files();

  auto first = p.run({"heads"});
  REQUIRE_THAT(first, ExitedWith(0));
  CHECK(first.out == "c3 (head)\n");
  REQUIRE(std::filesystem::exists(cache_file(p)));
  const auto written = std::filesystem::last_write_time(cache_file(p));
  // Every entry trusted: the next run changes nothing in the cache.
  REQUIRE(p.run({"heads"}).out == "c3 (head)\n");
  CHECK(std::filesystem::last_write_time(cache_file(p)) == written);

  SECTION("a new down_revision (same size)") {
    std::string text = read_file(p.rev_path("c3"));
    text.replace(text.find("down_revision: b2"), 17, "down_revision: a1");
    write_file(p.rev_path("c3"), text);
    auto heads = p.run({"heads"});
    REQUIRE_THAT(heads, ExitedWith(0));
    CHECK(heads.out == "b2 (head)\nc3 (head)\n");
  }
  SECTION("the mtime put back after the edit") {
    const auto mtime = std::filesystem::last_write_time(p.rev_path("c3"));
    std::string text = read_file(p.rev_path("c3"));
    text.replace(text.find("message: rev c3"), 15, "message: REV C3");
    write_file(p.rev_path("c3"), text);
    std::filesystem::last_write_time(p.rev_path("c3"), mtime);
    auto history = p.run({"history"});
    REQUIRE_THAT(history, ExitedWith(0));
    CHECK_THAT(history.out, Contains("b2 -> c3 (head), REV C3"));
  }
  SECTION("a new file and a removed one") {
    p.add_table_rev("d4", {"c3"});
    CHECK(p.run({"heads"}).out == "d4 (head)\n");
    std::filesystem::remove(p.rev_path("d4"));
    std::filesystem::remove(p.rev_path("c3"));
    CHECK(p.run({"heads"}).out == "b2 (head)\n");
  }
  SECTION("the SQL a step runs is the file's, not the cache's") {
    std::string text = read_file(p.rev_path("b2"));
    text.replace(text.find("CREATE TABLE t_b2"), 17, "CREATE TABLE t_B2");
    write_file(p.rev_path("b2"), text);
    REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
    CHECK(p.rows("SELECT name FROM sqlite_master WHERE name = 't_B2'") == V{"t_B2"});
  }
  SECTION("a damaged cache file is ignored") {
    write_file(cache_file(p), "garbage");
    CHECK(p.run({"heads"}).out == "c3 (head)\n");
    CHECK(read_file(cache_file(p)) != "garbage");  // rebuilt
  }
}

TEST_CASE("the cache folder keeps itself out of git and can be turned off", "[e2e][cache]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  REQUIRE_THAT(p.run({"heads"}), ExitedWith(0));
  CHECK(std::filesystem::exists(p.path("migrations/.migrate-cache/.gitignore")));
  auto init = testsupport::run_program(p.dir.path(), {"git", "init", "-q"});
  if (init.exit_code == 0) {
    auto status = testsupport::run_program(p.dir.path(), {"git", "status", "--porcelain", "-uall"});
    REQUIRE_THAT(status, ExitedWith(0));
    CHECK_THAT(status.out, Contains("migrations/versions/a1_rev.sql"));
    CHECK_THAT(status.out, !Contains(".migrate-cache"));
  }

  e2e::Project q;
  q.add_table_rev("a1", {});
  auto r = q.run({"heads"}, {{"MIGRATE_NO_CACHE", "1"}});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(r.out == "a1 (head)\n");
  CHECK_FALSE(std::filesystem::exists(q.path("migrations/.migrate-cache")));
}
