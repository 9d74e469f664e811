// The lane drawing of `migrate graph` on random graphs: many bases, long
// branches, merges of two and three parents, branch points with several
// children. Each drawing is read back (e2e/picture_support.h) and must
// draw exactly the graph's down_revision edges, each revision once, every
// child above its parents; Mermaid and DOT must hold the same edges.
#include <catch2/catch.hpp>
#include <random>

#include "draw/revision_picture.h"
#include "e2e/picture_support.h"
#include "graph/revision_graph.h"

using migrate::graph::RevisionGraph;
using migrate::graph::RevisionNode;

namespace {

struct Random {
  RevisionGraph graph;
  std::set<e2e::Edge> edges;
};

// n revisions; each takes 0 parents (a base) 1 time in 10, 2 parents 1 in
// 7, 3 parents 1 in 20, else 1, from the revisions before it, with a bias
// to recent ones so that branches grow long.
Random random_graph(std::mt19937& rng, int n) {
  std::vector<RevisionNode> nodes;
  Random r;
  for (int i = 0; i < n; ++i) {
    RevisionNode node;
    node.id = "r" + std::to_string(i);
    int k = 1;
    int roll = std::uniform_int_distribution<int>(0, 139)(rng);
    if (i == 0 || roll < 14)
      k = 0;
    else if (roll < 34)
      k = 2;
    else if (roll < 41)
      k = 3;
    std::set<int> parents;
    for (int tries = 0; static_cast<int>(parents.size()) < std::min(k, i) && tries < 20; ++tries) {
      int back = std::geometric_distribution<int>(0.3)(rng);
      parents.insert(std::max(0, i - 1 - back));
    }
    for (int p : parents) {
      node.down_revisions.push_back("r" + std::to_string(p));
      r.edges.insert({"r" + std::to_string(p), node.id});
    }
    nodes.push_back(node);
  }
  r.graph = RevisionGraph(nodes);
  return r;
}

}  // namespace

TEST_CASE("the lanes of random graphs draw exactly their edges", "[draw]") {
  std::mt19937 rng(20261206);
  for (int round = 0; round < 300; ++round) {
    int n = std::uniform_int_distribution<int>(1, 80)(rng);
    Random r = random_graph(rng, n);
    migrate::draw::RevisionFacts f;
    f.graph = &r.graph;
    std::string text = migrate::draw::ascii(f);
    INFO("round " << round << ", " << n << " revisions:\n" << text);
    auto a = e2e::parse_ascii(text);
    std::string diff;
    for (const auto& e : r.edges)
      if (!a.edges.count(e)) diff += " missing " + e.first + "->" + e.second;
    for (const auto& e : a.edges)
      if (!r.edges.count(e)) diff += " extra " + e.first + "->" + e.second;
    for (const auto& p : a.problems) diff += " | " + p;
    INFO("differences:" << diff);
    CHECK(a.problems.empty());
    REQUIRE(a.order.size() == static_cast<std::size_t>(n));
    CHECK(std::set<std::string>(a.order.begin(), a.order.end()).size() ==
          static_cast<std::size_t>(n));
    CHECK(a.edges == r.edges);
    // Newest first: every child above each of its parents.
    std::map<std::string, std::size_t> line;
    for (std::size_t i = 0; i < a.order.size(); ++i) line[a.order[i]] = i;
    for (const auto& [parent, child] : r.edges) CHECK(line[child] < line[parent]);
    CHECK(a.order == migrate::draw::drawing_order(r.graph));

    auto m = e2e::parse_mermaid(migrate::draw::mermaid(f));
    CHECK(m.unknown_lines.empty());
    CHECK(m.edges == r.edges);
    CHECK(e2e::parse_dot(migrate::draw::dot(f)).edges == r.edges);
    if (a.edges != r.edges || !a.problems.empty()) break;  // one drawing to read is enough
  }
}
