#include "schema/sqlite/sqlite_create_table.h"

#include "sql/sqlite/text.h"
#include "util/error.h"

namespace migrate::schema::sqlite {

// SQLite's tokenizer and text operations (sql/sqlite/).
using sql::sqlite::Kind;
using sql::sqlite::normalize;
using sql::sqlite::quote_ident;
using sql::sqlite::skip_parens;
using sql::sqlite::Token;
using sql::sqlite::tokenize;

namespace {

// Words that end a column's type name and start a column constraint.
bool starts_column_constraint(const Token& t) {
  static const char* const kWords[] = {"constraint", "primary",   "not",     "null",
                                       "unique",     "check",     "default", "collate",
                                       "references", "generated", "as"};
  for (const char* w : kWords)
    if (t.is_word(w)) return true;
  return false;
}

bool starts_table_constraint(const Token& t) {
  return t.is_word("constraint") || t.is_word("primary") || t.is_word("unique") ||
         t.is_word("check") || t.is_word("foreign");
}

// Index of the token that names the created object (after CREATE [TEMP]
// TYPE [IF NOT EXISTS] [schema.]).
std::size_t created_name_index(const std::vector<Token>& t) {
  std::size_t i = 0;
  while (i < t.size() && t[i].kind == Kind::word &&
         (t[i].is_word("create") || t[i].is_word("temp") || t[i].is_word("temporary") ||
          t[i].is_word("unique") || t[i].is_word("virtual")))
    ++i;
  if (i < t.size()) ++i;  // TABLE / INDEX / VIEW / TRIGGER
  if (i + 2 < t.size() && t[i].is_word("if") && t[i + 1].is_word("not") &&
      t[i + 2].is_word("exists"))
    i += 3;
  if (i + 2 < t.size() && t[i + 1].is(".")) i += 2;  // schema prefix
  if (i >= t.size()) throw Error("cannot find the object name in: " + normalize(t, 0, t.size()));
  return i;
}

// The foreign key clause starting at REFERENCES (tokens[i]), up to `end`.
ParsedForeignKey parse_references(const std::vector<Token>& t, std::size_t i, std::size_t end) {
  ParsedForeignKey fk;
  if (i + 1 < end) fk.ref_table = t[i + 1].value();
  for (std::size_t j = i + 2; j < end; ++j) {
    if (t[j].is_word("deferrable") && !(j > 0 && t[j - 1].is_word("not"))) {
      fk.deferrable = true;
      if (j + 2 < end && t[j + 1].is_word("initially") && t[j + 2].is_word("deferred"))
        fk.initially_deferred = true;
    }
  }
  return fk;
}

std::vector<std::string> name_list(const std::vector<Token>& t, std::size_t open) {
  std::vector<std::string> out;
  std::size_t close = skip_parens(t, open);
  bool expect_name = true;
  for (std::size_t j = open + 1; j + 1 < close; ++j) {
    if (t[j].is(",")) {
      expect_name = true;
    } else if (expect_name && t[j].is_name()) {
      out.push_back(t[j].value());
      expect_name = false;
    }
  }
  return out;
}

void parse_column(const std::string& sql, const std::vector<Token>& t, std::size_t b, std::size_t e,
                  ParsedTable& table) {
  ParsedColumn col;
  col.name = t[b].value();
  col.definition = sql.substr(t[b].begin, t[e - 1].end - t[b].begin);
  std::string pending_name;
  std::size_t i = b + 1;
  while (i < e && !starts_column_constraint(t[i])) i = t[i].is("(") ? skip_parens(t, i) : i + 1;
  while (i < e) {
    const Token& k = t[i];
    if (k.is_word("constraint") && i + 1 < e) {
      pending_name = t[i + 1].value();
      i += 2;
      continue;
    }
    if (k.is_word("check") && i + 1 < e && t[i + 1].is("(")) {
      std::size_t close = skip_parens(t, i + 1);
      table.checks.push_back({pending_name,
                              sql.substr(t[i + 2].begin, t[close - 1].begin - t[i + 2].begin),
                              col.name});
      pending_name.clear();
      i = close;
      continue;
    }
    if (k.is_word("collate") && i + 1 < e) {
      col.collation = t[i + 1].value();
      i += 2;
      continue;
    }
    if (k.is_word("as") && i + 1 < e && t[i + 1].is("(")) {
      std::size_t close = skip_parens(t, i + 1);
      col.generated = sql.substr(t[i + 2].begin, t[close - 1].begin - t[i + 2].begin);
      if (close < e && t[close].is_word("stored")) col.generated_stored = true;
      i = close;
      continue;
    }
    if (k.is_word("primary")) {
      col.primary_key = true;
      table.primary_key_name = pending_name;
      pending_name.clear();
    }
    if (k.is_word("unique")) col.unique = true;
    if (k.is_word("autoincrement")) table.autoincrement = true;
    if (k.is_word("references")) {
      col.references = true;
      // The clause runs to the next constraint keyword.
      std::size_t j = i + 1;
      while (j < e &&
             !(starts_column_constraint(t[j]) && !t[j].is_word("not") && !t[j].is_word("null")))
        j = t[j].is("(") ? skip_parens(t, j) : j + 1;
      ParsedForeignKey fk = parse_references(t, i, j);
      fk.columns = {col.name};
      fk.name = pending_name;
      pending_name.clear();
      table.foreign_keys.push_back(fk);
      i = j;
      continue;
    }
    if (k.is_word("default") || k.is_word("not") || k.is_word("null")) pending_name.clear();
    i = t[i].is("(") ? skip_parens(t, i) : i + 1;
  }
  table.columns.push_back(std::move(col));
}

void parse_table_constraint(const std::string& sql, const std::vector<Token>& t, std::size_t b,
                            std::size_t e, ParsedTable& table) {
  std::string name;
  std::size_t i = b;
  if (t[i].is_word("constraint") && i + 1 < e) {
    name = t[i + 1].value();
    i += 2;
  }
  if (i >= e) return;
  if (t[i].is_word("check") && i + 1 < e && t[i + 1].is("(")) {
    std::size_t close = skip_parens(t, i + 1);
    table.checks.push_back(
        {name, sql.substr(t[i + 2].begin, t[close - 1].begin - t[i + 2].begin), ""});
  } else if (t[i].is_word("primary")) {
    table.primary_key_name = name;
    for (std::size_t j = i; j < e; ++j)
      if (t[j].is_word("autoincrement")) table.autoincrement = true;
  } else if (t[i].is_word("foreign")) {
    std::size_t open = i + 2;  // FOREIGN KEY (
    if (open >= e || !t[open].is("(")) return;
    std::size_t after = skip_parens(t, open);
    if (after < e && t[after].is_word("references")) {
      ParsedForeignKey fk = parse_references(t, after, e);
      fk.columns = name_list(t, open);
      fk.name = name;
      table.foreign_keys.push_back(fk);
    }
  }
}

}  // namespace

NameSpan find_created_name(const std::string& sql) {
  auto t = tokenize(sql);
  std::size_t i = created_name_index(t);
  return {t[i].begin, t[i].end};
}

std::string rename_created(const std::string& sql, const std::string& new_name) {
  NameSpan s = find_created_name(sql);
  return sql.substr(0, s.begin) + quote_ident(new_name) + sql.substr(s.end);
}

ParsedTable parse_create_table(const std::string& sql) {
  auto t = tokenize(sql);
  ParsedTable table;
  std::size_t i = created_name_index(t);
  table.name = t[i].value();
  table.name_begin = t[i].begin;
  table.name_end = t[i].end;
  ++i;
  if (i < t.size() && t[i].is_word("as")) {
    table.as_select = true;
    return table;
  }
  if (i >= t.size() || !t[i].is("("))
    throw Error("table " + table.name + ": cannot read its stored CREATE TABLE statement");
  std::size_t close = skip_parens(t, i);  // just past the body's ')'
  std::size_t body_end = close - 1;       // index of that ')'
  // Split the body on top-level commas; once a table constraint starts,
  // only table constraints follow.
  std::size_t item = i + 1;
  bool in_constraints = false;
  std::size_t j = item;
  while (j <= body_end) {
    if (j < body_end && t[j].is("(")) {
      j = skip_parens(t, j);
      continue;
    }
    if (j == body_end || t[j].is(",")) {
      if (item < j) {
        if (in_constraints || starts_table_constraint(t[item])) {
          in_constraints = true;
          parse_table_constraint(sql, t, item, j, table);
        } else {
          parse_column(sql, t, item, j, table);
        }
      }
      item = j + 1;
    }
    ++j;
  }
  for (std::size_t j = close; j < t.size(); ++j) {
    if (t[j].is_word("rowid") && j > 0 && t[j - 1].is_word("without")) table.without_rowid = true;
    if (t[j].is_word("strict")) table.strict = true;
  }
  return table;
}

}  // namespace migrate::schema::sqlite
