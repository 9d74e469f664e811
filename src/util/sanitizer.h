// What a sanitizer build (-DMIGRATE_SANITIZE=ON: AddressSanitizer with its
// LeakSanitizer, and UndefinedBehaviorSanitizer) needs from the code: its
// run-time options, built in (sanitizer_options.cpp), and a leak check where the
// process ends without cleanup. In other builds only the exit remains.
#pragma once

namespace migrate::util {

// The exit status of a process stopped by a sanitizer report, of any of the
// three (set in the built-in options; migrate itself never exits with it).
// tests/support fails a test whose program exits with it, whatever exit
// code the test expected.
inline constexpr int kSanitizerExitCode = 86;

// Ends the process at once with `code`: no destructors, no atexit handlers
// (std::_Exit), for commands that have flushed their output and would only
// spend time freeing what they loaded. _Exit also skips LeakSanitizer's
// check at exit, which would hide every leak on these paths; so a sanitizer
// build runs the check here first. What the caller still owns (the loaded
// scripts, reachable from live stack frames) is not a leak; memory nothing
// points to any more is, and is reported with kSanitizerExitCode.
[[noreturn]] void exit_without_cleanup(int code);

}  // namespace migrate::util
