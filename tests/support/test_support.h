// Helpers for tests: temporary directories, running the real `migrate`
// binary, and reading a real SQLite file back. Assertions on what they
// return: support/matchers.h.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace testsupport {

// A fresh directory under $TMPDIR, removed with everything in it on scope exit.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

struct RunResult {
  std::string command;  // the program and its arguments, passwords hidden, for messages
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `migrate ARGS...` in `cwd` (no shell: arguments are passed as is),
// with extra environment variables. Captures stdout and stderr.
RunResult run_migrate(const std::string& cwd, const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env = {});

// Runs any program the same way.
RunResult run_program(const std::string& cwd, const std::vector<std::string>& argv,
                      const std::map<std::string, std::string>& env = {});

// Rows of a query on an SQLite file, each row's columns joined by "|".
std::vector<std::string> sqlite_rows(const std::string& db_path, const std::string& sql);
// Runs a whole script (several statements, as `--sql` writes it) on the
// SQLite file, created if missing; throws with SQLite's message on error.
void sqlite_exec(const std::string& db_path, const std::string& sql);

void write_file(const std::string& path, const std::string& content);
std::string read_file(const std::string& path);

// The message of the migrate::Error `fn` throws; the test fails when it
// throws none.
std::string error_of(const std::function<void()>& fn);

// Sets (or, with nullptr, unsets) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

// The PostgreSQL server started by scripts/test.sh: its URL (database
// `postgres`), from $MIGRATE_TEST_PG_URL. Empty when not set.
std::string pg_url();
// The second server scripts/test.sh starts (another cluster, another port),
// from $MIGRATE_TEST_PG2_URL. Empty when not set.
std::string pg2_url();

}  // namespace testsupport
