// Helpers for the backfill engine's end-to-end tests (both backends): a
// `phase: backfill` revision written from its `backfill:` lines, and a
// `migrate` run in the background that a test can SIGKILL mid-way.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "test_paths.h"
#include "e2e/project_fixture.h"

namespace e2e {

// A backfill revision `id` after `down`; `spec` holds the lines under
// `backfill:` (without the `-- ` prefix), e.g. {"table: t", "key: [id]",
// "set: {new: old * 2}"}.
inline void add_backfill_rev(const Project& p, const std::string& id, const std::string& down,
                             const std::vector<std::string>& spec,
                             const std::string& upgrade = "-- filled by the engine") {
  std::string header = "phase: backfill\n-- transactional: false\n-- backfill:";
  for (const auto& line : spec) header += "\n--   " + line;
  p.add({id, {down}, upgrade, "", {}, {}, header});
}

// `migrate ARGS...` started in `cwd`, not waited for: kill() sends SIGKILL.
class BackgroundRun {
 public:
  BackgroundRun(const std::string& cwd, const std::vector<std::string>& args) {
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      if (chdir(cwd.c_str()) != 0) _exit(127);
      setenv("DATABASE_URL", "", 1);
      setenv("MIGRATE_CONFIG", "", 1);
      // Quiet: the test reads the database, not the output.
      freopen("/dev/null", "w", stdout);
      freopen("/dev/null", "w", stderr);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(MIGRATE_BINARY));
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(MIGRATE_BINARY, argv.data());
      _exit(127);
    }
  }
  ~BackgroundRun() {
    if (pid_ > 0) kill();
  }
  BackgroundRun(const BackgroundRun&) = delete;
  BackgroundRun& operator=(const BackgroundRun&) = delete;

  // True while the process has not exited.
  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    return true;
  }
  // SIGKILL, then reaps it.
  void kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
};

// Polls `ready` every 5 ms for up to `limit`; exceptions count as not yet
// (a read can meet the writer's lock).
inline bool wait_until(const std::function<bool()>& ready,
                       std::chrono::milliseconds limit = std::chrono::seconds(30)) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    try {
      if (ready()) return true;
    } catch (...) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

}  // namespace e2e
