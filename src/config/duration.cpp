#include "config/duration.h"

#include <cmath>
#include <cstdlib>

#include "util/strings.h"

namespace migrate::config {

namespace {

struct Unit {
  std::string_view name;
  double ms;
};
constexpr Unit kUnits[] = {{"us", 0.001},  {"ms", 1},        {"s", 1000},
                           {"min", 60000}, {"h", 3'600'000}, {"d", 86'400'000}};

// The number and unit of `text`; false when the form is wrong.
bool split_value(std::string_view text, double& number, std::string_view& unit) {
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
  if (!digits) return false;
  number = std::strtod(std::string(t.substr(0, i)).c_str(), nullptr);
  while (i < t.size() && t[i] == ' ') ++i;
  unit = t.substr(i);
  return true;
}

}  // namespace

std::optional<double> parse_pg_duration(std::string_view text) {
  double number = 0;
  std::string_view unit;
  if (!split_value(text, number, unit)) return std::nullopt;
  double factor = unit.empty() ? 1 : 0;
  for (const Unit& u : kUnits)
    if (unit == u.name) factor = u.ms;
  if (factor == 0) return std::nullopt;
  double ms = number * factor;
  if (!std::isfinite(ms) || ms > 2147483647.0) return std::nullopt;
  return ms;
}

std::string bad_duration_message(const std::string& key, const std::string& value) {
  return "`" + key + "` must be a PostgreSQL time value such as 5s, 500ms, 2min or 0 (no limit), " +
         "not '" + value + "' (units: us, ms, s, min, h, d; no unit means milliseconds)";
}

std::optional<std::chrono::milliseconds> parse_wait(std::string_view text) {
  double number = 0;
  std::string_view unit;
  if (!split_value(text, number, unit)) return std::nullopt;
  if (unit.empty() && number != 0) return std::nullopt;
  std::optional<double> ms = parse_pg_duration(text);
  if (!ms) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(*ms)));
}

std::string bad_wait_message(const std::string& key, const std::string& value) {
  return "`" + key + "` must be a time with a unit such as 30s, 2min or 0 (do not wait), not '" +
         value + "'";
}

}  // namespace migrate::config
