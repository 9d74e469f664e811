#include "db/postgres/pg_row_count.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "sql/postgres/parse.h"
#include "util/strings.h"

namespace migrate::db::postgres {

namespace {

bool starts_with_word(const std::string& sql, const char* word) {
  const std::size_t n = std::char_traits<char>::length(word);
  if (sql.size() < n) return false;
  for (std::size_t i = 0; i < n; ++i) {
    char c = sql[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != word[i]) return false;
  }
  return sql.size() == n || !(std::isalnum(static_cast<unsigned char>(sql[n])) || sql[n] == '_');
}

}  // namespace

std::optional<std::string> truncate_count_sql(const std::string& sql) {
  // Statements come trimmed to their first token (split_sql): a cheap test
  // before the parser.
  if (!starts_with_word(sql, "TRUNCATE")) return std::nullopt;
  nlohmann::json tree = sql::postgres::parse_one(sql);
  if (!tree.is_object() || !tree.contains("TruncateStmt")) return std::nullopt;
  std::string out = "SELECT 0::bigint";
  for (const auto& item : tree["TruncateStmt"].value("relations", nlohmann::json::array())) {
    const nlohmann::json& rv = item.contains("RangeVar") ? item["RangeVar"] : item;
    std::string name = util::quote_doubled(rv.value("relname", ""), '"');
    std::string schema = rv.value("schemaname", "");
    if (!schema.empty()) name = util::quote_doubled(schema, '"') + "." + name;
    out += " + (SELECT count(*) FROM ";
    if (!rv.value("inh", false)) out += "ONLY ";
    out += name + ")";
  }
  return out;
}

bool statement_modifies_rows(const std::string& sql) {
  for (const char* word : {"INSERT", "UPDATE", "DELETE", "MERGE", "COPY"})
    if (starts_with_word(sql, word)) return true;
  if (!starts_with_word(sql, "WITH")) return false;
  nlohmann::json tree = sql::postgres::parse_one(sql);
  if (!tree.is_object()) return false;
  for (const char* node : {"InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"})
    if (tree.contains(node)) return true;
  return false;
}

}  // namespace migrate::db::postgres
