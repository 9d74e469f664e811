#include "db/sqlite/sqlite_busy.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

namespace migrate::db::sqlite {

namespace {

// The "MAJ:MIN:INODE" /proc/locks writes for a file, or empty.
std::string proc_locks_key(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return {};
  return fmt::format("{:02x}:{:02x}:{}", major(st.st_dev), minor(st.st_dev),
                     static_cast<unsigned long long>(st.st_ino));
}

std::string process_name(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/comm");
  std::string name;
  std::getline(in, name);
  return name;
}

}  // namespace

std::string lock_holder(const std::string& path) {
  const std::string keys[] = {proc_locks_key(path), proc_locks_key(path + "-shm")};
  std::ifstream in("/proc/locks");
  const std::string self = std::to_string(getpid());
  // "1: POSIX  ADVISORY  WRITE 4242 08:01:1234 1073741824 1073741824"
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string n, kind, mode, access, pid, key;
    if (!(fields >> n >> kind)) continue;
    if (kind == "->") fields >> kind;  // a waiter's line
    if (!(fields >> mode >> access >> pid >> key)) continue;
    if (kind != "POSIX" && kind != "OFDLCK") continue;
    if (pid == self || pid == "-1") continue;
    if (std::find(std::begin(keys), std::end(keys), key) == std::end(keys) || key.empty()) continue;
    std::string name = process_name(pid);
    return name.empty() ? "pid " + pid : fmt::format("pid {} ({})", pid, name);
  }
  return {};
}

BusyWait::BusyWait(std::chrono::milliseconds timeout, std::string path, std::string describe)
    : timeout_(timeout), path_(std::move(path)), describe_(std::move(describe)) {}

void BusyWait::install(sqlite3* db) { sqlite3_busy_handler(db, &BusyWait::on_busy, this); }

int BusyWait::on_busy(void* self, int count) { return static_cast<BusyWait*>(self)->wait(count); }

int BusyWait::wait(int count) {
  using namespace std::chrono;
  const auto now = steady_clock::now();
  if (count == 0) started_ = now;  // a new wait
  const auto waited = duration_cast<milliseconds>(now - started_);
  if (waited >= timeout_) return 0;  // SQLITE_BUSY: the statement fails
  if (!said_ && waited >= seconds(1)) {
    said_ = true;
    const std::string holder = lock_holder(path_);
    std::cerr << fmt::format(
                     "migrate: waiting for the database lock on {} (another connection{} holds "
                     "it; up to {:g} s) ...",
                     describe_, holder.empty() ? "" : ", " + holder,
                     duration<double>(timeout_).count())
              << std::endl;
  }
  // SQLite's own schedule: the common case is a lock about to be released.
  static constexpr int kDelaysMs[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
  constexpr int kSteps = sizeof kDelaysMs / sizeof kDelaysMs[0];
  const milliseconds delay(kDelaysMs[std::min(count, kSteps - 1)]);
  std::this_thread::sleep_for(std::min(delay, timeout_ - waited));
  return 1;
}

}  // namespace migrate::db::sqlite
