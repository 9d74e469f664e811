// The course exercises of docs/exercises/, run as their pages say, so the
// pages cannot go stale. A page marks its shell blocks and the output they
// print:
//
//   <!-- exercise: run NAME -->      a ```sh block, run by bash in the
//                                    exercise's directory after `source env.sh`
//   <!-- exercise: output NAME -->   a ```text block: its lines must appear in
//                                    that order in what the block printed
//                                    (stdout and stderr together); a line
//                                    ending in "..." matches by its prefix
//
// Both sides are normalised: the exercise directory's path is dropped (so
// paths read `migrations/...`) and step timings (`  (2.5 ms)`) removed.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "test_paths.h"
#include "support/matchers.h"
#include "support/test_support.h"

namespace e2e {

inline std::string exercises_dir() { return std::string(MIGRATE_REPO_DIR) + "/docs/exercises"; }

class ExercisePage {
 public:
  explicit ExercisePage(const std::string& file)
      : path_(exercises_dir() + "/" + file), text_(testsupport::read_file(path_)) {}

  // The body of the fenced block right after `<!-- exercise: KIND NAME -->`.
  std::string block(const std::string& kind, const std::string& name) const {
    const std::string marker = "<!-- exercise: " + kind + " " + name + " -->";
    const std::size_t at = text_.find(marker);
    INFO(path_ << ": no " << marker);
    REQUIRE(at != std::string::npos);
    const std::size_t open = text_.find("```", at);
    REQUIRE(open != std::string::npos);
    const std::size_t body = text_.find('\n', open) + 1;
    const std::size_t close = text_.find("\n```", body - 1);
    REQUIRE(close != std::string::npos);
    return text_.substr(body, close + 1 - body);
  }
  bool has(const std::string& kind, const std::string& name) const {
    return text_.find("<!-- exercise: " + kind + " " + name + " -->") != std::string::npos;
  }
  const std::string& text() const { return text_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_, text_;
};

// Drops the directory's path and the step timings.
inline std::string normalise(std::string s, const std::string& dir) {
  for (std::size_t at; (at = s.find(dir + "/")) != std::string::npos;) s.erase(at, dir.size() + 1);
  static const std::regex timing(R"( +\(\d+(\.\d+)? ms\))");
  return std::regex_replace(s, timing, "");
}

// Whether the lines of `expected` appear in order in `actual`.
inline bool output_matches(const std::string& actual, const std::string& expected,
                           std::string& missing) {
  std::vector<std::string> lines;
  std::istringstream in(actual);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::size_t next = 0;
  std::istringstream want(expected);
  for (std::string w; std::getline(want, w);) {
    if (w.empty()) continue;
    const bool prefix = w.size() >= 3 && w.compare(w.size() - 3, 3, "...") == 0;
    const std::string stem = prefix ? w.substr(0, w.size() - 3) : w;
    bool found = false;
    while (next < lines.size() && !found) {
      const std::string& l = lines[next++];
      found = prefix ? l.compare(0, stem.size(), stem) == 0 : l == w;
    }
    if (!found) {
      missing = w;
      return false;
    }
  }
  return true;
}

// An exercise's directory (setup.sh NN DIR) and the environment its pages'
// commands run in.
class Exercise {
 public:
  explicit Exercise(const std::string& nn) : nn_(nn) {
    dir_ = tmp_.path() + "/ex" + nn;
    std::random_device rd;
    db_ = "course_" + nn + "_" + std::to_string(rd() % 1000000000u);
    const std::string bin = MIGRATE_BINARY;
    const char* path = std::getenv("PATH");
    env_ = {{"PATH", std::filesystem::path(bin).parent_path().string() + ":" +
                         (path ? path : "/usr/bin:/bin")},
            {"EX", exercises_dir()},
            {"MIGRATE", bin},
            {"COURSE_DB", db_},
            {"COURSE_PG_URL", testsupport::pg_url()},
            {"DATABASE_URL", ""},
            {"MIGRATE_CONFIG", ""}};
    auto r = testsupport::run_program(tmp_.path(),
                                      {"bash", exercises_dir() + "/setup.sh", nn, dir_}, env_);
    INFO(r.out << r.err);
    REQUIRE_THAT(r, testsupport::ExitedWith(0));
  }
  ~Exercise() {
    // Apps still running (a failed test) are stopped; the database dropped.
    testsupport::run_program(
        dir_, {"bash", "-c", "for p in app-logs/*.pid; do touch \"${p%.pid}.stop\"; done"}, env_);
    if (nn_ != "04")  // 04 is on SQLite; 04pg on PostgreSQL
      testsupport::run_program(dir_,
                               {"psql", "-X", "-q", testsupport::pg_url(), "-c",
                                "DROP DATABASE IF EXISTS " + db_ + " WITH (FORCE)"},
                               env_);
  }
  Exercise(const Exercise&) = delete;
  Exercise& operator=(const Exercise&) = delete;

  const std::string& dir() const { return dir_; }

  // Runs the page's block `name` (stopping at the first failing command
  // when `stop_on_error`), and checks its output block if the page has one.
  testsupport::RunResult run(const ExercisePage& page, const std::string& name,
                             bool stop_on_error = true) const {
    const std::string script = std::string(stop_on_error ? "set -e\n" : "") +
                               "exec 2>&1\nsource env.sh\n" + page.block("run", name);
    auto r = testsupport::run_program(dir_, {"bash", "-c", script}, env_);
    r.out = normalise(r.out, dir_);
    if (page.has("output", name)) {
      std::string missing;
      const bool ok = output_matches(r.out, page.block("output", name), missing);
      INFO(page.path() << ", block " << name << ": the line\n  " << missing
                       << "\nis not in the output (in order):\n"
                       << r.out);
      CHECK(ok);
    }
    return r;
  }

  // Runs a command in the exercise's directory, after `source env.sh`.
  testsupport::RunResult run_command(const std::string& command) const {
    return testsupport::run_program(dir_, {"bash", "-c", "source env.sh && " + command}, env_);
  }

  // Runs the exercise's check script.
  testsupport::RunResult check(const std::string& script) const {
    auto r = testsupport::run_program(
        dir_, {"bash", "-c", "source env.sh && bash \"$EX/check/" + script + "\""}, env_);
    r.out = normalise(r.out, dir_);
    return r;
  }

  void copy_in(const std::string& from_exercises, const std::string& to) const {
    std::filesystem::copy_file(exercises_dir() + "/" + from_exercises, dir_ + "/" + to,
                               std::filesystem::copy_options::overwrite_existing);
  }

 private:
  testsupport::TempDir tmp_;
  std::string nn_, dir_, db_;
  std::map<std::string, std::string> env_;
};

}  // namespace e2e
