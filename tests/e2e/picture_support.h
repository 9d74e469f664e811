// Helpers for the tests of `migrate graph` and `migrate erd`: real Alembic
// revision graphs (/work/shared/data/real_graphs) written as revision
// files, and readers that take each picture format apart again, so a test
// compares what was drawn with the graph it was drawn from.
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "e2e/project_fixture.h"
#include "test_paths.h"

namespace e2e {

using Edge = std::pair<std::string, std::string>;  // (parent, child)

// One revision of a real graph, as its TSV row lists it.
struct RealRevision {
  std::string id;
  std::vector<std::string> down, labels, depends_on;
  std::string message;
};

struct RealGraph {
  std::vector<RealRevision> revisions;
  std::set<Edge> edges;       // down_revision edges
  std::set<Edge> dependency;  // (dependency, dependent)
  std::set<std::string> heads() const {
    std::set<std::string> h;
    for (const auto& r : revisions) h.insert(r.id);
    for (const auto& e : edges) h.erase(e.first);
    return h;
  }
  std::map<std::string, int> child_count() const {
    std::map<std::string, int> n;
    for (const auto& e : edges) ++n[e.first];
    return n;
  }
};

// The folder of the shared test data: $MIGRATE_TEST_DATA, else
// /work/shared/data, else shared/data beside the checkout (CI's layout).
inline std::string test_data_dir() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("MIGRATE_TEST_DATA")) candidates.push_back(env);
  candidates.push_back("/work/shared/data");
  candidates.push_back(std::string(MIGRATE_REPO_DIR) + "/../shared/data");
  for (const auto& c : candidates)
    if (std::filesystem::exists(c + "/real_graphs")) return c;
  FAIL("no real_graphs test data: set MIGRATE_TEST_DATA to the folder holding real_graphs/");
  return "";
}

inline std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

inline RealGraph read_real_graph(const std::string& name) {
  std::ifstream in(test_data_dir() + "/real_graphs/" + name);
  REQUIRE(in.good());
  RealGraph g;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("revision\t", 0) == 0) continue;
    std::vector<std::string> f;
    std::stringstream row(line);
    std::string cell;
    while (std::getline(row, cell, '\t')) f.push_back(cell);
    f.resize(5);
    RealRevision r{f[0], split_list(f[1]), split_list(f[2]), split_list(f[3]), f[4]};
    for (const auto& p : r.down) g.edges.insert({p, r.id});
    for (const auto& d : r.depends_on) g.dependency.insert({d, r.id});
    g.revisions.push_back(r);
  }
  REQUIRE_FALSE(g.revisions.empty());
  return g;
}

// A YAML double-quoted scalar, for messages with `:` or quotes in them.
inline std::string yaml_quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Writes every revision of `g` into `p` (empty upgrade and downgrade).
inline void write_real_graph(const Project& p, const RealGraph& g) {
  for (const auto& r : g.revisions) {
    std::string down =
        r.down.empty() ? "null" : (r.down.size() == 1 ? r.down[0] : yaml_list(r.down));
    std::string text = "-- revision: " + r.id + "\n-- down_revision: " + down +
                       "\n-- branch_labels: " + yaml_list(r.labels) +
                       "\n-- depends_on: " + yaml_list(r.depends_on) +
                       "\n-- message: " + yaml_quoted(r.message) +
                       "\n-- created: 2026-11-23T10:00:00Z\n\n-- migrate:upgrade\n\n"
                       "-- migrate:downgrade\n";
    testsupport::write_file(p.rev_path(r.id), text);
  }
}

// `migrate graph` (ASCII) read back: the revisions top to bottom, the text
// after each id, and the edges the lanes draw. Lanes are followed row by
// row: `|` keeps a lane, `/` at column 2i-1 moves lane i to i-1 (further
// left across `_`), `\` at 2i+1 moves lane i to i+1; a `*` ends the lines
// arriving in its lane (its children) and starts its own.
struct AsciiGraph {
  std::vector<std::string> order;
  std::map<std::string, std::string> text;
  std::set<Edge> edges;
  std::vector<std::string> problems;
  std::size_t max_width = 0;  // widest lane part
};

inline AsciiGraph parse_ascii(const std::string& out) {
  AsciiGraph g;
  std::map<std::size_t, std::set<std::string>> state;  // column -> revisions whose line is there
  std::stringstream in(out);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::map<std::size_t, std::set<std::string>> next;
    if (line.find('*') != std::string::npos) {
      std::size_t end = line.find_first_not_of("*| ");
      if (end == std::string::npos) {
        g.problems.push_back("line " + std::to_string(n) + ": no revision after the lanes");
        continue;
      }
      std::string lanes = line.substr(0, end);
      std::string rest = line.substr(end);
      std::string id = rest.substr(0, rest.find(' '));
      g.order.push_back(id);
      g.text[id] = rest.size() > id.size() ? rest.substr(id.size() + 1) : "";
      g.max_width = std::max(g.max_width, lanes.size());
      int stars = 0;
      for (std::size_t p = 0; p < lanes.size(); ++p) {
        char c = lanes[p];
        if (c == ' ') continue;
        if (p % 2 == 1) g.problems.push_back("line " + std::to_string(n) + ": odd column " + c);
        if (c == '|') {
          if (!state.count(p))
            g.problems.push_back("line " + std::to_string(n) + ": | from nothing");
          next[p] = state[p];
        } else {
          ++stars;
          for (const auto& child : state[p]) g.edges.insert({id, child});
          next[p] = {id};
        }
      }
      if (stars != 1) g.problems.push_back("line " + std::to_string(n) + ": not one *");
    } else {
      if (line.find_first_not_of(" |/\\_") != std::string::npos)
        g.problems.push_back("line " + std::to_string(n) + ": not a lane row: " + line);
      for (std::size_t p = 0; p < line.size(); ++p) {
        char c = line[p];
        if (c == '|') {
          next[p].insert(state[p].begin(), state[p].end());
        } else if (c == '/') {
          std::size_t d = p - 1;
          while (d >= 1 && line[d - 1] == '_') d -= 2;
          next[d].insert(state[p + 1].begin(), state[p + 1].end());
          if (state[p + 1].empty())
            g.problems.push_back("line " + std::to_string(n) + ": / from nothing");
        } else if (c == '\\') {
          next[p + 1].insert(state[p - 1].begin(), state[p - 1].end());
          if (state[p - 1].empty())
            g.problems.push_back("line " + std::to_string(n) + ": \\ from nothing");
        }
      }
    }
    state.clear();
    for (auto& [col, ids] : next)
      if (!ids.empty()) state[col] = ids;
  }
  return g;
}

// The parts of a `migrate graph --format mermaid` flowchart.
struct MermaidGraph {
  std::string header;
  std::map<std::string, std::string> labels;  // id -> label
  std::vector<std::string> node_order;
  std::set<Edge> edges, dependency;
  std::set<std::string> heads, current;
  std::vector<std::string> unknown_lines;
};

inline std::set<std::string> ids_of_class(const std::string& list) {
  std::set<std::string> out;
  for (const auto& n : split_list(list)) out.insert(n.substr(2));  // "r_" prefix
  return out;
}

inline MermaidGraph parse_mermaid(const std::string& out) {
  static const std::regex node(R"re(^  r_(\w+)\["([^"]*)"\]$)re");
  static const std::regex edge(R"re(^  r_(\w+) --> r_(\w+)$)re");
  static const std::regex dep(R"re(^  r_(\w+) -\. depends on \.-> r_(\w+)$)re");
  static const std::regex cls(R"re(^  class ([\w,]+) (head|current)$)re");
  static const std::regex classdef(R"re(^  classDef (head|current) .*$)re");
  MermaidGraph g;
  std::stringstream in(out);
  std::getline(in, g.header);
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, node)) {
      g.labels[m[1]] = m[2];
      g.node_order.push_back(m[1]);
    } else if (std::regex_match(line, m, edge)) {
      g.edges.insert({m[1], m[2]});
    } else if (std::regex_match(line, m, dep)) {
      g.dependency.insert({m[1], m[2]});
    } else if (std::regex_match(line, m, cls)) {
      (m[2] == "head" ? g.heads : g.current) = ids_of_class(m[1]);
    } else if (!std::regex_match(line, classdef)) {
      g.unknown_lines.push_back(line);
    }
  }
  return g;
}

// The parts of a `migrate erd` Mermaid erDiagram.
struct ErdColumn {
  std::string type;
  std::set<std::string> keys;  // PK, FK, UK
  bool not_null = false;
};
struct ErdRelation {
  std::string parent, child, columns;
  bool required = false;    // ||, else |o
  bool one_to_one = false;  // o|, else o{
  bool operator<(const ErdRelation& o) const {
    return std::tie(parent, child, columns, required, one_to_one) <
           std::tie(o.parent, o.child, o.columns, o.required, o.one_to_one);
  }
  bool operator==(const ErdRelation& o) const { return !(*this < o) && !(o < *this); }
};
struct MermaidErd {
  std::string header;
  std::map<std::string, std::map<std::string, ErdColumn>> tables;  // table -> column -> facts
  std::multiset<ErdRelation> relations;
  std::vector<std::string> unknown_lines;
};

inline MermaidErd parse_mermaid_erd(const std::string& out) {
  static const std::regex entity(R"re(^  "([^"]+)" \{$)re");
  static const std::regex attr(
      R"re(^    ([A-Za-z][\w\-\[\]()]*) ([A-Za-z][\w\-\[\]()]*)((?: (?:PK|FK|UK),?)*)( "NOT NULL")?$)re");
  static const std::regex rel(R"re(^  "([^"]+)" (\|\||\|o)--(o\{|o\|) "([^"]+)" : "([^"]*)"$)re");
  MermaidErd e;
  std::stringstream in(out);
  std::getline(in, e.header);
  std::string line, table;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, entity)) {
      table = m[1];
      e.tables[table];
    } else if (line == "  }") {
      table.clear();
    } else if (!table.empty() && std::regex_match(line, m, attr)) {
      ErdColumn c;
      c.type = m[1];
      std::string keys = m[3];
      for (const char* k : {"PK", "FK", "UK"})
        if (keys.find(k) != std::string::npos) c.keys.insert(k);
      c.not_null = m[4].matched;
      e.tables[table][m[2]] = c;
    } else if (table.empty() && std::regex_match(line, m, rel)) {
      e.relations.insert({m[1], m[4], m[5], m[2] == "||", m[3] == "o|"});
    } else {
      e.unknown_lines.push_back(line);
    }
  }
  return e;
}

// The nodes and edges of `migrate graph --format dot`.
struct DotGraph {
  std::map<std::string, std::string> attrs;  // id -> its attribute list
  std::set<Edge> edges, dependency;
};

inline DotGraph parse_dot(const std::string& out) {
  static const std::regex node(R"re(^  "(\w+)" \[(.*)\];$)re");
  static const std::regex edge(R"re(^  "(\w+)" -> "(\w+)"( \[style=dashed.*\])?;$)re");
  DotGraph g;
  std::stringstream in(out);
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, edge))
      (m[3].matched ? g.dependency : g.edges).insert({m[1], m[2]});
    else if (std::regex_match(line, m, node))
      g.attrs[m[1]] = m[2];
  }
  return g;
}

// Graphviz's `dot`, which scripts/install-deps.sh --test installs: the
// tests that render fail (never skip) without it.
inline std::string graphviz_dot() {
  for (const char* p : {"/usr/bin/dot", "/usr/local/bin/dot"})
    if (std::filesystem::exists(p)) return p;
  FAIL("Graphviz's dot is not installed (scripts/install-deps.sh --test installs graphviz)");
  return "";
}

// Renders `dot_text` with Graphviz; requires that it succeeds, and returns
// the SVG.
inline std::string render_svg(const testsupport::TempDir& dir, const std::string& dot_text) {
  std::string in = dir / "picture.dot";
  testsupport::write_file(in, dot_text);
  auto r = testsupport::run_program(dir.path(), {graphviz_dot(), "-Tsvg", in});
  REQUIRE_THAT(r, testsupport::ExitedWith(0));
  CHECK(r.err.empty());
  return r.out;
}

// The node titles of a Graphviz SVG: one <title> per node (edges' titles
// hold "&#45;&gt;").
inline std::set<std::string> svg_node_titles(const std::string& svg) {
  static const std::regex title(R"re(<title>([^<]*)</title>)re");
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), title); it != std::sregex_iterator();
       ++it) {
    std::string t = (*it)[1];
    if (t.find("&#45;&gt;") == std::string::npos && t.find("->") == std::string::npos)
      out.insert(t);
  }
  return out;
}

}  // namespace e2e
