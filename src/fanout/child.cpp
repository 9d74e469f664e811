#include "fanout/child.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/error.h"

extern "C" char** environ;

namespace migrate::fanout {

namespace {

// A pipe whose ends close on exec: another child started later must not
// hold this one's write end, or the parent would never see its end.
void make_pipe(util::Fd& read_end, util::Fd& write_end) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    throw Error(std::string("cannot create a pipe for a target's run: ") + std::strerror(errno));
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
  fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
}

// posix_spawn's file actions, freed on every path.
class FileActions {
 public:
  FileActions() { posix_spawn_file_actions_init(&fa_); }
  ~FileActions() { posix_spawn_file_actions_destroy(&fa_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  posix_spawn_file_actions_t* get() { return &fa_; }

 private:
  posix_spawn_file_actions_t fa_;
};

}  // namespace

Child::Child(const std::string& program, const std::vector<std::string>& argv) {
  util::Fd out_w, err_w, report_w;
  make_pipe(out, out_w);
  make_pipe(err, err_w);
  make_pipe(report, report_w);
  FileActions fa;
  posix_spawn_file_actions_addopen(fa.get(), 0, "/dev/null", O_RDONLY, 0);
  // dup2 clears close-on-exec on the new descriptor.
  posix_spawn_file_actions_adddup2(fa.get(), out_w.get(), 1);
  posix_spawn_file_actions_adddup2(fa.get(), err_w.get(), 2);
  posix_spawn_file_actions_adddup2(fa.get(), report_w.get(), kReportFd);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int rc = posix_spawn(&pid_, program.c_str(), fa.get(), nullptr, args.data(), environ);
  if (rc != 0) {
    pid_ = -1;
    throw Error("cannot start " + program + " for a target's run: " + std::strerror(rc));
  }
  // out_w, err_w, report_w close here: the child holds the only write ends.
}

Child::~Child() {
  if (pid_ > 0 && !reaped_) wait();
}

int Child::wait() {
  if (reaped_) return status_;
  while (waitpid(pid_, &status_, 0) < 0) {
    if (errno != EINTR) {
      status_ = 0;
      break;
    }
  }
  reaped_ = true;
  return status_;
}

int exit_code_of(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return kExitFailed;
}

std::string signal_text(int wait_status) {
  if (!WIFSIGNALED(wait_status)) return "";
  int sig = WTERMSIG(wait_status);
  return "killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
}

}  // namespace migrate::fanout
