#include "graph/target_syntax.h"

#include <cctype>

#include "graph/revision_graph.h"

namespace migrate::graph::detail {
namespace {

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// `\w*[+-]\d+`, whole string.
bool parse_count(const std::string& s, RelativeTarget& out) {
  std::size_t i = 0;
  while (i < s.size() && is_word(s[i])) ++i;
  if (i + 1 >= s.size() || (s[i] != '+' && s[i] != '-')) return false;
  for (std::size_t k = i + 1; k < s.size(); ++k)
    if (!is_digit(s[k])) return false;
  if (i > 0) out.symbol = s.substr(0, i);
  out.relative = s.substr(i);
  // A count past 9 digits is refused rather than clipped, so that an error
  // never reports a number the user did not write.
  if (s.size() - (i + 1) > 9) {
    throw GraphError("relative revision " + out.relative +
                     ": the count is too large (at most 999999999)");
  }
  long long n = 0;
  for (std::size_t k = i + 1; k < s.size(); ++k) n = n * 10 + (s[k] - '0');
  out.steps = s[i] == '-' ? -n : n;
  return true;
}

}  // namespace

std::optional<RelativeTarget> parse_relative(const std::string& target) {
  RelativeTarget out;
  std::size_t at = target.rfind('@');
  if (at == std::string::npos) {
    if (parse_count(target, out)) return out;
    return std::nullopt;
  }
  if (at == 0 || !parse_count(target.substr(at + 1), out)) return std::nullopt;
  out.label = target.substr(0, at);
  return out;
}

}  // namespace migrate::graph::detail
