#include "util/subprocess.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "util/error.h"
#include "util/fd.h"
#include "util/file_io.h"

extern "C" char** environ;

namespace migrate::util {

namespace {

bool is_executable(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// A temporary file, removed on scope exit.
class TempFile {
 public:
  explicit TempFile(const char* what) {
    const char* tmp = std::getenv("TMPDIR");
    path_ = std::string(tmp && *tmp ? tmp : "/tmp") + "/migrate-" + what + "-XXXXXX";
    fd_.reset(::mkstemp(path_.data()));
    if (!fd_.valid())
      throw Error(path_ + ": cannot create a temporary file: " + std::strerror(errno));
  }
  ~TempFile() { ::unlink(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  int fd() const { return fd_.get(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  Fd fd_;
};

}  // namespace

std::string ProgramResult::status_text() const {
  return exited ? "exit " + std::to_string(code) : "killed by signal " + std::to_string(code);
}

std::string find_program(const std::string& program) {
  if (program.find('/') != std::string::npos) return is_executable(program) ? program : "";
  // posix_spawnp would say only ENOENT, after a fork.
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= p.size()) {
    std::size_t end = p.find(':', start);
    if (end == std::string::npos) end = p.size();
    std::string dir = p.substr(start, end - start);
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + program;
    if (is_executable(candidate)) return candidate;
    start = end + 1;
  }
  return "";
}

ProgramResult run_program(const std::vector<std::string>& argv, const std::string& input) {
  TempFile in("in"), out("out"), err("err");
  if (!write_all(in.fd(), input) || ::lseek(in.fd(), 0, SEEK_SET) != 0)
    throw Error(in.path() + ": cannot write: " + std::strerror(errno));

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fd(), 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd(), 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd(), 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv.at(0).c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw Error(argv[0] + ": cannot run: " + std::strerror(rc));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw Error(argv[0] + ": cannot wait for it: " + std::strerror(errno));
  }
  ProgramResult r;
  r.exited = WIFEXITED(status);
  r.code = r.exited ? WEXITSTATUS(status) : WTERMSIG(status);
  r.out = read_file(out.path());
  r.err = read_file(err.path());
  while (!r.err.empty() && (r.err.back() == '\n' || r.err.back() == ' ')) r.err.pop_back();
  return r;
}

}  // namespace migrate::util
