#include "db/postgres/pg_lock_wait.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "sql/postgres/parse.h"
#include "util/strings.h"

namespace migrate::db::postgres {

namespace {

using nlohmann::json;

// Every RangeVar under `node`, depth first. A RangeVar comes wrapped as
// {"RangeVar": {...}} where any node may stand, bare where the field can only
// hold one (AlterTableStmt.relation): both have relname and relpersistence.
void collect(const json& node, std::vector<std::pair<int, NamedRelation>>& out) {
  if (node.is_object()) {
    auto rel = node.find("relname");
    if (rel != node.end() && rel->is_string() && node.contains("relpersistence")) {
      std::string name = rel->get<std::string>();
      std::string schema = node.value("schemaname", "");
      NamedRelation r;
      r.display = schema.empty() ? name : schema + "." + name;
      r.regclass = (schema.empty() ? "" : util::quote_doubled(schema, '"') + ".") +
                   util::quote_doubled(name, '"');
      out.emplace_back(node.value("location", 0), std::move(r));
      return;
    }
    for (auto it = node.begin(); it != node.end(); ++it) collect(it.value(), out);
  } else if (node.is_array()) {
    for (const auto& item : node) collect(item, out);
  }
}

}  // namespace

std::vector<NamedRelation> relations_named(const std::string& sql) {
  std::vector<std::pair<int, NamedRelation>> found;
  try {
    collect(sql::postgres::parse(sql), found);
  } catch (const sql::postgres::ParseError&) {
    // Not parsed: no names to offer (the server says what is wrong).
  }
  // The tree's keys come sorted by name; the statement's order reads better.
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<NamedRelation> out;
  for (auto& entry : found) {
    NamedRelation& rel = entry.second;  // a structured binding cannot be captured in C++17
    bool seen = std::any_of(out.begin(), out.end(),
                            [&](const NamedRelation& o) { return o.regclass == rel.regclass; });
    if (!seen) out.push_back(std::move(rel));
  }
  return out;
}

std::string describe_relations(const std::vector<NamedRelation>& relations) {
  if (relations.empty()) return "a lock";
  std::vector<std::string> quoted;
  quoted.reserve(relations.size());
  for (const auto& r : relations) quoted.push_back("\"" + r.display + "\"");
  return (relations.size() == 1 ? "a lock on table " : "a lock on one of the tables ") +
         util::join(quoted, ", ");
}

std::chrono::milliseconds retry_delay(int n, std::mt19937& rng) {
  const double base_ms = std::min(500.0 * static_cast<double>(1LL << std::min(n - 1, 16)), 30000.0);
  std::uniform_real_distribution<double> jitter(0.5, 1.5);
  return std::chrono::milliseconds(static_cast<long long>(base_ms * jitter(rng)));
}

std::string format_delay(std::chrono::milliseconds d) {
  if (d.count() < 1000) return fmt::format("{}ms", d.count());
  return fmt::format("{:.1f}s", static_cast<double>(d.count()) / 1000.0);
}

}  // namespace migrate::db::postgres
