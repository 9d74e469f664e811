// A count given on the command line (`log -n N`, `--jobs N`): read as text
// and checked here, so that a mistake gets a sentence (CLI11's
// PositiveNumber answers `0` with a range of 309 digits that starts at 0).
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <string>

namespace migrate::cli {

// The whole number of at least 1 in `text`; a UsageError naming `option`
// otherwise. A count beyond what a size_t holds reads as the largest one
// (more than any table has rows or any fleet has databases).
std::size_t parse_count(const std::string& option, const std::string& text);

// The same check as a CLI11 validator, for options stored as numbers.
CLI::Validator count_validator(const std::string& option);

}  // namespace migrate::cli
