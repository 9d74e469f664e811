// Where output goes, and what happens when it cannot go there: `graph -o`
// and `erd -o` into a symlink, a FIFO, or beside the user's own FILE.tmp;
// and a command whose product is its output, with stdout on a full disk
// (/dev/full, only ever opened for writing) or on a closed pipe.
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

// Runs `migrate ARGS` in `dir` with stdout on /dev/full: every write to it
// fails with ENOSPC, as on a full disk. stderr is captured.
testsupport::RunResult run_to_full_disk(const std::string& dir,
                                        const std::vector<std::string>& args) {
  struct stat st {};
  REQUIRE(::stat("/dev/full", &st) == 0);
  REQUIRE(S_ISCHR(st.st_mode));
  std::vector<std::string> argv = {"bash", "-c", "exec \"$0\" \"$@\" > /dev/full", MIGRATE_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return testsupport::run_program(dir, argv);
}

// Runs `migrate ARGS` in `dir` with stdout on a pipe whose reader is gone
// before it starts (every write fails with EPIPE); prints its exit code,
// then its stderr.
testsupport::RunResult run_to_closed_pipe(const std::string& dir,
                                          const std::vector<std::string>& args) {
  const std::string script =
      "import os, subprocess, sys\n"
      "r, w = os.pipe()\n"
      "os.close(r)\n"
      "p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)\n"
      "print(p.returncode)\n"
      "sys.stdout.write(p.stderr.decode())\n";
  std::vector<std::string> argv = {"python3", "-c", script, MIGRATE_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return testsupport::run_program(dir, argv);
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

TEST_CASE("a command whose product is its output exits 1 when stdout is a full disk",
          "[e2e][output]") {
  Project p;
  add_three_revisions(p);
  REQUIRE_THAT(p.run({"upgrade", "r2"}), ExitedWith(0));
  testsupport::write_file(p.path("schema.sql"), "CREATE TABLE ledger (id INTEGER PRIMARY KEY);\n");
  const std::vector<std::vector<std::string>> commands = {{"upgrade", "heads", "--sql"},
                                                          {"downgrade", "r2:base", "--sql"},
                                                          {"stamp", "heads", "--sql"},
                                                          {"upgrade", "heads", "--dry-run"},
                                                          {"status", "--json"},
                                                          {"current"},
                                                          {"heads"},
                                                          {"history"},
                                                          {"show", "r1"},
                                                          {"log"},
                                                          {"lint"},
                                                          {"graph"},
                                                          {"erd", "schema.sql"},
                                                          {"diff", "--to", "schema.sql"},
                                                          {"--help"}};
  for (const auto& args : commands) {
    std::string line;
    for (const auto& a : args) line += a + " ";
    INFO("migrate " << line);
    // It does print something, and exits 0, when stdout takes it...
    auto fine = p.run(args);
    CHECK_THAT(fine, ExitedWith(0));
    CHECK_FALSE(fine.out.empty());
    // ...and exits 1 with the reason when stdout refuses it.
    auto full = run_to_full_disk(p.dir.path(), args);
    CHECK_THAT(full, ExitedWith(1));
    CHECK_THAT(full.err, Contains("cannot write the output to stdout: No space left on device"));
  }
  // None of them changed the database.
  CHECK(p.version() == std::vector<std::string>{"r2"});
}

TEST_CASE("an online migration whose progress cannot be written still runs and exits 0",
          "[e2e][output]") {
  Project p;
  add_three_revisions(p);
  auto up = run_to_full_disk(p.dir.path(), {"upgrade", "heads"});
  CHECK_THAT(up, ExitedWith(0));
  CHECK(p.version() == std::vector<std::string>{"r3"});
  auto down = run_to_full_disk(p.dir.path(), {"downgrade", "r1"});
  CHECK_THAT(down, ExitedWith(0));
  CHECK(p.version() == std::vector<std::string>{"r1"});
  auto stamp = run_to_full_disk(p.dir.path(), {"stamp", "r3"});
  CHECK_THAT(stamp, ExitedWith(0));
  CHECK(p.version() == std::vector<std::string>{"r3"});
  // A step that fails still fails with its own message and exit code.
  p.add({"r4", {"r3"}, "INSERT INTO nosuch VALUES (1);", "SELECT 1;"});
  auto bad = run_to_full_disk(p.dir.path(), {"upgrade", "heads"});
  CHECK_THAT(bad, ExitedWith(1));
  CHECK_THAT(bad.err, Contains("nosuch"));
  CHECK_THAT(bad.err, !Contains("cannot write the output"));
}

TEST_CASE("an output command whose reader closed the pipe exits 1 without a message",
          "[e2e][output][sigpipe]") {
  Project p;
  add_three_revisions(p);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"history"}, {"upgrade", "heads", "--sql"}}) {
    auto r = run_to_closed_pipe(p.dir.path(), args);
    REQUIRE_THAT(r, ExitedWith(0));
    CHECK(r.out == "1\n");  // no message: the reader chose to stop, as `| head` does
  }
}
