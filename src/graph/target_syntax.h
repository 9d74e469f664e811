// Internal to src/graph: the syntax of relative targets (`+2`, `-1`,
// `abc123+2`, `head-1`, `base+1`, `label@+1`, `label@head-2`), following
// Alembic's `(?:(.+?)@)?(\w+)?((?:\+|-)\d+)` but matched against the whole
// target, so a label such as `feature-1` cannot be mistaken for `feature`
// minus one.
#pragma once

#include <optional>
#include <string>

namespace migrate::graph::detail {

struct RelativeTarget {
  std::optional<std::string> label;   // before the last '@'
  std::optional<std::string> symbol;  // what the count starts from; none = the current heads
  long long steps = 0;                // signed
  std::string relative;               // the count as written, e.g. "+2"
};

std::optional<RelativeTarget> parse_relative(const std::string& target);

}  // namespace migrate::graph::detail
