// Shared by the libFuzzer targets (tests/fuzz/CMakeLists.txt): a scratch
// folder per process, file writes, and the one way a property fails.
#pragma once

#include <string>
#include <string_view>

namespace migrate::fuzz {

// A folder of this process's own (under $TMPDIR, else /dev/shm or /tmp),
// created on first use and removed at exit.
const std::string& scratch_dir();

// Writes `bytes` to `path` (created or truncated); aborts when it cannot.
void write_file(const std::string& path, std::string_view bytes);

// A property does not hold: prints `what` and the values (escaped), then
// aborts, so libFuzzer records the input as a crash.
[[noreturn]] void fail(const std::string& what, const std::string& detail = "");

// `s` with bytes outside printable ASCII as \xNN, for fail()'s messages.
std::string escaped(std::string_view s);

}  // namespace migrate::fuzz
