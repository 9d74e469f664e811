// Which rules run and how severe their findings are: the catalogue's
// defaults (rules.h) with migrate.yaml's `lint:` section applied, plus the
// PostgreSQL version the rules assume.
#pragma once

#include <array>
#include <map>
#include <string>

#include "config/lint_config.h"
#include "lint/rules.h"

namespace migrate::lint {

// The version assumed when neither the config nor the server says.
constexpr int kDefaultPostgresVersion = 15;

class Settings {
 public:
  Settings();  // the catalogue's defaults
  // Throws migrate::Error "FILE:LINE: ..." for a rule id the catalogue lacks.
  explicit Settings(const config::LintConfig& config);

  bool enabled(RuleId id) const { return enabled_[index(id)]; }
  Severity severity(RuleId id) const { return severity_[index(id)]; }
  int postgres_version() const { return postgres_version_; }

  void set(RuleId id, bool enabled, Severity severity);
  void set_postgres_version(int major) { postgres_version_ = major; }
  // A function's volatility as the server (lint/server_facts.h) or the
  // config says: 'i', 's' or 'v'; 0 when neither knows it (the rules then
  // use their built-in list of volatile functions).
  char volatility(const std::string& function) const {
    auto it = volatility_.find(function);
    return it == volatility_.end() ? 0 : it->second;
  }
  void set_volatility(const std::string& function, char v) { volatility_[function] = v; }

 private:
  static std::size_t index(RuleId id) { return static_cast<std::size_t>(id); }
  static constexpr std::size_t kCount = static_cast<std::size_t>(RuleId::count_);
  std::array<bool, kCount> enabled_{};
  std::array<Severity, kCount> severity_{};
  int postgres_version_ = kDefaultPostgresVersion;
  std::map<std::string, char> volatility_;
};

}  // namespace migrate::lint
