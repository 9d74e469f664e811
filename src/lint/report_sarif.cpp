// SARIF 2.1.0 (OASIS), the format code-scanning UIs (GitHub, GitLab) read:
// one run, the tool's driver with every rule of the catalogue (id, short
// and full description, help, default level), one result per finding with
// its physical location (artifact URI and a 1-based region).
#include <cctype>
#include <nlohmann/json.hpp>

#include "lint/report.h"
#include "lint/rules.h"

namespace migrate::lint {

namespace {

const char* level(Severity s) { return s == Severity::error ? "error" : "warning"; }

// A relative path as a URI reference: SARIF wants '/' separators and
// percent-escaped spaces and the like.
std::string uri_of(const std::string& path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '.' || c == '_' || c == '-' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

void write_sarif(std::ostream& out, const std::vector<Finding>& findings) {
  using nlohmann::json;
  json rules = json::array();
  for (const auto& r : all_rules())
    rules.push_back({{"id", r.name},
                     {"name", r.name},
                     {"shortDescription", {{"text", r.summary}}},
                     {"fullDescription", {{"text", r.summary}}},
                     {"help", {{"text", r.help}}},
                     {"defaultConfiguration", {{"level", level(r.severity)}}},
                     {"properties", {{"category", category_name(r.category)}}}});
  json results = json::array();
  for (const auto& f : findings) {
    const Rule* r = find_rule(f.rule);
    json result = {
        {"ruleId", f.rule},
        {"level", level(f.severity)},
        {"message", {{"text", f.message + ". Help: " + f.help}}},
        {"locations",
         json::array({{{"physicalLocation",
                        {{"artifactLocation", {{"uri", uri_of(f.file)}}},
                         {"region", {{"startLine", f.line}, {"startColumn", f.column}}}}}}})}};
    if (r) result["ruleIndex"] = static_cast<std::size_t>(r->id);
    results.push_back(std::move(result));
  }
  json doc = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       json::array(
           {{{"tool",
              {{"driver", {{"name", "migrate"}, {"version", MIGRATE_VERSION}, {"rules", rules}}}}},
             {"results", results}}})}};
  out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace migrate::lint
