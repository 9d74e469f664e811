#include "schema/rename_hints.h"

#include <cctype>
#include <string_view>

#include "sql/position.h"
#include "sql/postgres/scan.h"
#include "sql/sqlite/tokens.h"
#include "util/error.h"

namespace migrate::schema {

namespace {

struct Tok {
  enum Kind { kWord, kQuoted, kPunct, kHint, kOther };
  Kind kind = kOther;
  std::string text;  // word/punct: as written; quoted: the name; hint: the old name's raw text
  int line = 0;
};

const char kMarker[] = "migrate:renamed-from";

bool word_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The raw text after the marker of a `-- migrate:renamed-from OLD` comment;
// false for any other comment.
bool hint_of(std::string_view comment, std::string& old_name) {
  if (comment.substr(0, 2) != "--") return false;
  std::string_view body = comment.substr(2);
  std::size_t b = body.find_first_not_of(" \t");
  if (b == std::string_view::npos || body.compare(b, sizeof kMarker - 1, kMarker) != 0)
    return false;
  std::string_view rest = body.substr(b + sizeof kMarker - 1);
  std::size_t r = rest.find_first_not_of(" \t\r");
  std::size_t re = rest.find_last_not_of(" \t\r");
  old_name = r == std::string_view::npos ? "" : std::string(rest.substr(r, re - r + 1));
  return true;
}

// The file line of byte offsets asked for in increasing order.
class Lines {
 public:
  explicit Lines(const std::string& s) : s_(s) {}
  int at(std::size_t offset) {
    line_ += sql::count_newlines(s_, pos_, offset);
    pos_ = offset;
    return line_;
  }

 private:
  const std::string& s_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

// SQLite's tokens (sql/sqlite/): names, punctuation and hint comments;
// strings and other comments dropped.
std::vector<Tok> sqlite_tokens(const std::string& s) {
  namespace lite = sql::sqlite;
  std::vector<Tok> out;
  Lines lines(s);
  std::string hint;
  for (std::size_t pos = 0; pos < s.size();) {
    const lite::RawToken t = lite::token_at(s, pos);
    pos = t.end;
    std::string text = s.substr(t.begin, t.end - t.begin);
    switch (t.kind) {
      case lite::Kind::space:
      case lite::Kind::string:
        break;
      case lite::Kind::comment:
        if (hint_of(text, hint)) out.push_back({Tok::kHint, hint, lines.at(t.begin)});
        break;
      case lite::Kind::word:
        out.push_back({Tok::kWord, text, lines.at(t.begin)});
        break;
      case lite::Kind::quoted:
        out.push_back(
            {Tok::kQuoted, lite::Token{t.kind, text, t.begin, t.end}.value(), lines.at(t.begin)});
        break;
      case lite::Kind::punct:
        out.push_back({Tok::kPunct, text, lines.at(t.begin)});
        break;
      default:  // numbers, variables, illegal bytes
        out.push_back({Tok::kOther, text, lines.at(t.begin)});
        break;
    }
  }
  return out;
}

// PostgreSQL's tokens (sql/postgres/scan.h), the same way. Keywords are
// words: an unreserved one may name a column.
std::vector<Tok> postgres_tokens(const std::string& s) {
  namespace pg = sql::postgres;
  std::vector<Tok> out;
  Lines lines(s);
  std::string hint;
  for (const pg::Token& t : pg::scan(s)) {
    std::string text(t.text(s));
    switch (t.kind) {
      case pg::Kind::string:
        break;
      case pg::Kind::comment:
        if (hint_of(text, hint)) out.push_back({Tok::kHint, hint, lines.at(t.begin)});
        break;
      case pg::Kind::identifier:
      case pg::Kind::keyword:
        if (t.quoted)
          out.push_back({Tok::kQuoted, t.value, lines.at(t.begin)});
        else
          out.push_back({Tok::kWord, text, lines.at(t.begin)});
        break;
      case pg::Kind::op:
      case pg::Kind::other:
        out.push_back({Tok::kPunct, text, lines.at(t.begin)});
        break;
      default:  // numbers, parameters
        out.push_back({Tok::kOther, text, lines.at(t.begin)});
        break;
    }
  }
  return out;
}

// The one place where the dialect picks the lexer.
std::vector<Tok> scan(const std::string& sql, config::DatabaseUrl::Kind dialect) {
  return dialect == config::DatabaseUrl::kSqlite ? sqlite_tokens(sql) : postgres_tokens(sql);
}

HintName hint_name(const std::string& raw) {
  if (raw.size() >= 2 && (raw[0] == '"' || raw[0] == '`' || raw[0] == '['))
    return {raw.substr(1, raw.size() - 2), true};
  std::string word;
  for (char c : raw) {
    if (!word_char(static_cast<unsigned char>(c)) && c != '.') break;
    word += c;
  }
  return {word, false};
}

bool is_word(const Tok& t, const char* w) { return t.kind == Tok::kWord && lower(t.text) == w; }
bool is_punct(const Tok& t, char c) {
  return t.kind == Tok::kPunct && t.text.size() == 1 && t.text[0] == c;
}
bool is_name(const Tok& t) { return t.kind == Tok::kWord || t.kind == Tok::kQuoted; }

bool starts_table_constraint(const Tok& t) {
  for (const char* w : {"constraint", "primary", "unique", "check", "foreign", "exclude", "like"})
    if (is_word(t, w)) return true;
  return false;
}

HintName name_of(const Tok& t) { return {t.text, t.kind == Tok::kQuoted}; }

}  // namespace

std::vector<RenameHint> parse_rename_hints(const std::string& sql,
                                           config::DatabaseUrl::Kind dialect) {
  std::vector<Tok> t = scan(sql, dialect);
  std::vector<RenameHint> out;
  std::vector<const Tok*> pending;  // hints since the last statement's end
  std::size_t i = 0;
  while (i < t.size()) {
    if (t[i].kind == Tok::kHint) {
      pending.push_back(&t[i++]);
      continue;
    }
    if (is_punct(t[i], ';')) {
      pending.clear();
      ++i;
      continue;
    }
    // CREATE [OR REPLACE] [GLOBAL|LOCAL] [TEMP|TEMPORARY|UNLOGGED] TABLE [IF NOT EXISTS] name (
    if (!is_word(t[i], "create")) {
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    while (j < t.size() && t[j].kind == Tok::kWord && !is_word(t[j], "table") &&
           (is_word(t[j], "or") || is_word(t[j], "replace") || is_word(t[j], "temp") ||
            is_word(t[j], "temporary") || is_word(t[j], "unlogged") || is_word(t[j], "global") ||
            is_word(t[j], "local")))
      ++j;
    if (j >= t.size() || !is_word(t[j], "table")) {
      i = j;
      continue;
    }
    int create_line = t[i].line;
    ++j;
    if (j + 2 < t.size() && is_word(t[j], "if") && is_word(t[j + 1], "not") &&
        is_word(t[j + 2], "exists"))
      j += 3;
    std::vector<const Tok*> table_hints = pending;
    pending.clear();
    HintName schema, table;
    while (j < t.size() && t[j].kind == Tok::kHint) table_hints.push_back(&t[j++]);
    if (j >= t.size() || !is_name(t[j])) {
      i = j;
      continue;
    }
    table = name_of(t[j++]);
    if (j + 1 < t.size() && is_punct(t[j], '.') && is_name(t[j + 1])) {
      schema = table;
      table = name_of(t[j + 1]);
      j += 2;
    }
    while (j < t.size() && t[j].kind == Tok::kHint) table_hints.push_back(&t[j++]);
    if (j >= t.size() || !is_punct(t[j], '(')) {
      i = j;
      continue;
    }
    ++j;
    // The body: items at depth 1, separated by commas.
    int depth = 1;
    bool item_open = false;
    int item_line = 0;
    bool any_item = false;
    HintName item_name;
    bool item_is_column = false;
    std::vector<const Tok*> col_pending;
    auto attach = [&](const Tok* h, const HintName& column) {
      out.push_back({schema, table, column, hint_name(h->text), h->line});
    };
    for (; j < t.size() && depth > 0; ++j) {
      const Tok& k = t[j];
      if (k.kind == Tok::kHint) {
        if (depth == 1 && !any_item && k.line == create_line) {
          table_hints.push_back(&k);
        } else if (any_item && item_line == k.line && item_is_column) {
          attach(&k, item_name);
        } else {
          col_pending.push_back(&k);
        }
        continue;
      }
      if (is_punct(k, '(')) ++depth;
      if (is_punct(k, ')')) --depth;
      if (depth == 1 && is_punct(k, ',')) {
        item_open = false;
        continue;
      }
      if (depth == 1 && !item_open && !is_punct(k, ')')) {
        item_open = true;
        any_item = true;
        item_line = k.line;
        item_is_column = is_name(k) && !starts_table_constraint(k);
        item_name = name_of(k);
        for (const Tok* h : col_pending)
          if (item_is_column) attach(h, item_name);
        col_pending.clear();
      }
    }
    for (const Tok* h : table_hints) attach(h, {});
    i = j;
  }
  return out;
}

namespace {

bool same(const HintName& hint, const std::string& stored, bool fold_bare_lower,
          bool case_insensitive) {
  if (case_insensitive) return lower(hint.text) == lower(stored);
  if (hint.quoted) return hint.text == stored;
  return (fold_bare_lower ? lower(hint.text) : hint.text) == stored;
}

}  // namespace

void apply_rename_hints(Schema& schema, const std::vector<RenameHint>& hints,
                        const std::string& file) {
  // SQLite names are case-insensitive; PostgreSQL folds bare names to lower case.
  bool sqlite = schema.dialect == config::DatabaseUrl::kSqlite;
  auto old_text = [&](const HintName& n) {
    if (sqlite || n.quoted) return n.text;
    return lower(n.text);
  };
  for (const auto& h : hints) {
    std::string where = file + ":" + std::to_string(h.line) + ": ";
    if (h.old_name.text.empty())
      throw Error(where + "`-- migrate:renamed-from` needs the old name after it");
    Table* table = nullptr;
    for (auto& t : schema.tables)
      if (same(h.table, t.name.name, true, sqlite) &&
          (h.schema.text.empty() || same(h.schema, t.name.schema, true, sqlite)))
        table = &t;
    if (!table)
      throw Error(where + "rename hint for table " + h.table.text +
                  ", which the schema file does not create");
    if (h.column.text.empty()) {
      table->renamed_from = old_text(h.old_name);
      continue;
    }
    Column* column = nullptr;
    for (auto& c : table->columns)
      if (same(h.column, c.name, true, sqlite)) column = &c;
    if (!column)
      throw Error(where + "rename hint for column " + h.table.text + "." + h.column.text +
                  ", which the schema file does not create");
    column->renamed_from = old_text(h.old_name);
  }
}

}  // namespace migrate::schema

namespace migrate::schema {

Schema with_reversed_hints(const Schema& hinted, Schema other) {
  bool ci = hinted.dialect == config::DatabaseUrl::kSqlite;
  auto eq = [&](const std::string& a, const std::string& b) {
    return ci ? lower(a) == lower(b) : a == b;
  };
  for (const auto& t : hinted.tables) {
    // The table's name in `other`: its old name when it is being renamed.
    Table* target = nullptr;
    for (auto& o : other.tables)
      if (o.name.schema == t.name.schema && eq(o.name.name, t.name.name)) target = &o;
    if (!target && !t.renamed_from.empty())
      for (auto& o : other.tables)
        if (o.name.schema == t.name.schema && eq(o.name.name, t.renamed_from)) {
          target = &o;
          o.renamed_from = t.name.name;
        }
    if (!target) continue;
    for (const auto& c : t.columns) {
      if (c.renamed_from.empty()) continue;
      for (auto& oc : target->columns)
        if (eq(oc.name, c.renamed_from)) oc.renamed_from = c.name;
    }
  }
  return other;
}

}  // namespace migrate::schema
