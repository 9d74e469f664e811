// One target's run: a `migrate` child process (the same executable, the same
// single-database code path), its stdout, stderr and report pipe read by the
// parent. A process per target keeps each run what a single run is: its own
// connection, run lock, transactions and signal handling, and no state
// shared with another target's run.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "util/fd.h"

namespace migrate::fanout {

// The child's descriptor the report pipe is given as (after stdin, stdout
// and stderr).
constexpr int kReportFd = 3;

class Child {
 public:
  // Starts `program` with `argv` (argv[0] included), stdin from /dev/null,
  // stdout, stderr and kReportFd to pipes. Throws migrate::Error when it
  // cannot be started.
  Child(const std::string& program, const std::vector<std::string>& argv);
  // A child still running is waited for (never left a zombie, never killed:
  // a step under way finishes or rolls back by itself).
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  // The parent's ends, non-blocking; closed (-1) once read to the end.
  util::Fd out, err, report;

  // Waits for the child to end; its wait status (waitpid(2)).
  int wait();

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
};

// The exit code a wait status stands for: the code of a normal exit, 128+N
// for a death by signal N (as shells say it).
int exit_code_of(int wait_status);
// "killed by signal 2 (Interrupt)" or "" for a normal exit.
std::string signal_text(int wait_status);

}  // namespace migrate::fanout
