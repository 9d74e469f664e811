// Catch2 matchers that say what they saw when they fail.
//
// ExitedWith(n) checks a command's RunResult: it passes when the command
// exited with code n; when it fails, Catch prints the command, its exit code,
// its stdout and its stderr (a stream longer than kShownOutputBytes is shown
// as its head and tail), so a failing end-to-end test tells why without a
// rerun:
//
//   REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
//
// For text, use Catch's own matchers, which print the whole haystack:
//
//   CHECK_THAT(r.err, Contains("no such revision"));
//   CHECK_THAT(r.out, !Contains("hunter2"));
#pragma once

#include <catch2/catch.hpp>
#include <cstddef>
#include <string>

#include "support/test_support.h"

namespace testsupport {

// Above this many bytes, a stream is shown as its first and last parts.
constexpr std::size_t kShownOutputBytes = 8192;

class ExitedWithMatcher : public Catch::MatcherBase<RunResult> {
 public:
  explicit ExitedWithMatcher(int code) : code_(code) {}
  bool match(const RunResult& r) const override { return r.exit_code == code_; }
  std::string describe() const override;

 private:
  int code_;
};

inline ExitedWithMatcher ExitedWith(int code) { return ExitedWithMatcher(code); }

// The command, exit code, stdout and stderr of `r`, one block each, as the
// failure message shows them.
std::string describe_run(const RunResult& r);

}  // namespace testsupport

namespace Catch {
template <>
struct StringMaker<testsupport::RunResult> {
  static std::string convert(const testsupport::RunResult& r) {
    return testsupport::describe_run(r);
  }
};
}  // namespace Catch
