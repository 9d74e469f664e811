// util::exit_without_cleanup: the process ends with the code asked for,
// without running destructors or atexit handlers; in a sanitizer build,
// LeakSanitizer still checks the heap first: memory the caller still owns
// passes, memory nothing points to is reported (kSanitizerExitCode).
#include "util/sanitizer.h"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "support/test_support.h"

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using migrate::util::exit_without_cleanup;

namespace {

struct Child {
  int exit_code = -1;
  std::string err;
};

// Runs `body` in a forked child, its stderr in a file; the child must end
// by itself (exit_without_cleanup never returns).
Child run_child(const std::function<void()>& body) {
  testsupport::TempDir dir;
  const std::string err_path = dir / "stderr";
  std::fflush(nullptr);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (!std::freopen(err_path.c_str(), "w", stderr)) _exit(127);
    body();
    _exit(125);  // not reached
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  Child c;
  c.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  c.err = testsupport::read_file(err_path);
  return c;
}

}  // namespace

TEST_CASE("exit_without_cleanup ends the process with its code, skipping atexit handlers") {
  Child c = run_child([] {
    std::atexit([] { std::fputs("atexit ran\n", stderr); });
    exit_without_cleanup(7);
  });
  CHECK(c.exit_code == 7);
  CHECK_THAT(c.err, !Contains("atexit ran"));
}

TEST_CASE("exit_without_cleanup: memory the caller still holds is not a leak") {
  Child c = run_child([] {
    // Like the loaded scripts of a read-only command: owned by a live frame.
    std::vector<std::string> kept(1000, std::string(100, 'x'));
    exit_without_cleanup(0);
  });
  CHECK(c.exit_code == 0);
  CHECK_THAT(c.err, Equals(""));
}

#if defined(__SANITIZE_ADDRESS__)
namespace {

// Allocates and drops the only pointer, in a frame of its own, so no copy
// of it stays where LeakSanitizer looks (live stack frames, registers).
__attribute__((noinline)) void leak_a_block() {
  auto* volatile lost = new char[4096];
  lost[0] = 1;
}  // NOLINT(clang-analyzer-cplusplus.NewDeleteLeaks): the leak under test

}  // namespace

TEST_CASE("exit_without_cleanup: in a sanitizer build, a leak is reported before the exit") {
  Child c = run_child([] {
    leak_a_block();
    exit_without_cleanup(0);
  });
  CHECK(c.exit_code == migrate::util::kSanitizerExitCode);
  CHECK_THAT(c.err, Contains("ERROR: LeakSanitizer") && Contains("4096 byte(s)"));
}
#endif
