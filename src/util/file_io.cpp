#include "util/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "util/error.h"
#include "util/fd.h"

namespace migrate::util {

namespace {

[[noreturn]] void fail(const std::string& path, const char* what, int err) {
  throw Error(path + ": cannot " + what + ": " + std::strerror(err));
}

// Reads an open descriptor to EOF; `path` is for messages.
std::string read_fd(const Fd& fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail(path, "read", errno);
  if (S_ISDIR(st.st_mode)) fail(path, "read", EISDIR);
  // Size the buffer from fstat, but keep reading until EOF: the size of a
  // pipe or a file being appended to is only a hint.
  std::string out;
  out.resize(st.st_size > 0 ? static_cast<std::size_t>(st.st_size) : 4096);
  std::size_t used = 0;
  for (;;) {
    if (used == out.size()) out.resize(out.size() * 2);
    ssize_t n = ::read(fd.get(), out.data() + used, out.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(path, "read", errno);
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
    // The common case: a regular file read whole in one call. Skip the extra
    // read() that would only confirm EOF.
    if (S_ISREG(st.st_mode) && used == static_cast<std::size_t>(st.st_size)) break;
  }
  out.resize(used);
  return out;
}

// A new, empty file beside `path` (the same directory, so that link() and
// rename() onto `path` are atomic) under a name no other file has:
// ".NAME.tmp-PID-N-CLOCK", created with O_EXCL and another name tried when
// one exists, so an existing file is never truncated and two writers (two
// processes, or two threads of one) never share one. Removed on scope exit
// unless renamed().
class TempFile {
 public:
  explicit TempFile(const std::string& path) {
    static std::atomic<unsigned> counter{0};
    const std::size_t slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
    // Cut a long name so that the temporary one still fits in NAME_MAX.
    const std::string base = path.substr(slash == std::string::npos ? 0 : slash + 1, 200);
    for (int attempt = 0;; ++attempt) {
      const auto clock = std::chrono::steady_clock::now().time_since_epoch().count();
      name_ = dir + "." + base + ".tmp-" + std::to_string(::getpid()) + "-" +
              std::to_string(counter.fetch_add(1)) + "-" + std::to_string(clock % 1000000007);
      fd_.reset(::open(name_.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666));
      if (fd_.valid()) return;
      if (errno != EEXIST || attempt == 100) {
        const int err = errno;
        name_.clear();
        fail(path, "create", err);
      }
    }
  }
  ~TempFile() {
    if (!name_.empty()) ::unlink(name_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& name() const { return name_; }
  int fd() const { return fd_.get(); }

  // Writes all of `content` and closes; `path` (the file being made) is
  // what an error names.
  void write(const std::string& path, const std::string& content, Sync sync) {
    if (!write_all(fd_.get(), content)) fail(path, "write", errno);
    if (sync == Sync::kYes && ::fsync(fd_.get()) != 0) fail(path, "write", errno);
    if (fd_.close() != 0) fail(path, "write", errno);
  }
  // It has taken its final name: nothing to remove.
  void renamed() { name_.clear(); }

 private:
  std::string name_;
  Fd fd_;
};

}  // namespace

std::string read_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) fail(path, "read", errno);
  return read_fd(fd, path);
}

std::string read_file_at(int dir_fd, const char* name, const std::string& display_path) {
  Fd fd(::openat(dir_fd, name, O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) fail(display_path, "read", errno);
  return read_fd(fd, display_path);
}

void write_new_file(const std::string& path, const std::string& content) {
  // Written whole under a temporary name in the same directory, then linked
  // to its name: a full disk or a killed process leaves no half-written file
  // behind for every later command to trip over, and link() (unlike
  // rename()) refuses a name that exists, atomically.
  TempFile tmp(path);
  tmp.write(path, content, Sync::kYes);
  if (::link(tmp.name().c_str(), path.c_str()) == 0) return;
  const int err = errno;
  if (err == EEXIST) throw Error(path + ": already exists");
  // A filesystem without hard links: rename, after the existence check.
  if (err != EPERM && err != ENOTSUP && err != EOPNOTSUPP) fail(path, "create", err);
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) throw Error(path + ": already exists");
  if (::rename(tmp.name().c_str(), path.c_str()) != 0) fail(path, "create", errno);
  tmp.renamed();
}

void replace_file(const std::string& path, const std::string& content, Sync sync) {
  struct stat st {};
  const bool exists = ::lstat(path.c_str(), &st) == 0;
  if (!exists && errno != ENOENT) fail(path, "write", errno);
  if (exists && !S_ISREG(st.st_mode)) {
    // Through the symlink, into the device or the FIFO: what the user named
    // stays what it was. O_CREAT: a dangling symlink makes its target, as a
    // shell's `>` does. O_TRUNC is ignored where there is nothing to cut.
    Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
    if (!fd.valid()) fail(path, "write", errno);
    if (!write_all(fd.get(), content)) fail(path, "write", errno);
    if (fd.close() != 0) fail(path, "write", errno);
    return;
  }
  TempFile tmp(path);
  // The new file gets the old one's permission bits (not its owner: only
  // root could give it, and rename() replaces a file we may write anyway).
  if (exists && ::fchmod(tmp.fd(), st.st_mode & 07777) != 0) fail(path, "write", errno);
  tmp.write(path, content, sync);
  if (::rename(tmp.name().c_str(), path.c_str()) != 0) fail(path, "write", errno);
  tmp.renamed();
}

}  // namespace migrate::util
