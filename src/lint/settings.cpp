#include "lint/settings.h"

#include "util/error.h"

namespace migrate::lint {

Settings::Settings() {
  for (const auto& r : all_rules()) {
    enabled_[index(r.id)] = r.on_by_default;
    severity_[index(r.id)] = r.severity;
  }
}

Settings::Settings(const config::LintConfig& config) : Settings() {
  if (config.postgres_version) postgres_version_ = *config.postgres_version;
  volatility_ = config.functions;
  for (const auto& [name, setting] : config.rules) {
    const Rule* r = find_rule(name);
    if (!r)
      throw Error(setting.where + ": `lint.rules` names no rule `" + name +
                  "` (the ids are listed in docs/safety.md and by `migrate lint --list-rules`)");
    if (setting.value == "off")
      set(r->id, false, r->severity);
    else if (setting.value == "on")
      set(r->id, true, r->severity);
    else
      set(r->id, true, setting.value == "error" ? Severity::error : Severity::warning);
  }
}

void Settings::set(RuleId id, bool enabled, Severity severity) {
  enabled_[index(id)] = enabled;
  severity_[index(id)] = severity;
}

}  // namespace migrate::lint
