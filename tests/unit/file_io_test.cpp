// util::replace_file: a regular file is replaced whole through a temporary
// of its own (never an existing file's name), and whatever else the user
// names (a symlink, a FIFO) is written through, not replaced.
#include "util/file_io.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/test_support.h"
#include "util/error.h"

namespace fs = std::filesystem;
using migrate::util::replace_file;

namespace {

std::vector<std::string> names_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

mode_t lmode(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode;
}

}  // namespace

TEST_CASE("replace_file creates a missing file and replaces a regular one, leaving no temporary") {
  testsupport::TempDir dir;
  const std::string f = dir / "pic.txt";
  replace_file(f, "one\n");
  CHECK(testsupport::read_file(f) == "one\n");
  REQUIRE(::chmod(f.c_str(), 0640) == 0);
  struct stat st {};
  REQUIRE(::stat(f.c_str(), &st) == 0);
  const ino_t before = st.st_ino;
  replace_file(f, "two\n");
  CHECK(testsupport::read_file(f) == "two\n");
  CHECK((lmode(f) & 07777) == 0640);  // the old file's permission bits
  REQUIRE(::stat(f.c_str(), &st) == 0);
  CHECK(st.st_ino != before);  // a new file took its place: renamed, not rewritten
  CHECK(names_in(dir.path()) == std::vector<std::string>{"pic.txt"});
}

TEST_CASE("replace_file never touches a file that has the name a fixed temporary would have") {
  testsupport::TempDir dir;
  const std::string f = dir / "pic.txt";
  // The names a writer might pick for its temporary: each is someone's file.
  testsupport::write_file(dir / "pic.txt.tmp", "my notes\n");
  testsupport::write_file(dir / ".pic.txt.tmp", "more notes\n");
  replace_file(f, "picture\n");
  replace_file(f, "picture 2\n");
  CHECK(testsupport::read_file(f) == "picture 2\n");
  CHECK(testsupport::read_file(dir / "pic.txt.tmp") == "my notes\n");
  CHECK(testsupport::read_file(dir / ".pic.txt.tmp") == "more notes\n");
  CHECK(names_in(dir.path()) == std::vector<std::string>{".pic.txt.tmp", "pic.txt", "pic.txt.tmp"});
}

TEST_CASE("replace_file writes through a symlink and keeps it a symlink") {
  testsupport::TempDir dir;
  testsupport::write_file(dir / "real.txt", "orig\n");
  fs::create_symlink("real.txt", dir / "link.txt");
  replace_file(dir / "link.txt", "picture\n");
  CHECK(S_ISLNK(lmode(dir / "link.txt")));
  CHECK(fs::read_symlink(dir / "link.txt") == "real.txt");
  CHECK(testsupport::read_file(dir / "real.txt") == "picture\n");

  // A dangling one makes its target, as a shell's `>` does.
  fs::create_symlink("made.txt", dir / "dangling.txt");
  replace_file(dir / "dangling.txt", "new\n");
  CHECK(S_ISLNK(lmode(dir / "dangling.txt")));
  CHECK(testsupport::read_file(dir / "made.txt") == "new\n");
}

TEST_CASE("replace_file writes into a FIFO and leaves it a FIFO") {
  testsupport::TempDir dir;
  const std::string fifo = dir / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // Both ends are open before the write: the FIFO never reads as ended
  // early, and a writer that replaced it instead fails the test after the
  // reader's timeout rather than hanging it.
  const int rfd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  REQUIRE(rfd >= 0);
  const int keep_open = ::open(fifo.c_str(), O_WRONLY | O_CLOEXEC);
  REQUIRE(keep_open >= 0);
  const std::string text(100000, 'x');  // more than a pipe holds: the reader must drain it
  std::string got;
  std::thread reader([&] {
    char buf[8192];
    while (got.size() < text.size()) {
      pollfd p{rfd, POLLIN, 0};
      if (::poll(&p, 1, 10000) <= 0) break;
      const ssize_t n = ::read(rfd, buf, sizeof buf);
      if (n > 0) got.append(buf, static_cast<std::size_t>(n));
    }
  });
  replace_file(fifo, text);
  reader.join();
  ::close(keep_open);
  ::close(rfd);
  CHECK(got == text);
  CHECK(S_ISFIFO(lmode(fifo)));
  CHECK(names_in(dir.path()) == std::vector<std::string>{"pipe"});
}

TEST_CASE("replace_file names the file and the reason when it cannot write") {
  testsupport::TempDir dir;
  const std::string f = dir / "no/such/dir/pic.txt";
  std::string msg = testsupport::error_of([&] { replace_file(f, "x"); });
  CHECK(msg == f + ": cannot create: No such file or directory");
}
