// Pictures of the revision graph (`migrate graph`): ASCII for a terminal,
// drawn like `git log --graph`, and Graphviz DOT and Mermaid text for
// documents. Pure: the caller hands in the graph, each revision's message
// and the revisions the database is at; nothing here reads a file.
#pragma once

#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "graph/revision_graph.h"

namespace migrate::draw {

struct RevisionFacts {
  const graph::RevisionGraph* graph = nullptr;
  // Each revision's message by id (only its first line is drawn).
  std::unordered_map<std::string, std::string> messages;
  // What the database is at (RevisionGraph::effective_current); empty when
  // it was not read.
  std::set<std::string> current;
};

// Newest first: every revision after all of its children, and each branch's
// run of revisions kept together (git's --topo-order): heads in the graph's
// order, then down each first parent as far as no other child waits.
std::vector<std::string> drawing_order(const graph::RevisionGraph& g);

// What a revision is, in words, as every format shows it: "head" (or
// "effective head" when another revision depends on it, as `history` says),
// "current", "branch LABEL" per label written in its file, "mergepoint",
// "branchpoint", and "depends on X" per dependency.
std::vector<std::string> decorations(const RevisionFacts& f, const std::string& id);

// One line per revision, newest first: lanes of `|` for the branches, `*`
// for the revision, `/` and `\` where branches split and merge, then
// "ID (decorations) message".
std::string ascii(const RevisionFacts& f);

// `digraph revisions`: one box per revision (id, message, decorations),
// an edge from each parent to its child, dashed edges for depends_on;
// heads drawn bold, current revisions filled. Bases at the bottom.
std::string dot(const RevisionFacts& f);

// A Mermaid `flowchart BT` of the same nodes and edges, with classes
// `head` and `current`.
std::string mermaid(const RevisionFacts& f);

}  // namespace migrate::draw
