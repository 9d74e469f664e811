#include "config/lint_config.h"

#include <yaml-cpp/yaml.h>

#include "util/error.h"
#include "util/strings.h"

namespace migrate::config {

namespace {

std::string at(const std::string& file, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.line >= 0 ? file + ":" + std::to_string(mark.line + 1) : file;
}

int parse_version(const YAML::Node& value, const std::string& file) {
  const std::string text(util::trim(value.IsScalar() ? value.Scalar() : ""));
  bool digits = !text.empty() && text.size() <= 6;
  for (char c : text) digits = digits && c >= '0' && c <= '9';
  int v = digits ? std::stoi(text) : 0;
  // server_version_num form (150004) -> 15.
  if (v >= 10000) v /= 10000;
  if (v < 9 || v > 99)
    throw Error(at(file, value) +
                ": `lint.postgres_version` must be a PostgreSQL major version such as 15");
  return v;
}

}  // namespace

LintConfig load_lint_config(const YAML::Node& node, const std::string& file) {
  if (!node.IsMap())
    throw Error(
        at(file, node) +
        ": `lint` must be a mapping (postgres_version:, functions:, rules:), see docs/safety.md");
  LintConfig out;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    const std::string name = key.IsScalar() ? key.Scalar() : "";
    if (name == "postgres_version") {
      out.postgres_version = parse_version(value, file);
    } else if (name == "rules") {
      if (value.IsNull()) continue;
      if (!value.IsMap())
        throw Error(at(file, value) + ": `lint.rules` must map rule ids to off|on|warning|error");
      for (auto r = value.begin(); r != value.end(); ++r) {
        const YAML::Node id = r->first;
        const YAML::Node setting = r->second;
        const std::string text =
            setting.IsScalar() ? std::string(util::trim(setting.Scalar())) : "";
        if (text != "off" && text != "on" && text != "warning" && text != "error")
          throw Error(at(file, setting) + ": `lint.rules." + (id.IsScalar() ? id.Scalar() : "?") +
                      "` must be off, on, warning or error");
        out.rules[id.IsScalar() ? id.Scalar() : ""] = {text, at(file, id)};
      }
    } else if (name == "functions") {
      if (value.IsNull()) continue;
      if (!value.IsMap())
        throw Error(at(file, value) +
                    ": `lint.functions` must map function names to immutable|stable|volatile");
      for (auto f = value.begin(); f != value.end(); ++f) {
        const std::string fn = f->first.IsScalar() ? f->first.Scalar() : "";
        const std::string v =
            f->second.IsScalar() ? std::string(util::trim(f->second.Scalar())) : "";
        if (fn.empty() || (v != "immutable" && v != "stable" && v != "volatile"))
          throw Error(at(file, f->second) + ": `lint.functions." + fn +
                      "` must be immutable, stable or volatile");
        out.functions[fn] = v[0] == 'i' ? 'i' : (v[0] == 's' ? 's' : 'v');
      }
    } else {
      throw Error(at(file, key) + ": unknown key `lint." + name +
                  "` (known: postgres_version, functions, rules)");
    }
  }
  return out;
}

}  // namespace migrate::config
