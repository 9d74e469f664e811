// Wall-clock time and "who ran it", as recorded in revision headers and the
// history table.
#pragma once

#include <chrono>
#include <string>

namespace migrate::util {

// "2026-11-23T10:00:00Z": ISO 8601, UTC, whole seconds (what `created:`
// holds, and what sorts correctly as text).
std::string iso8601_utc(std::chrono::system_clock::time_point t);
std::string iso8601_utc_now();

// "2026-11-23T10:00:00.123Z": the same with milliseconds, for history rows.
std::string iso8601_utc_millis(std::chrono::system_clock::time_point t);

// Milliseconds elapsed since `t0`, for step durations.
double millis_since(std::chrono::steady_clock::time_point t0);

// "alice@build-host", from the password database and gethostname(). Falls
// back to $USER, then the numeric uid, and to "localhost" for the host, so it
// never fails.
std::string user_at_host();

}  // namespace migrate::util
