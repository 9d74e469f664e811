#include "config/duration.h"

#include <cmath>
#include <cstdlib>

#include "util/error.h"
#include "util/strings.h"

namespace migrate::config {

namespace {

struct Unit {
  std::string_view name;
  double ms;
};
constexpr Unit kUnits[] = {{"us", 0.001},  {"ms", 1},        {"s", 1000},
                           {"min", 60000}, {"h", 3'600'000}, {"d", 86'400'000}};
constexpr double kMaxMs = 2147483647.0;

struct Parts {
  double number = 0;
  std::string_view digits;
  std::string_view unit;
};

// The number and unit of `text`; nullopt when the form is wrong.
std::optional<Parts> split_value(std::string_view text) {
  std::string_view t = util::trim(text);
  std::size_t i = 0;
  bool digits = false, dot = false;
  while (i < t.size() && ((t[i] >= '0' && t[i] <= '9') || (t[i] == '.' && !dot))) {
    if (t[i] == '.')
      dot = true;
    else
      digits = true;
    ++i;
  }
  if (!digits || i > 30) return std::nullopt;
  Parts p;
  p.digits = t.substr(0, i);
  p.number = std::strtod(std::string(p.digits).c_str(), nullptr);
  while (i < t.size() && t[i] == ' ') ++i;
  p.unit = t.substr(i);
  return p;
}

}  // namespace

std::optional<double> parse_duration(std::string_view text) {
  std::optional<Parts> p = split_value(text);
  if (!p) return std::nullopt;
  if (p->unit.empty()) {
    if (p->number == 0) return 0.0;
    return std::nullopt;  // a bare number: which unit?
  }
  double factor = 0;
  for (const Unit& u : kUnits)
    if (p->unit == u.name) factor = u.ms;
  if (factor == 0) return std::nullopt;
  double ms = p->number * factor;
  if (!std::isfinite(ms) || ms > kMaxMs) return std::nullopt;
  return ms;
}

std::optional<std::chrono::milliseconds> parse_duration_ms(std::string_view text) {
  std::optional<double> ms = parse_duration(text);
  if (!ms) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(*ms)));
}

std::string bad_duration_message(const std::string& key, const std::string& value,
                                 std::string_view bare_unit) {
  // Echo what was written, but never a page of digits.
  const std::string shown = value.size() > 40 ? value.substr(0, 37) + "..." : value;
  const std::string units = "units: us, ms, s, min, h, d; 0 alone means none";
  std::optional<Parts> p = split_value(value);
  if (p && p->unit.empty()) {
    return "`" + key + "` must be a time value with a unit, not '" + shown + "': did you mean " +
           std::string(p->digits) + std::string(bare_unit) + "? (" + units + ")";
  }
  if (p) {
    for (const Unit& u : kUnits) {
      if (p->unit == u.name)
        return "`" + key + "` must be a time value of at most 24 days, not '" + shown + "'";
    }
  }
  return "`" + key + "` must be a time value with a unit, such as 500ms, 10s, 2min or 1h (" +
         units + "), not '" + shown + "'";
}

std::chrono::milliseconds duration_option(const std::string& option, const std::string& text,
                                          std::string_view bare_unit) {
  auto ms = parse_duration_ms(text);
  if (!ms) throw UsageError(bad_duration_message(option, text, bare_unit));
  return *ms;
}

}  // namespace migrate::config
