#include "draw/graphviz.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "util/error.h"
#include "util/fd.h"
#include "util/file_io.h"

extern "C" char** environ;

namespace migrate::draw {

namespace {

const char* kInstallHint =
    "--format svg needs Graphviz's `dot` program, which is not on PATH: install Graphviz "
    "(Debian/Ubuntu: apt-get install graphviz), or write the DOT text with --format dot and "
    "render it elsewhere";

// `dot` on PATH, or "" (posix_spawnp would say only ENOENT, after a fork).
std::string find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= p.size()) {
    std::size_t end = p.find(':', start);
    if (end == std::string::npos) end = p.size();
    std::string dir = p.substr(start, end - start);
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + program;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
    start = end + 1;
  }
  return "";
}

// A temporary file, removed on scope exit; the child reads or writes it,
// so no pipe can fill up while the other side waits.
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
  util::Fd fd_;
};

}  // namespace

std::string svg_from_dot(const std::string& dot_text) {
  std::string dot = find_on_path("dot");
  if (dot.empty()) throw Error(kInstallHint);
  TempFile in("dot"), out("svg"), err("err");
  if (!util::write_all(in.fd(), dot_text) || ::lseek(in.fd(), 0, SEEK_SET) != 0)
    throw Error(in.path() + ": cannot write: " + std::strerror(errno));

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fd(), 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd(), 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd(), 2);
  std::vector<char*> argv = {const_cast<char*>(dot.c_str()), const_cast<char*>("-Tsvg"), nullptr};
  pid_t pid = 0;
  int rc = posix_spawn(&pid, dot.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw Error(dot + ": cannot run: " + std::strerror(rc));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw Error(dot + ": cannot wait for it: " + std::strerror(errno));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string why = util::read_file(err.path());
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    throw Error(dot + " -Tsvg failed (" +
                (WIFEXITED(status) ? "exit " + std::to_string(WEXITSTATUS(status))
                                   : "killed by signal " + std::to_string(WTERMSIG(status))) +
                ")" + (why.empty() ? std::string() : ": " + why));
  }
  return util::read_file(out.path());
}

}  // namespace migrate::draw
