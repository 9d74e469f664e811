#include "cli/count_option.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "util/error.h"

namespace migrate::cli {

namespace {

// Empty when `text` is a whole number of at least 1, else what is wrong.
std::string count_problem(const std::string& text) {
  const bool digits = !text.empty() && std::all_of(text.begin(), text.end(),
                                                   [](char c) { return c >= '0' && c <= '9'; });
  if (digits && text.find_first_not_of('0') != std::string::npos) return {};
  return fmt::format("must be a whole number of at least 1, not '{}'", text);
}

}  // namespace

std::size_t parse_count(const std::string& option, const std::string& text) {
  const std::string problem = count_problem(text);
  if (!problem.empty()) throw UsageError(option + " " + problem);
  const std::size_t first = text.find_first_not_of('0');
  if (text.size() - first > 18) return std::numeric_limits<std::size_t>::max();
  return static_cast<std::size_t>(std::stoull(text));
}

CLI::Validator count_validator(const std::string& option) {
  // CLI11 puts the option's name before the text this returns; the value
  // is rewritten so that a huge count converts (to the largest one).
  return CLI::Validator(
      [option](std::string& text) -> std::string {
        std::string problem = count_problem(text);
        if (problem.empty()) text = std::to_string(parse_count(option, text));
        return problem;
      },
      "N", "count");
}

}  // namespace migrate::cli
