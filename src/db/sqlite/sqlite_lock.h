// The whole-run lock for an SQLite database: flock() on a lock file beside
// it, `<db path>.migrate-lock`, so a second `migrate` waits for the first
// instead of interleaving steps with it.
//
// Why a separate file: SQLite holds POSIX advisory locks on the database
// file, and POSIX drops all of a process's locks on a file when *any*
// descriptor on it is closed. Opening and closing the database file for a
// lock of our own would silently release SQLite's.
//
// The lock file is left in place after the run. Deleting it would race: a
// waiter that already opened the old file would lock an unlinked inode while
// a newcomer creates and locks a fresh one, and both would run.
//
// flock() locks belong to an open file description, so two opens of the
// lock file conflict even within one process. It may not work across
// machines on some network filesystems; SQLite itself warns against those.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "db/database.h"
#include "util/fd.h"

namespace migrate::db::sqlite {

class FileRunLock : public RunLock {
 public:
  // Polls for an exclusive flock until `wait` has passed; throws
  // migrate::Error naming the holder (pid, user@host, since when) as it wrote
  // itself into the file, and how long we waited.
  FileRunLock(const std::string& lock_path, std::chrono::milliseconds wait,
              const std::string& describe);
  ~FileRunLock() override;
  FileRunLock(const FileRunLock&) = delete;
  FileRunLock& operator=(const FileRunLock&) = delete;

 private:
  util::Fd fd_;
};

// A lock on nothing, for databases no other process can see (:memory:).
class NoRunLock : public RunLock {};

std::string lock_path_for(const std::string& db_path);

}  // namespace migrate::db::sqlite
