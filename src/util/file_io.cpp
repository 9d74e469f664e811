#include "util/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
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
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  static unsigned counter = 0;
  const std::string tmp =
      dir + "." + base + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
  Fd fd(::open(tmp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666));
  if (!fd.valid()) fail(path, "create", errno);
  struct Unlink {
    const std::string& name;
    ~Unlink() { ::unlink(name.c_str()); }
  } remove_tmp{tmp};
  if (!write_all(fd.get(), content) || ::fsync(fd.get()) != 0) fail(path, "write", errno);
  if (fd.close() != 0) fail(path, "write", errno);
  if (::link(tmp.c_str(), path.c_str()) == 0) return;
  const int err = errno;
  if (err == EEXIST) throw Error(path + ": already exists");
  // A filesystem without hard links: rename, after the existence check.
  if (err != EPERM && err != ENOTSUP && err != EOPNOTSUPP) fail(path, "create", err);
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) throw Error(path + ": already exists");
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail(path, "create", errno);
}

}  // namespace migrate::util
