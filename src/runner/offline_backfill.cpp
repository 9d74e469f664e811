#include "runner/offline_backfill.h"

#include <fmt/format.h>

namespace migrate::runner {

namespace {

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// `schema.table` or `table`, each part quoted.
std::string table_sql(const db::Dialect& d, const std::string& name) {
  const auto dot = name.find('.');
  if (dot == std::string::npos) return d.quote_ident(name);
  return d.quote_ident(name.substr(0, dot)) + "." + d.quote_ident(name.substr(dot + 1));
}

}  // namespace

std::string offline_backfill_check_sql(const db::Dialect& d, const script::BackfillSpec& spec,
                                       const std::string& file, const std::string& revision) {
  // A row is left to fill: it matches `where` (every row when a `set` has
  // none: the script cannot tell a filled one), or has no copy yet.
  std::vector<std::string> left;
  if (!spec.set.empty()) left.push_back(spec.where.empty() ? "TRUE" : "(" + spec.where + ")");
  if (!spec.copy_to.empty()) {
    std::vector<std::string> same;
    for (const auto& k : spec.key)
      same.push_back("c." + d.quote_ident(k) + " = t." + d.quote_ident(k));
    left.push_back(fmt::format("NOT EXISTS (SELECT 1 FROM {} AS c WHERE {})",
                               table_sql(d, spec.copy_to), join(same, " AND ")));
  }
  if (left.empty()) return "";
  const std::string from =
      fmt::format("FROM {} AS t WHERE {}", table_sql(d, spec.table), join(left, " OR "));
  const std::string message = fmt::format(
      "migrate: {}: backfill {} needs a live connection: rows of {} are not filled yet; run "
      "`migrate upgrade {}` (the backfill engine), then the rest of this script",
      file, revision, spec.table, revision);
  if (d.name() == "sqlite")  // no RAISE outside triggers: a JSON path error carries the text
    return fmt::format(
        "SELECT json_extract('{{}}', {} || n || ' row(s)') FROM (SELECT count(*) AS n {}) WHERE "
        "n > 0",
        d.quote_literal(message + ": "), from);
  if (d.name() == "postgresql")
    return fmt::format(
        "DO $migrate$\nBEGIN\n  IF EXISTS (SELECT 1 {}) THEN\n    RAISE EXCEPTION '%', {};\n  END "
        "IF;\nEND\n$migrate$",
        from, d.quote_literal(message));
  return "";
}

}  // namespace migrate::runner
