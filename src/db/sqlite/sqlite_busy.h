// The busy handler of migrate's SQLite connection. It waits for another
// connection's lock as sqlite3_busy_timeout() does (short sleeps growing to
// 100 ms, up to the timeout), and once a wait has lasted a second it says so
// on stderr, with the process holding the lock when Linux can tell: a run
// queued behind an application's long write transaction (or an open
// `sqlite3` shell) must not look hung, as the PostgreSQL run lock and the
// lock file already say who they wait for.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <string>

namespace migrate::db::sqlite {

class BusyWait {
 public:
  // `path`: the database file (for the message and to find the holder);
  // `describe`: the redacted URL, for the message.
  BusyWait(std::chrono::milliseconds timeout, std::string path, std::string describe);
  BusyWait(const BusyWait&) = delete;
  BusyWait& operator=(const BusyWait&) = delete;

  // Replaces the connection's busy handler (and any busy timeout) with this
  // one, which must outlive the connection.
  void install(sqlite3* db);

 private:
  static int on_busy(void* self, int count);
  int wait(int count);

  std::chrono::milliseconds timeout_;
  std::string path_, describe_;
  std::chrono::steady_clock::time_point started_;
  bool said_ = false;  // once per connection: a long run may wait many times
};

// "pid N (NAME)" of another process holding a POSIX lock on `path` (or, in
// WAL mode, on its -shm file), from /proc/locks; empty when unknown. Reads
// only: opening and closing the database file here would drop this
// process's own locks on it (POSIX lock semantics).
std::string lock_holder(const std::string& path);

}  // namespace migrate::db::sqlite
