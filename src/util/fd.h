// An owned file descriptor: closed on every path out of its scope.
#pragma once

#include <string_view>

namespace migrate::util {

class Fd {
 public:
  Fd() = default;
  // Takes ownership of `fd`; a negative value (a failed open) owns nothing.
  explicit Fd(int fd) noexcept : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

  // Closes now and returns close(2)'s result: a file that was written must
  // check it, since a failed write may only show here (NFS, quotas). The
  // descriptor is gone either way. 0 when nothing is owned.
  int close() noexcept;
  // Closes, ignoring the result (nothing was written), and owns `fd`.
  void reset(int fd = -1) noexcept;
  // Gives up ownership without closing.
  int release() noexcept {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

// Writes all of `bytes` to `fd`, retrying short writes and EINTR. False,
// with errno set, on the first failure.
bool write_all(int fd, std::string_view bytes);

}  // namespace migrate::util
