#include "util/fd.h"

#include <unistd.h>

#include <cerrno>
#include <cstddef>

namespace migrate::util {

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) reset(other.release());
  return *this;
}

int Fd::close() noexcept {
  if (fd_ < 0) return 0;
  // No retry on EINTR: on Linux the descriptor is released even then, and
  // a second close() could close one another thread just opened.
  return ::close(release());
}

void Fd::reset(int fd) noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

bool write_all(int fd, std::string_view bytes) {
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;  // no progress: give up rather than spin
      return false;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace migrate::util
