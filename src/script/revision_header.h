// The YAML header of a revision file, read in two ways that must agree:
//
//  - parse_header_fast(): a hand-written reader for the form `migrate
//    revision` writes and people type (`key: scalar`, `key: null`,
//    `key: [a, b]`, `key: []`, plain or simply quoted scalars, `# comments`).
//    `migrate heads` on 10,000 files must stay within ~30 ms, and building a
//    yaml-cpp document costs tens of microseconds per header; this costs a
//    few.
//  - parse_header_yaml(): yaml-cpp, for everything else (block lists,
//    multi-line or escaped strings, anchors, ...). The fast reader declines
//    (returns nullopt) whenever it is not sure it reads the text exactly as
//    YAML does, so the full parser has the last word.
//
// Both return the same neutral form; what the keys mean is decided once, in
// revision_file.cpp. tests/unit/revision_file_test.cpp checks that both
// agree on every form the fast reader accepts.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migrate::script {

// One YAML scalar as text: its source characters, never a converted value
// (so the id `1975e8` stays "1975e8", not the float 1.975e11).
struct HeaderScalar {
  std::string text;
  bool is_null = false;  // plain null, Null, NULL or ~ (a quoted 'null' is text)
  bool operator==(const HeaderScalar& o) const { return text == o.text && is_null == o.is_null; }
};

struct HeaderValue {
  // kMapping: a nested mapping (only the yaml-cpp reader gives one), kept
  // as YAML text in `scalar` for the key that takes one (`backfill:`).
  enum Kind { kNull, kScalar, kList, kMapping };
  Kind kind = kNull;
  std::string scalar;               // kScalar; kMapping: the mapping as YAML
  std::vector<HeaderScalar> items;  // kList
  bool operator==(const HeaderValue& o) const {
    return kind == o.kind && scalar == o.scalar && items == o.items;
  }
};

struct HeaderEntry {
  std::string key;
  int line = 0;  // 1-based file line of the key
  HeaderValue value;
  bool operator==(const HeaderEntry& o) const {
    return key == o.key && line == o.line && value == o.value;
  }
};

// `lines[i]` is file line i+1 with its `--` prefix (and one space) removed;
// a blank file line is an empty string. Entries come in file order,
// duplicates included.
std::optional<std::vector<HeaderEntry>> parse_header_fast(
    const std::vector<std::string_view>& lines);

// Throws migrate::Error "PATH:LINE: ..." for bad YAML, a header that is not a
// mapping, or a list holding more than scalars.
std::vector<HeaderEntry> parse_header_yaml(const std::vector<std::string_view>& lines,
                                           const std::string& path);

// `text` as a YAML scalar on one line that both readers give back unchanged:
// plain when the fast reader would take it as is, single-quoted otherwise,
// double-quoted with escapes when it holds control characters (a newline
// must not end a `--` header line). `in_flow_list`: for an item of `[a, b]`,
// where `,` `[` `]` are special too. For writing headers and migrate.yaml.
std::string yaml_quote(const std::string& text, bool in_flow_list = false);

}  // namespace migrate::script
