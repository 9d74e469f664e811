#include "schema/rename_hints.h"

#include <cctype>

#include "util/error.h"

namespace migrate::schema {

namespace {

struct Tok {
  enum Kind { kWord, kQuoted, kPunct, kHint, kOther };
  Kind kind = kOther;
  std::string text;  // word/quoted: the name; punct: the char; hint: the old name's raw text
  int line = 0;
};

const char kMarker[] = "migrate:renamed-from";

bool word_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Tokens that matter for finding CREATE TABLE bodies and hints; string
// literals, dollar-quoted bodies and ordinary comments are skipped.
std::vector<Tok> scan(const std::string& s) {
  std::vector<Tok> out;
  int line = 1;
  std::size_t i = 0;
  auto advance_to = [&](std::size_t end) {
    for (; i < end && i < s.size(); ++i)
      if (s[i] == '\n') ++line;
    i = end;
  };
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      ++line;
      ++i;
    } else if (std::isspace(c)) {
      ++i;
    } else if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
      std::size_t e = s.find('\n', i);
      if (e == std::string::npos) e = s.size();
      std::string body = s.substr(i + 2, e - i - 2);
      std::size_t b = body.find_first_not_of(" \t");
      if (b != std::string::npos && body.compare(b, sizeof kMarker - 1, kMarker) == 0) {
        std::string rest = body.substr(b + sizeof kMarker - 1);
        std::size_t r = rest.find_first_not_of(" \t\r");
        std::size_t re = rest.find_last_not_of(" \t\r");
        out.push_back({Tok::kHint, r == std::string::npos ? "" : rest.substr(r, re - r + 1), line});
      }
      i = e;
    } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      int depth = 0;  // PostgreSQL nests block comments
      std::size_t j = i;
      while (j < s.size()) {
        if (s.compare(j, 2, "/*") == 0)
          ++depth, j += 2;
        else if (s.compare(j, 2, "*/") == 0) {
          j += 2;
          if (--depth == 0) break;
        } else
          ++j;
      }
      advance_to(j);
    } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : static_cast<char>(c);
      std::size_t j = i + 1;
      std::string inner;
      while (j < s.size()) {
        if (s[j] == close) {
          if (close != ']' && j + 1 < s.size() && s[j + 1] == close) {
            inner += close;
            j += 2;
            continue;
          }
          break;
        }
        inner += s[j++];
      }
      int start_line = line;
      advance_to(j + 1);
      if (c != '\'') out.push_back({Tok::kQuoted, inner, start_line});
    } else if (c == '$' && i + 1 < s.size() &&
               (s[i + 1] == '$' || std::isalpha(s[i + 1]) || s[i + 1] == '_')) {
      std::size_t j = i + 1;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      if (j < s.size() && s[j] == '$') {
        std::string tag = s.substr(i, j - i + 1);
        std::size_t e = s.find(tag, j + 1);
        advance_to(e == std::string::npos ? s.size() : e + tag.size());
      } else {
        advance_to(j);
      }
    } else if (word_char(c)) {
      std::size_t j = i;
      while (j < s.size() && word_char(static_cast<unsigned char>(s[j]))) ++j;
      out.push_back({Tok::kWord, s.substr(i, j - i), line});
      i = j;
    } else {
      out.push_back({Tok::kPunct, std::string(1, static_cast<char>(c)), line});
      ++i;
    }
  }
  return out;
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
bool is_punct(const Tok& t, char c) { return t.kind == Tok::kPunct && t.text[0] == c; }
bool is_name(const Tok& t) { return t.kind == Tok::kWord || t.kind == Tok::kQuoted; }

bool starts_table_constraint(const Tok& t) {
  for (const char* w : {"constraint", "primary", "unique", "check", "foreign", "exclude", "like"})
    if (is_word(t, w)) return true;
  return false;
}

HintName name_of(const Tok& t) { return {t.text, t.kind == Tok::kQuoted}; }

}  // namespace

std::vector<RenameHint> parse_rename_hints(const std::string& sql) {
  std::vector<Tok> t = scan(sql);
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
