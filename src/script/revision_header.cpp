#include "script/revision_header.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "config/strict_yaml.h"
#include "util/error.h"
#include "util/strings.h"

namespace migrate::script {

namespace {

using util::trim;
using util::trim_right;

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_alnum(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

bool is_null_word(std::string_view s) {
  return s == "null" || s == "Null" || s == "NULL" || s == "~";
}

// Characters that give a plain scalar's first character a YAML meaning
// (sequence entry, key, flow collection, comment, anchor, alias, tag, block
// scalar, quote, directive, reserved). The fast reader leaves such values to
// yaml-cpp rather than reimplement each rule.
bool is_indicator(char c) {
  switch (c) {
    case '-':
    case '?':
    case ':':
    case ',':
    case '[':
    case ']':
    case '{':
    case '}':
    case '#':
    case '&':
    case '*':
    case '!':
    case '|':
    case '>':
    case '\'':
    case '"':
    case '%':
    case '@':
    case '`':
      return true;
    default:
      return false;
  }
}

// A plain item of a flow list the fast reader accepts: id-like text.
bool is_simple_item(std::string_view s) {
  if (s.empty() || !(is_alnum(s[0]) || s[0] == '.' || s[0] == '~')) return false;
  for (char c : s) {
    if (!(is_alnum(c) || c == '.' || c == '-' || c == '+' || c == '/' || c == '~' || c == '@')) {
      return false;
    }
  }
  return true;
}

// After a complete value only whitespace or a ` # comment` may follow.
bool only_comment_left(std::string_view rest) {
  std::string_view t = trim(rest);
  if (t.empty()) return true;
  return t[0] == '#' && !rest.empty() && (rest[0] == ' ' || rest[0] == '\t');
}

// A quoted scalar starting at s[i] (a quote). Single quotes escape a quote by
// doubling it; a double-quoted scalar with a backslash escape is left to
// yaml-cpp. Returns false when the scalar does not close on this line.
bool read_quoted(std::string_view s, std::size_t& i, std::string& out) {
  const char quote = s[i++];
  out.clear();
  while (i < s.size()) {
    char c = s[i];
    if (quote == '"' && c == '\\') return false;
    if (c == quote) {
      if (quote == '\'' && i + 1 < s.size() && s[i + 1] == '\'') {
        out += '\'';
        i += 2;
        continue;
      }
      ++i;
      return true;
    }
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') return false;
    out += c;
    ++i;
  }
  return false;
}

std::optional<HeaderValue> read_flow_list(std::string_view v) {
  HeaderValue value;
  value.kind = HeaderValue::kList;
  std::size_t i = 1;  // past '['
  auto skip_ws = [&] {
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
  };
  skip_ws();
  if (i < v.size() && v[i] == ']') {
    ++i;
  } else {
    for (;;) {
      skip_ws();
      if (i >= v.size()) return std::nullopt;
      HeaderScalar item;
      if (v[i] == '\'' || v[i] == '"') {
        if (!read_quoted(v, i, item.text)) return std::nullopt;
      } else {
        std::size_t start = i;
        while (i < v.size() && v[i] != ',' && v[i] != ']') ++i;
        std::string_view token = trim(v.substr(start, i - start));
        if (!is_simple_item(token)) return std::nullopt;
        item.is_null = is_null_word(token);
        if (!item.is_null) item.text = std::string(token);
      }
      value.items.push_back(std::move(item));
      skip_ws();
      if (i >= v.size()) return std::nullopt;
      if (v[i] == ']') {
        ++i;
        break;
      }
      if (v[i] != ',') return std::nullopt;
      ++i;
      skip_ws();
      if (i < v.size() && v[i] == ']') return std::nullopt;  // trailing comma
    }
  }
  if (!only_comment_left(v.substr(i))) return std::nullopt;
  return value;
}

std::optional<HeaderValue> read_value(std::string_view v) {
  HeaderValue value;
  if (v[0] == '[') return read_flow_list(v);
  if (v[0] == '\'' || v[0] == '"') {
    std::size_t i = 0;
    if (!read_quoted(v, i, value.scalar)) return std::nullopt;
    if (!only_comment_left(v.substr(i))) return std::nullopt;
    value.kind = HeaderValue::kScalar;
    return value;
  }
  if (is_indicator(v[0])) return std::nullopt;
  // A plain scalar ends at a comment: '#' after whitespace.
  std::size_t end = v.size();
  for (std::size_t i = 1; i < v.size(); ++i) {
    if (v[i] == '#' && (v[i - 1] == ' ' || v[i - 1] == '\t')) {
      end = i;
      break;
    }
  }
  std::string_view text = trim_right(v.substr(0, end));
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;  // tabs, controls
    // `a: b` inside a value is a nested mapping (or an error) in YAML.
    if (c == ':' && (i + 1 == text.size() || text[i + 1] == ' ')) return std::nullopt;
  }
  if (is_null_word(text)) return value;  // kNull
  value.kind = HeaderValue::kScalar;
  value.scalar = std::string(text);
  return value;
}

std::string at(const std::string& path, int line) { return path + ":" + std::to_string(line); }

// yaml-cpp marks are 0-based lines of the joined header, which starts at
// file line 1; a mark of -1 means "unknown".
int file_line(const YAML::Mark& mark) { return mark.line >= 0 ? mark.line + 1 : 1; }

}  // namespace

std::optional<std::vector<HeaderEntry>> parse_header_fast(
    const std::vector<std::string_view>& lines) {
  std::vector<HeaderEntry> entries;
  entries.reserve(8);
  for (std::size_t n = 0; n < lines.size(); ++n) {
    std::string_view line = lines[n];
    std::string_view t = trim(line);
    if (t.empty() || t[0] == '#') continue;            // blank line or YAML comment
    if (!is_name_start(line[0])) return std::nullopt;  // indented, quoted key, `- x`, ...
    std::size_t i = 1;
    while (i < line.size() && is_alnum(line[i])) ++i;
    if (i >= line.size() || line[i] != ':') return std::nullopt;
    if (i + 1 < line.size() && line[i + 1] != ' ') return std::nullopt;
    if (is_null_word(line.substr(0, i))) return std::nullopt;  // a null key, to yaml-cpp
    std::string_view v = trim(line.substr(i + 1));
    // An empty value may open a block list on the following lines.
    if (v.empty() || v[0] == '#') return std::nullopt;
    std::optional<HeaderValue> value = read_value(v);
    if (!value) return std::nullopt;
    entries.push_back({std::string(line.substr(0, i)), static_cast<int>(n + 1), std::move(*value)});
  }
  return entries;
}

std::vector<HeaderEntry> parse_header_yaml(const std::vector<std::string_view>& lines,
                                           const std::string& path) {
  std::string text;
  for (std::string_view line : lines) {
    text.append(line);
    text += '\n';
  }
  YAML::Node root = config::load_yaml_strict(text, path, "bad YAML in the header");
  std::vector<HeaderEntry> entries;
  if (root.IsNull()) return entries;
  if (!root.IsMap()) {
    throw Error(at(path, file_line(root.Mark())) +
                ": the header must be `-- key: value` lines (write free text as `-- # ...`)");
  }
  // Copies, not references: the iterator's `->` yields a temporary proxy.
  for (auto it = root.begin(); it != root.end(); ++it) {
    const YAML::Node key = it->first;
    const YAML::Node node = it->second;
    const int line = file_line(key.Mark());
    if (!key.IsScalar()) throw Error(at(path, line) + ": a header key must be a plain name");
    HeaderEntry entry{key.Scalar(), line, {}};
    if (node.IsScalar()) {
      entry.value.kind = HeaderValue::kScalar;
      entry.value.scalar = node.Scalar();
    } else if (node.IsSequence()) {
      entry.value.kind = HeaderValue::kList;
      for (const YAML::Node& item : node) {
        if (item.IsNull()) {
          entry.value.items.push_back({"", true});
        } else if (item.IsScalar()) {
          entry.value.items.push_back({item.Scalar(), false});
        } else {
          throw Error(at(path, file_line(item.Mark())) + ": `" + entry.key +
                      "`: a list item must be a single value");
        }
      }
    } else if (node.IsMap()) {
      // Which keys may hold one is revision_file.cpp's decision.
      entry.value.kind = HeaderValue::kMapping;
      YAML::Emitter emitter;
      emitter << node;
      entry.value.scalar = emitter.c_str();
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::string yaml_quote(const std::string& text, bool in_flow_list) {
  bool controls = false;
  for (char c : text) controls = controls || static_cast<unsigned char>(c) < 0x20;
  if (controls) {
    static const char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (char c : text) {
      auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\t') {
        out += "\\t";
      } else if (u < 0x20) {
        out += "\\x";
        out += kHex[u >> 4];
        out += kHex[u & 0xf];
      } else {
        out += c;
      }
    }
    return out + "\"";
  }
  bool plain = false;
  if (in_flow_list) {
    plain = is_simple_item(text) && !is_null_word(text);
  } else if (!text.empty() && trim(text).size() == text.size() && !is_null_word(text)) {
    // Plain exactly when the fast reader gives it back as is.
    std::optional<HeaderValue> v = read_value(text);
    plain = v && v->kind == HeaderValue::kScalar && v->scalar == text;
  }
  if (plain) return text;
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

}  // namespace migrate::script
