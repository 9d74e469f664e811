// The revision graph as DOT and as Mermaid: the same nodes (newest first)
// and edges (parent to child, so with bases at the bottom arrows point the
// way `upgrade` goes; depends_on dashed, from the dependency).
#include <fmt/format.h>

#include "draw/escape.h"
#include "draw/revision_picture.h"

namespace migrate::draw {

namespace {

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::string message_of(const RevisionFacts& f, const std::string& id) {
  auto m = f.messages.find(id);
  return m == f.messages.end() ? std::string() : first_line(m->second);
}

// The decorations a node's label shows: what its edges and style do not.
std::vector<std::string> label_words(const RevisionFacts& f, const std::string& id) {
  std::vector<std::string> out;
  for (auto& d : decorations(f, id))
    if (d.rfind("depends on ", 0) != 0) out.push_back(d);
  return out;
}

}  // namespace

std::string dot(const RevisionFacts& f) {
  const auto& g = *f.graph;
  std::string out =
      "// The revision graph (migrate graph --format dot); render with: dot -Tsvg\n"
      "digraph revisions {\n"
      "  rankdir=BT;\n"
      "  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];\n"
      "  edge [arrowsize=0.7, fontname=\"Helvetica\"];\n";
  auto order = drawing_order(g);
  for (const auto& id : order) {
    std::string label = id;
    std::string msg = message_of(f, id);
    if (!msg.empty()) label += "\n" + msg;
    auto words = label_words(f, id);
    if (!words.empty()) label += "\n(" + joined(words, ", ") + ")";
    std::string attrs = fmt::format("label=\"{}\"", dot_quoted(label));
    if (g.is_head(id)) attrs += ", penwidth=2";
    if (f.current.count(id)) attrs += ", style=\"rounded,filled\", fillcolor=\"#cfe8ff\"";
    out += fmt::format("  \"{}\" [{}];\n", dot_quoted(id), attrs);
  }
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const auto& node = g.get(*it);
    for (const auto& parent : node.down_revisions)
      out += fmt::format("  \"{}\" -> \"{}\";\n", dot_quoted(parent), dot_quoted(node.id));
    for (const auto& dep : g.resolved_dependencies(node.id))
      out += fmt::format("  \"{}\" -> \"{}\" [style=dashed, label=\"depends on\", fontsize=8];\n",
                         dot_quoted(dep), dot_quoted(node.id));
  }
  out += "}\n";
  return out;
}

std::string mermaid(const RevisionFacts& f) {
  const auto& g = *f.graph;
  // Node names get a prefix: a revision id may be a Mermaid keyword (`end`).
  auto name = [](const std::string& id) { return "r_" + id; };
  std::string out = "flowchart BT\n";
  auto order = drawing_order(g);
  std::vector<std::string> heads, current;
  for (const auto& id : order) {
    std::string label = mermaid_text(id);
    std::string msg = message_of(f, id);
    if (!msg.empty()) label += "<br/>" + mermaid_text(msg);
    auto words = label_words(f, id);
    if (!words.empty()) label += "<br/>(" + mermaid_text(joined(words, ", ")) + ")";
    out += fmt::format("  {}[\"{}\"]\n", name(id), label);
    if (g.is_head(id)) heads.push_back(name(id));
    if (f.current.count(id)) current.push_back(name(id));
  }
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const auto& node = g.get(*it);
    for (const auto& parent : node.down_revisions)
      out += fmt::format("  {} --> {}\n", name(parent), name(node.id));
    for (const auto& dep : g.resolved_dependencies(node.id))
      out += fmt::format("  {} -. depends on .-> {}\n", name(dep), name(node.id));
  }
  out += "  classDef head stroke-width:3px\n";
  out += "  classDef current fill:#cfe8ff\n";
  if (!heads.empty()) out += "  class " + joined(heads, ",") + " head\n";
  if (!current.empty()) out += "  class " + joined(current, ",") + " current\n";
  return out;
}

}  // namespace migrate::draw
