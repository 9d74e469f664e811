// Errors that reach the user. Every failure carries enough context (file and
// line, revision, statement, the server's text) to act on without a debugger,
// and maps to one of the contract's exit codes.
#pragma once

#include <stdexcept>
#include <string>

namespace migrate {

enum ExitCode { kExitOk = 0, kExitFailed = 1, kExitUsage = 2, kExitCheck = 3 };

// A failed operation: bad input, a failing step, a refused operation (exit 1).
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, int exit_code = kExitFailed)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// The command line itself is wrong (exit 2).
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(message, kExitUsage) {}
};

// A check found the database not where it should be (exit 3). The message
// says what differs.
class CheckFailed : public Error {
 public:
  explicit CheckFailed(const std::string& message) : Error(message, kExitCheck) {}
};

}  // namespace migrate
