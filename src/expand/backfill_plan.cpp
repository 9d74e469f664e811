#include "expand/backfill_plan.h"

#include "script/revision_header.h"

namespace migrate::expand {

std::vector<std::pair<std::string, std::string>> backfill_sets(const Change& c, QuoteFn ident) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& p : c.pairs) out.emplace_back(p.to.name, p.up);
  for (const auto& f : c.fills)
    out.emplace_back(f.column, "COALESCE(" + ident(f.column) + ", " + f.fill + ")");
  for (const auto& a : c.added)
    if (a.volatile_default && !a.column.not_null)  // NOT NULL ones are fills
      out.emplace_back(a.column.name,
                       "COALESCE(" + ident(a.column.name) + ", " + *a.column.default_expr + ")");
  return out;
}

std::vector<std::string> backfill_unfilled(const Change& c, QuoteFn ident) {
  std::vector<std::string> out;
  for (const auto& p : c.pairs)
    out.push_back(ident(p.to.name) + " IS DISTINCT FROM (" + p.up + ")");
  for (const auto& f : c.fills) out.push_back(ident(f.column) + " IS NULL");
  for (const auto& a : c.added)
    if (a.volatile_default && !a.column.not_null) out.push_back(ident(a.column.name) + " IS NULL");
  return out;
}

std::vector<std::string> backfill_header(const Change& c, QuoteFn ident, const std::string& table,
                                         const std::vector<std::string>& extra) {
  std::vector<std::string> h = {"phase: backfill", "transactional: false"};
  const auto set = backfill_sets(c, ident);
  if (set.empty() && extra.empty()) return h;
  std::string key;
  for (const auto& k : c.key) key += (key.empty() ? "" : ", ") + script::yaml_quote(k, true);
  h.push_back("backfill:");
  h.push_back("  table: " + script::yaml_quote(table));
  h.push_back("  key: [" + key + "]");
  h.insert(h.end(), extra.begin(), extra.end());
  if (set.empty()) return h;
  h.push_back("  set:");
  for (const auto& [column, expr] : set)
    h.push_back("    " + script::yaml_quote(column) + ": " + script::yaml_quote(expr));
  std::string where;
  for (const auto& w : backfill_unfilled(c, ident)) where += (where.empty() ? "" : " OR ") + w;
  h.push_back("  where: " + script::yaml_quote(where));
  return h;
}

}  // namespace migrate::expand
