// Time values as migrate.yaml and revision headers write them, in
// PostgreSQL's own syntax for time settings (lock_timeout,
// statement_timeout), so a value can be handed to the server as written.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace migrate::config {

// A PostgreSQL time setting: a number (integer or decimal) with an optional
// unit `us`, `ms`, `s`, `min`, `h` or `d` (units are case-sensitive, as in
// PostgreSQL; a space may separate number and unit). Without a unit the
// number is milliseconds, as PostgreSQL reads lock_timeout. `0` means "no
// limit" to the server. Returns the value in milliseconds, or nullopt when
// `text` is not such a value or exceeds what PostgreSQL accepts (2^31-1 ms).
std::optional<double> parse_pg_duration(std::string_view text);

// The error text for a bad value of `key`: what was written and what is
// accepted, for "FILE:LINE: " + this.
std::string bad_duration_message(const std::string& key, const std::string& value);

// A wait (wait_timeout, --wait): the same syntax, except that a bare number
// other than 0 is refused (is `30` seconds or milliseconds?). nullopt when
// bad; the error text is bad_wait_message().
std::optional<std::chrono::milliseconds> parse_wait(std::string_view text);
std::string bad_wait_message(const std::string& key, const std::string& value);

}  // namespace migrate::config
