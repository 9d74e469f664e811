// Running a helper program to completion (Graphviz's `dot`, Python for
// `import alembic`): its stdin from a string, its stdout and stderr
// collected in temporary files, so no pipe can fill up while the other
// side waits.
#pragma once

#include <string>
#include <vector>

namespace migrate::util {

struct ProgramResult {
  bool exited = false;  // false: killed by a signal
  int code = 0;         // the exit code, or the signal's number
  std::string out;
  std::string err;  // trailing blanks and line ends removed
  // "exit 2" / "killed by signal 9", for messages.
  std::string status_text() const;
};

// `program` as found on PATH (a name without '/'), or "" when it is not
// there; a name with '/' is returned when it is an executable file.
std::string find_program(const std::string& program);

// Runs `argv` (argv[0] the full path of the program) with `input` on its
// stdin and the caller's environment. Throws migrate::Error when it cannot
// be started or waited for; a program that fails is a result, not an error.
ProgramResult run_program(const std::vector<std::string>& argv, const std::string& input = "");

}  // namespace migrate::util
