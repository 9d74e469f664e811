// Where output goes: `graph -o` and `erd -o` into a symlink, a FIFO, or
// beside the user's own FILE.tmp.
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "e2e/project_fixture.h"
#include "support/matchers.h"
#include "support/test_support.h"
#include "test_paths.h"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using e2e::Project;
using testsupport::ExitedWith;

namespace {

mode_t lmode(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode;
}

void add_three_revisions(Project& p) {
  p.add_table_rev("r1", {});
  p.add_table_rev("r2", {"r1"});
  p.add_table_rev("r3", {"r2"});
}

// The names in `dir` that start with `prefix`, sorted.
std::vector<std::string> names_like(const std::string& dir, const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("graph -o and erd -o write through a symlink and leave it a symlink",
          "[e2e][pictures][output]") {
  Project p;
  add_three_revisions(p);
  auto shown = p.run({"graph"});
  REQUIRE_THAT(shown, ExitedWith(0));
  testsupport::write_file(p.path("real.txt"), "orig\n");
  fs::create_symlink("real.txt", p.path("link.txt"));
  auto r = p.run({"graph", "-o", "link.txt"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(S_ISLNK(lmode(p.path("link.txt"))));
  CHECK(testsupport::read_file(p.path("real.txt")) == shown.out);

  testsupport::write_file(p.path("schema.sql"), "CREATE TABLE ledger (id INTEGER PRIMARY KEY);\n");
  fs::create_symlink("real.mmd", p.path("erd.mmd"));  // dangling: its target is made
  auto e = p.run({"erd", "schema.sql", "-o", "erd.mmd"});
  REQUIRE_THAT(e, ExitedWith(0));
  CHECK(S_ISLNK(lmode(p.path("erd.mmd"))));
  CHECK_THAT(testsupport::read_file(p.path("real.mmd")), Contains("ledger"));
}

TEST_CASE("graph -o leaves the user's FILE.tmp alone and no temporary behind",
          "[e2e][pictures][output]") {
  Project p;
  add_three_revisions(p);
  testsupport::write_file(p.path("pic.txt.tmp"), "my notes\n");
  testsupport::write_file(p.path("pic.txt"), "an old picture\n");
  auto r = p.run({"graph", "-o", "pic.txt"});
  REQUIRE_THAT(r, ExitedWith(0));
  auto shown = p.run({"graph"});
  CHECK(testsupport::read_file(p.path("pic.txt")) == shown.out);
  CHECK(testsupport::read_file(p.path("pic.txt.tmp")) == "my notes\n");
  CHECK(names_like(p.dir.path(), "pic.txt") == std::vector<std::string>{"pic.txt", "pic.txt.tmp"});
  CHECK(names_like(p.dir.path(), ".pic.txt").empty());
}

TEST_CASE("graph -o writes into a FIFO and leaves it a FIFO", "[e2e][pictures][output]") {
  Project p;
  add_three_revisions(p);
  const std::string fifo = p.path("picture.fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // Both ends are open before migrate starts, so the reader never sees an
  // early end; a migrate that replaced the FIFO fails the test after the
  // reader's timeout instead of hanging it.
  const int rfd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  REQUIRE(rfd >= 0);
  const int keep_open = ::open(fifo.c_str(), O_WRONLY | O_CLOEXEC);
  REQUIRE(keep_open >= 0);
  auto shown = p.run({"graph"});
  REQUIRE_THAT(shown, ExitedWith(0));
  REQUIRE_FALSE(shown.out.empty());
  std::string got;
  std::thread reader([&] {
    char buf[4096];
    while (got.size() < shown.out.size()) {
      pollfd pfd{rfd, POLLIN, 0};
      if (::poll(&pfd, 1, 20000) <= 0) break;
      const ssize_t n = ::read(rfd, buf, sizeof buf);
      if (n > 0) got.append(buf, static_cast<std::size_t>(n));
    }
  });
  auto r = p.run({"graph", "-o", "picture.fifo"});
  reader.join();
  ::close(keep_open);
  ::close(rfd);
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(got == shown.out);
  CHECK(S_ISFIFO(lmode(fifo)));
}
