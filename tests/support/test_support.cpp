#include "support/test_support.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "config/url.h"
#include "test_paths.h"
#include "util/error.h"
#include "util/fd.h"
#include "util/sanitizer.h"

namespace fs = std::filesystem;

namespace testsupport {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/migrate-test-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

namespace {

std::string slurp_fd(int fd) {
  std::string out;
  char buf[65536];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

// argv as a shell would need it typed, with the program's directory left
// out: `migrate upgrade heads`, `sqlite3 app.db 'DROP TABLE t'`.
std::string command_line(const std::vector<std::string>& argv) {
  std::string line;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::string arg = i == 0 ? fs::path(argv[0]).filename().string() : argv[i];
    bool plain = !arg.empty() && arg.find_first_of(" \t\n'\"\\$`*?;&|<>()#") == std::string::npos;
    if (i) line += ' ';
    if (plain) {
      line += arg;
    } else {
      line += '\'';
      for (char c : arg) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
      line += '\'';
    }
  }
  return line;
}

}  // namespace

RunResult run_program(const std::string& cwd, const std::vector<std::string>& argv,
                      const std::map<std::string, std::string>& env) {
  // Output goes to temp files rather than pipes so a chatty child can never
  // block on a full pipe while we wait for it.
  char out_tmpl[] = "/tmp/migrate-out-XXXXXX";
  char err_tmpl[] = "/tmp/migrate-err-XXXXXX";
  migrate::util::Fd out_fd(mkstemp(out_tmpl));
  migrate::util::Fd err_fd(mkstemp(err_tmpl));
  if (!out_fd.valid() || !err_fd.valid()) throw std::runtime_error("mkstemp failed");
  unlink(out_tmpl);
  unlink(err_tmpl);

  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (chdir(cwd.c_str()) != 0) _exit(127);
    dup2(out_fd.get(), 1);
    dup2(err_fd.get(), 2);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  RunResult r;
  // The command goes into failure messages: no password of the test server.
  r.command = migrate::config::redact_secrets(command_line(argv));
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  lseek(out_fd.get(), 0, SEEK_SET);
  lseek(err_fd.get(), 0, SEEK_SET);
  r.out = slurp_fd(out_fd.get());
  r.err = slurp_fd(err_fd.get());
  // In a sanitizer build, a report (ASan, LeakSanitizer or UBSan) fails the
  // test that ran the program, even one that expected it to fail.
  if (r.exit_code == migrate::util::kSanitizerExitCode)
    FAIL_CHECK("sanitizer report from `" << r.command << "`:\n" << r.err);
  return r;
}

RunResult run_migrate(const std::string& cwd, const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env) {
  std::vector<std::string> argv{MIGRATE_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  auto with_env = env;
  // Tests must not pick up a developer's configuration.
  if (!with_env.count("DATABASE_URL")) with_env["DATABASE_URL"] = "";
  if (!with_env.count("MIGRATE_CONFIG")) with_env["MIGRATE_CONFIG"] = "";
  return run_program(cwd, argv, with_env);
}

void sqlite_exec(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path.c_str(), &db) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + db_path + ": " + msg);
  }
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string msg = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  if (rc != SQLITE_OK) throw std::runtime_error("script failed on " + db_path + ": " + msg);
}

std::vector<std::string> sqlite_rows(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + db_path + ": " + msg);
  }
  std::vector<std::string> rows;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    std::string msg = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw std::runtime_error("bad test query: " + msg);
  }
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      if (i) row += "|";
      const unsigned char* t = sqlite3_column_text(st, i);
      row += t ? reinterpret_cast<const char*>(t) : "NULL";
    }
    rows.push_back(row);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

void write_file(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream f(path, std::ios::binary);
  f << content;
  if (!f) throw std::runtime_error("cannot write " + path);
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const migrate::Error& e) {
    return e.what();
  }
  FAIL("expected a migrate::Error");
  return "";
}

ScopedEnv::ScopedEnv(const char* name, const char* value) : name_(name) {
  if (const char* old = std::getenv(name)) old_ = old;
  if (value)
    setenv(name, value, 1);
  else
    unsetenv(name);
}

ScopedEnv::~ScopedEnv() {
  if (old_)
    setenv(name_.c_str(), old_->c_str(), 1);
  else
    unsetenv(name_.c_str());
}

std::string pg_url() {
  const char* u = std::getenv("MIGRATE_TEST_PG_URL");
  return u ? u : "";
}

std::string pg2_url() {
  const char* u = std::getenv("MIGRATE_TEST_PG2_URL");
  return u ? u : "";
}

}  // namespace testsupport
