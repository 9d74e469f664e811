#include "db/sqlite/sqlite_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <thread>

#include "util/clock.h"
#include "util/error.h"

namespace migrate::db::sqlite {

namespace {

// What the current holder wrote about itself; empty if unknown.
std::string read_holder(int fd) {
  char buf[512];
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return {};
  std::string text(buf, static_cast<std::size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) text.pop_back();
  return text;
}

// Tells a waiting run who holds the lock. Best effort: the lock works
// without it.
void write_holder(int fd) {
  std::string text = fmt::format("pid {} ({}) since {}\n", getpid(), util::user_at_host(),
                                 util::iso8601_utc_now());
  if (ftruncate(fd, 0) == 0) {
    [[maybe_unused]] ssize_t n = pwrite(fd, text.data(), text.size(), 0);
  }
}

}  // namespace

std::string lock_path_for(const std::string& db_path) { return db_path + ".migrate-lock"; }

FileRunLock::FileRunLock(const std::string& lock_path, std::chrono::milliseconds wait,
                         const std::string& describe) {
  fd_.reset(open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd_.valid())
    throw Error(fmt::format("{}: cannot open the lock file {}: {}", describe, lock_path,
                            std::strerror(errno)));
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto deadline = start + wait;
  auto pause = std::chrono::milliseconds(5);
  bool said_waiting = false;
  while (true) {
    if (flock(fd_.get(), LOCK_EX | LOCK_NB) == 0) break;
    int err = errno;
    if (err != EWOULDBLOCK && err != EINTR)
      throw Error(fmt::format("{}: cannot lock {}: {}", describe, lock_path, std::strerror(err)));
    auto now = Clock::now();
    if (!said_waiting && now < deadline) {
      // Once, as the PostgreSQL run lock says it: a silent wait looks hung.
      std::string holder = read_holder(fd_.get());
      std::cerr << fmt::format(
                       "migrate: waiting for another migrate run to finish (the lock file {} is "
                       "held{}{})",
                       lock_path, holder.empty() ? "" : " by ", holder)
                << std::endl;
      said_waiting = true;
    }
    if (now >= deadline) {
      std::string holder = read_holder(fd_.get());
      double waited = std::chrono::duration<double>(now - start).count();
      throw Error(fmt::format(
          "{}: another migrate run holds the lock ({}); gave up after waiting {:.1f} s. Lock "
          "file: {}",
          describe, holder.empty() ? "holder unknown" : "held by " + holder, waited, lock_path));
    }
    // Short pauses at first (the common case is a run about to finish),
    // growing to 100 ms so a long wait costs little.
    std::this_thread::sleep_for(
        std::min(pause, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now)));
    pause = std::min(pause * 2, std::chrono::milliseconds(100));
  }
  write_holder(fd_.get());
}

FileRunLock::~FileRunLock() {
  // Clear the holder note while still holding the lock; closing fd_
  // releases the lock.
  [[maybe_unused]] int rc = ftruncate(fd_.get(), 0);
}

}  // namespace migrate::db::sqlite
