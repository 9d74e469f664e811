#include "schema/postgres/pg_def_rename.h"

#include <string_view>
#include <vector>

#include "schema/postgres/pg_quote.h"
#include "sql/postgres/scan.h"

namespace migrate::schema::postgres {

namespace {

using sql::postgres::Kind;
using sql::postgres::Token;

bool is_op(const std::string& def, const Token& t, std::string_view op) {
  return t.kind == Kind::op && t.text(def) == op;
}

// Whether tokens[i] names a column: a name (identifier or a keyword that can
// be one) that is not a function being called, a qualifier or a qualified
// name's tail, nor a type after `::`.
bool column_reference(const std::string& def, const std::vector<Token>& tokens, std::size_t i) {
  const Token& t = tokens[i];
  if (!t.is_col_id()) return false;
  if (i > 0 && (is_op(def, tokens[i - 1], ".") || is_op(def, tokens[i - 1], "::"))) return false;
  if (i + 1 < tokens.size() && (is_op(def, tokens[i + 1], "(") || is_op(def, tokens[i + 1], ".")))
    return false;
  return true;
}

// Appends def[from, to) to `out` with the column references among
// tokens[first, last) renamed.
void copy_renamed(const std::string& def, const std::vector<Token>& tokens, std::size_t first,
                  std::size_t last, const ColumnRenames& renames, std::size_t& at,
                  std::string& out) {
  for (std::size_t i = first; i < last; ++i) {
    const Token& t = tokens[i];
    if (!column_reference(def, tokens, i)) continue;
    auto it = renames.find(t.value);
    if (it == renames.end()) continue;
    out.append(def, at, t.begin - at);
    out += ident(it->second);
    at = t.end;
  }
}

}  // namespace

std::string rename_columns(const std::string& def, const ColumnRenames& renames) {
  if (renames.empty()) return def;
  std::vector<Token> tokens;
  try {
    tokens = sql::postgres::scan(def);
  } catch (const sql::postgres::ScanError&) {
    return def;  // compared as it is: recreated
  }
  std::string out;
  std::size_t at = 0;
  copy_renamed(def, tokens, 0, tokens.size(), renames, at, out);
  return out.append(def, at, std::string::npos);
}

std::string rename_foreign_key(const std::string& def, const ColumnRenames& local,
                               const QualifiedName& table_from, const QualifiedName& table_to,
                               const ColumnRenames& referenced) {
  if (local.empty() && referenced.empty() && table_from == table_to) return def;
  std::vector<Token> tokens;
  try {
    tokens = sql::postgres::scan(def);
  } catch (const sql::postgres::ScanError&) {
    return def;
  }
  // FOREIGN KEY (...) REFERENCES schema.table(...) [actions]
  std::size_t refs = 0;
  while (refs < tokens.size() &&
         !(tokens[refs].kind == Kind::keyword && tokens[refs].value == "references"))
    ++refs;
  if (refs + 4 >= tokens.size() || !is_op(def, tokens[refs + 2], ".")) return def;
  std::string out;
  std::size_t at = 0;
  copy_renamed(def, tokens, 0, refs, local, at, out);
  const Token &schema = tokens[refs + 1], &name = tokens[refs + 3];
  if (table_from != table_to && schema.value == table_from.schema &&
      name.value == table_from.name) {
    out.append(def, at, schema.begin - at);
    out += qualified(table_to);
    at = name.end;
  }
  // The referenced columns: the parenthesised list right after the name.
  std::size_t open = refs + 4, close = open;
  if (open < tokens.size() && is_op(def, tokens[open], "(")) {
    while (close < tokens.size() && !is_op(def, tokens[close], ")")) ++close;
    copy_renamed(def, tokens, open + 1, close, referenced, at, out);
  }
  return out.append(def, at, std::string::npos);
}

}  // namespace migrate::schema::postgres
