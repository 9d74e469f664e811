#include "expand/expression.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "sql/postgres/parse.h"
#include "util/error.h"

namespace migrate::expand {

namespace {

constexpr std::size_t kPrefix = 7;  // "SELECT "

struct Ref {
  std::string name;
  std::size_t offset;  // in the expression
};

// Plain (one-field) column references outside sub-selects.
void walk(const nlohmann::json& node, std::vector<Ref>& out) {
  if (node.is_array()) {
    for (const auto& item : node) walk(item, out);
    return;
  }
  if (!node.is_object()) return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (it.key() == "SubLink") continue;  // a sub-select names its own tables' columns
    if (it.key() == "ColumnRef") {
      const auto& fields = it.value().value("fields", nlohmann::json::array());
      const auto loc = it.value().value("location", -1);
      if (fields.size() == 1 && fields[0].contains("String") && loc >= 0) {
        const auto& s = fields[0]["String"];
        out.push_back(
            {s.value("sval", s.value("str", "")), static_cast<std::size_t>(loc) - kPrefix});
      }
      continue;
    }
    walk(it.value(), out);
  }
}

std::vector<Ref> references(const std::string& expr) {
  check_expression(expr);
  nlohmann::json tree = sql::postgres::parse("SELECT " + expr);
  std::vector<Ref> refs;
  walk(tree["stmts"][0]["stmt"]["SelectStmt"]["targetList"], refs);
  return refs;
}

}  // namespace

void check_expression(const std::string& expr) {
  nlohmann::json tree;
  try {
    tree = sql::postgres::parse("SELECT " + expr);
  } catch (const sql::postgres::ParseError& e) {
    throw Error("`" + expr + "` is not an SQL expression: " + e.parser_message());
  }
  const auto& stmts = tree.value("stmts", nlohmann::json::array());
  bool one = stmts.size() == 1 && stmts[0]["stmt"].contains("SelectStmt");
  if (one) {
    const auto& sel = stmts[0]["stmt"]["SelectStmt"];
    for (const char* k : {"fromClause", "whereClause", "groupClause", "havingClause", "sortClause",
                          "limitCount", "distinctClause"})
      if (sel.contains(k)) one = false;
    if (sel.value("targetList", nlohmann::json::array()).size() != 1) one = false;
  }
  if (!one) throw Error("`" + expr + "` is not one SQL expression");
}

bool is_constant(const std::string& expr) {
  check_expression(expr);
  nlohmann::json tree = sql::postgres::parse("SELECT " + expr);
  nlohmann::json v = tree["stmts"][0]["stmt"]["SelectStmt"]["targetList"][0]["ResTarget"]["val"];
  while (v.contains("TypeCast")) v = v["TypeCast"]["arg"];
  if (v.contains("A_Expr") && v["A_Expr"].value("kind", "") == "AEXPR_OP" &&
      !v["A_Expr"].contains("lexpr") && v["A_Expr"].contains("rexpr"))
    v = v["A_Expr"]["rexpr"];  // a unary minus
  return v.contains("A_Const");
}

std::vector<std::string> expression_columns(const std::string& expr) {
  std::vector<std::string> out;
  for (const auto& r : references(expr))
    if (std::find(out.begin(), out.end(), r.name) == out.end()) out.push_back(r.name);
  return out;
}

std::string qualify_columns(const std::string& expr, const std::string& prefix,
                            const std::vector<std::string>& columns) {
  std::vector<Ref> refs = references(expr);
  std::sort(refs.begin(), refs.end(),
            [](const Ref& a, const Ref& b) { return a.offset > b.offset; });
  std::string out = expr;
  for (const auto& r : refs)
    if (std::find(columns.begin(), columns.end(), r.name) != columns.end())
      out.insert(r.offset, prefix + ".");
  return out;
}

}  // namespace migrate::expand
