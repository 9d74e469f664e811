// Runs one command on many targets: each in its own child process
// (fanout/child.h), up to `jobs` at once, canaries first and alone. Every
// line a child prints goes out whole, prefixed with its target's name.
// After the first failure no new target starts unless `keep_going`; after
// SIGINT none does (a second SIGINT is passed on to the running children);
// targets never started are reported as skipped.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "fanout/outcome.h"

namespace migrate::fanout {

struct JobOptions {
  std::string program;  // the executable to start (this one)
  // The child's argv (argv[0] included) for a target.
  std::function<std::vector<std::string>(const std::string& name)> argv_for;
  std::size_t jobs = 4;
  bool keep_going = false;
  // Names among the targets: run first, one at a time; if one fails, nothing
  // else starts (--keep-going or not).
  std::vector<std::string> canaries;
  // --json: a child's stdout is kept in Outcome::stdout_text, not printed.
  bool capture_stdout = false;
  std::ostream* out = nullptr;  // prefixed stdout lines
  std::ostream* err = nullptr;  // prefixed stderr lines
};

// One outcome per name, in the order of `names`.
std::vector<Outcome> run_jobs(const std::vector<std::string>& names, const JobOptions& options);

}  // namespace migrate::fanout
