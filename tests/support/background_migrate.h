// `migrate` started in the background, for the end-to-end tests that act
// on a run while it is in progress (kill it, hold a lock it waits for, pause
// the standby it watches): posix_spawn with the project named by -c (it has
// no chdir), stdout and stderr to files of their own, killed and reaped on
// scope exit if still running.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "support/test_support.h"
#include "test_paths.h"

extern char** environ;

namespace testsupport {

class BackgroundMigrate {
 public:
  // `migrate -c CONFIG ARGS...`, its output to OUT_BASE.out and OUT_BASE.err.
  BackgroundMigrate(const std::string& config, const std::string& out_base,
                    const std::vector<std::string>& args)
      : err_(out_base + ".err") {
    std::vector<std::string> argv{MIGRATE_BINARY, "-c", config};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    const std::string out = out_base + ".out";
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    REQUIRE(posix_spawn(&pid_, MIGRATE_BINARY, &fa, nullptr, cargv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
  }
  ~BackgroundMigrate() {
    if (pid_ > 0) {
      kill_now();
      wait();
    }
  }
  BackgroundMigrate(const BackgroundMigrate&) = delete;
  BackgroundMigrate& operator=(const BackgroundMigrate&) = delete;

  void kill_now() const { kill(pid_, SIGKILL); }
  // The exit code, or 128 + the signal that ended it.
  int wait() {
    int status = 0;
    if (pid_ > 0) waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  std::string err() const { return read_file(err_); }
  // Waits up to 30 s for `text` on its stderr.
  bool said(const std::string& text) const {
    for (int i = 0; i < 300; ++i) {
      if (err().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

 private:
  pid_t pid_ = -1;
  std::string err_;
};

}  // namespace testsupport
