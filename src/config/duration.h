// The one syntax of a time value in migrate, for every duration option and
// key: --lock-wait, --wait, --max-replica-lag, migrate.yaml's lock_timeout,
// statement_timeout and wait_timeout, a revision's lock_timeout and
// statement_timeout headers, a backfill's batch_time and pause. A subset of
// PostgreSQL's syntax for time settings, so a value can be handed to the
// server as written.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace migrate::config {

// A number (integer or decimal) and a unit `us`, `ms`, `s`, `min`, `h` or
// `d` (case-sensitive, as in PostgreSQL; a space may separate them), or `0`
// alone ("none": no limit, do not wait). A bare number other than 0 is
// refused: `lock_timeout: 500` meant milliseconds and `--lock-wait 10`
// seconds, and nobody could tell which. Returns milliseconds, or nullopt when
// `text` is not such a value or exceeds what PostgreSQL accepts (2^31-1 ms,
// about 24 days).
std::optional<double> parse_duration(std::string_view text);

// The error text for a bad value of `key`, for "FILE:LINE: " + this: what
// was written (shortened when long), the syntax, and for a bare number the
// guess `did you mean 500ms?`, with `bare_unit` the unit the key used to
// mean.
std::string bad_duration_message(const std::string& key, const std::string& value,
                                 std::string_view bare_unit = "ms");

// parse_duration() as whole milliseconds (rounded up, so a wait is never
// shorter than asked).
std::optional<std::chrono::milliseconds> parse_duration_ms(std::string_view text);

// A duration given on the command line: parse_duration_ms() or a
// migrate::UsageError (exit 2) with bad_duration_message(option, ...).
std::chrono::milliseconds duration_option(const std::string& option, const std::string& text,
                                          std::string_view bare_unit = "s");

}  // namespace migrate::config
