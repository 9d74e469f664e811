#include "util/fd.h"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <string>
#include <utility>

#include "support/test_support.h"

using migrate::util::Fd;

namespace {

// Whether `fd` is an open descriptor of this process.
bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

int open_file(const std::string& path) {
  return ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
}

}  // namespace

TEST_CASE("Fd closes its descriptor when it leaves scope") {
  testsupport::TempDir dir;
  int raw = -1;
  {
    Fd fd(open_file(dir / "f"));
    raw = fd.get();
    REQUIRE(fd.valid());
    CHECK(is_open(raw));
  }
  CHECK_FALSE(is_open(raw));
}

TEST_CASE("Fd from a failed open owns nothing") {
  Fd fd(::open("/nonexistent/dir/f", O_RDONLY));
  CHECK_FALSE(fd.valid());
  CHECK(fd.close() == 0);
}

TEST_CASE("A moved Fd hands over its descriptor, closed once") {
  testsupport::TempDir dir;
  Fd a(open_file(dir / "a"));
  const int raw = a.get();
  Fd b(std::move(a));
  // The moved-from state is part of the contract.
  CHECK_FALSE(a.valid());  // NOLINT(bugprone-use-after-move,clang-analyzer-cplusplus.Move)
  CHECK(b.get() == raw);
  Fd c(open_file(dir / "c"));
  const int other = c.get();
  c = std::move(b);  // closes c's own descriptor
  CHECK(c.get() == raw);
  CHECK_FALSE(is_open(other));
  CHECK(is_open(raw));
}

TEST_CASE("Fd::close reports close()'s result and leaves nothing to close") {
  testsupport::TempDir dir;
  Fd fd(open_file(dir / "f"));
  const int raw = fd.get();
  CHECK(fd.close() == 0);
  CHECK_FALSE(fd.valid());
  CHECK_FALSE(is_open(raw));
}

TEST_CASE("Fd::release gives the descriptor up without closing it") {
  testsupport::TempDir dir;
  int raw = -1;
  {
    Fd fd(open_file(dir / "f"));
    raw = fd.release();
    CHECK_FALSE(fd.valid());
  }
  CHECK(is_open(raw));
  ::close(raw);
}

TEST_CASE("write_all writes every byte, and fails with errno on a bad descriptor") {
  testsupport::TempDir dir;
  const std::string path = dir / "f";
  const std::string big(1 << 20, 'x');
  {
    Fd fd(open_file(path));
    REQUIRE(migrate::util::write_all(fd.get(), big));
    REQUIRE(fd.close() == 0);
  }
  CHECK(testsupport::read_file(path) == big);

  Fd read_only(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  errno = 0;
  CHECK_FALSE(migrate::util::write_all(read_only.get(), "y"));
  CHECK(errno == EBADF);
}
