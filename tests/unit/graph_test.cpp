// RevisionGraph construction: heads, bases, branch and merge points, branch
// labels, dependencies, validation errors, and behaviour at scale. Expected
// values were taken from Alembic 1.8.1's RevisionMap on the same graphs.
#include <catch2/catch.hpp>

#include "unit/graph_fixtures.h"

using namespace graphtest;
using migrate::graph::GraphError;

TEST_CASE("heads and bases are listed in node order", "[graph]") {
  struct Case {
    const char* fixture;
    const char* heads;
    const char* bases;
  };
  const Case cases[] = {
      {"chain", "d", "a"},
      {"branched", "d1 d2", "a"},
      {"merged", "f", "a"},
      {"twin", "m1 m2", "a"},
      {"forest", "a2 b3", "base1 base2"},
      {"labels", "d f", "a"},
      {"deps", "a3 b3", "a1 b1"},
      // A dependency does not stop a revision from being a head.
      {"depheads", "x y", "x y"},
  };
  for (const auto& c : cases) {
    INFO(c.fixture);
    const RevisionGraph& g = fixture(c.fixture);
    CHECK(join(g.heads()) == c.heads);
    CHECK(join(g.bases()) == c.bases);
    for (const auto& h : split(c.heads)) CHECK(g.is_head(h));
    for (const auto& b : split(c.bases)) CHECK(g.is_base(b));
  }
}

TEST_CASE("branch points, merge points and children", "[graph]") {
  const RevisionGraph& merged = fixture("merged");
  CHECK(merged.is_branch_point("b"));
  CHECK_FALSE(merged.is_branch_point("c1"));
  CHECK(merged.is_merge_point("e"));
  CHECK_FALSE(merged.is_merge_point("f"));
  CHECK(join(merged.children("b")) == "c1 c2");
  CHECK(join(merged.children("d1")) == "e");
  CHECK(merged.children("f").empty());
  CHECK_FALSE(merged.is_head("e"));

  const RevisionGraph& twin = fixture("twin");
  CHECK(join(twin.children("b2")) == "m1 m2");
  CHECK(twin.is_branch_point("b2"));
  CHECK(twin.is_merge_point("m1"));
  CHECK(twin.is_merge_point("m2"));
  // Dependency edges are not down_revision edges.
  const RevisionGraph& deps = fixture("deps");
  CHECK(join(deps.children("b2")) == "b3");
  CHECK_FALSE(deps.is_branch_point("b2"));
}

TEST_CASE("dependencies resolve through ids, labels and prefixes", "[graph]") {
  CHECK(join(fixture("deps").resolved_dependencies("a3")) == "b2");
  CHECK(join(fixture("deplabel").resolved_dependencies("b2")) == "a1");
  RevisionGraph g = graph_of({{"abcd1234", {}}, {"ffff0000", {}, {"abcd"}}});
  CHECK(join(g.resolved_dependencies("ffff0000")) == "abcd1234");
  CHECK(fixture("chain").resolved_dependencies("b").empty());
}

TEST_CASE("branch labels cover their branch as Alembic's do", "[graph][labels]") {
  struct Case {
    const char* fixture;
    const char* rev;
    const char* labels;
  };
  const Case cases[] = {
      // Descendants inherit; ancestors only down to the branch point.
      {"labels", "c", "cl"},
      {"labels", "d", "cl"},
      {"labels", "b", ""},
      {"labels", "e", "el"},
      {"labels", "f", "el"},
      {"forest", "base1", "lone"},
      {"forest", "a2", "lone"},
      {"forest", "b3", "ltwo"},
      // A label on a line with no fork labels the whole line below it.
      {"toplabel", "a", "top"},
      {"toplabel", "b", "top"},
      // A revision depended upon counts as a branch point: the walk stops.
      {"deplabel", "a1", "aa"},
      {"deplabel", "b1", ""},
      {"deplabel", "b2", ""},
      // Two labels meet at a merge.
      {"mergelabels", "m", "x y"},
      {"mergelabels", "x1", "x"},
      {"mergelabels", "root", ""},
  };
  for (const auto& c : cases) {
    INFO(c.fixture << " " << c.rev);
    RevisionGraph local;
    const RevisionGraph* g = nullptr;
    if (std::string(c.fixture) == "toplabel") {
      local = graph_of({{"a", {}}, {"b", {"a"}}, {"c", {"b"}, {}, {"top"}}});
      g = &local;
    } else if (std::string(c.fixture) == "mergelabels") {
      local = graph_of({{"root", {}},
                        {"x1", {"root"}, {}, {"x"}},
                        {"y1", {"root"}, {}, {"y"}},
                        {"m", {"x1", "y1"}}});
      g = &local;
    } else {
      g = &fixture(c.fixture);
    }
    CHECK(join(g->branch_labels_covering(c.rev)) == c.labels);
  }
}

TEST_CASE("construction refuses broken graphs with one-line messages", "[graph][errors]") {
  struct Case {
    const char* what;
    std::vector<Rev> revs;
    std::vector<const char*> expected;  // substrings of the message
  };
  const std::vector<Case> cases = {
      {"cycle", {{"a", {"b"}}, {"b", {"a"}}, {"c", {}}}, {"cycle", "a", "b", "versions/a.sql"}},
      {"cycle without any base",
       {{"a", {"c"}}, {"b", {"a"}}, {"c", {"b"}}},
       {"cycle detected", "versions/b.sql"}},
      {"self-loop", {{"a", {"a"}}}, {"self-loop", "a (versions/a.sql)"}},
      {"dependency self-loop", {{"a", {}, {"a"}}}, {"dependency self-loop", "versions/a.sql"}},
      {"dependency self-loop through a label",
       {{"a", {}, {"la"}, {"la"}}},
       {"dependency self-loop", "'la'"}},
      {"dependency cycle",
       {{"a", {}, {"b"}}, {"b", {"a"}}},
       {"dependency cycle", "a", "b", "versions/b.sql"}},
      {"missing down_revision",
       {{"a", {}}, {"b", {"zzz"}}},
       {"b (versions/b.sql)", "zzz", "does not exist"}},
      {"missing dependency", {{"a", {}}, {"b", {"a"}, {"nope"}}}, {"b (versions/b.sql)", "'nope'"}},
      {"ambiguous dependency prefix",
       {{"abcd1", {}}, {"abcd2", {}}, {"c", {}, {"abcd"}}},
       {"c (versions/c.sql)", "ambiguous", "abcd1 (versions/abcd1.sql)", "abcd2"}},
      {"duplicate id", {{"a", {}}, {"a", {}}}, {"defined twice", "versions/a.sql"}},
      {"duplicate label",
       {{"a", {}, {}, {"x"}}, {"b", {"a"}, {}, {"x"}}},
       {"'x'", "a (versions/a.sql)", "b (versions/b.sql)"}},
      {"label equal to an id",
       {{"a", {}}, {"b", {"a"}, {}, {"a"}}},
       {"'a'", "b (versions/b.sql)", "also the id"}},
      {"reserved id", {{"head", {}}}, {"'head'", "not usable"}},
      {"label with target syntax", {{"a", {}, {}, {"x@y"}}}, {"'x@y'", "not usable"}},
      {"down_revision listed twice", {{"a", {}}, {"b", {"a", "a"}}}, {"twice", "b"}},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    std::string msg = error_of([&] { RevisionGraph g(nodes_of(c.revs)); });
    REQUIRE_FALSE(msg.empty());
    CHECK_THAT(msg, !Catch::Contains("\n"));
    for (const char* part : c.expected) CHECK_THAT(msg, Catch::Contains(part));
  }
}

TEST_CASE("a GraphError is a migrate::Error with exit code 1", "[graph][errors]") {
  try {
    graph_of({{"a", {"missing"}}});
    FAIL("no error");
  } catch (const migrate::Error& e) {
    CHECK(e.exit_code() == 1);
    CHECK(dynamic_cast<const GraphError*>(&e) != nullptr);
  }
}

TEST_CASE("an empty graph answers every question with nothing", "[graph]") {
  RevisionGraph g;
  CHECK(g.empty());
  CHECK(g.heads().empty());
  CHECK(g.resolve("heads", {}).empty());
  CHECK(g.resolve("base", {}).empty());
  CHECK(g.upgrade_plan({}, "heads").empty());
  CHECK(g.downgrade_plan({}, "base").empty());
  CHECK(g.walk("base", "heads", {}).empty());
  CHECK_FALSE(error_of([&] { g.resolve("abcd", {}); }).empty());
}

TEST_CASE("copies share the index and outlive the original", "[graph]") {
  RevisionGraph copy;
  {
    RevisionGraph original = graph_of(fixtures().at("labels"));
    copy = original;
  }
  CHECK(copy.contains("f"));
  CHECK(join(copy.resolve("el@head", {})) == "f");
  CHECK(copy.get("c").branch_labels == std::vector<std::string>{"cl"});
  CHECK(copy.get("c").source == "versions/c.sql");
  CHECK_FALSE(error_of([&] { copy.get("zzz"); }).empty());
}

namespace {

std::vector<RevisionNode> long_chain(std::size_t n) {
  std::vector<RevisionNode> nodes;
  nodes.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "r%06zu", i);
    RevisionNode node{id, {}, {}, {}, std::string("versions/") + id + ".sql"};
    if (i > 0) node.down_revisions = {nodes.back().id};
    nodes.push_back(std::move(node));
  }
  return nodes;
}

}  // namespace

// Nothing here may be quadratic or recurse per revision: a 10,000-revision
// chain would then take seconds or overflow the stack. (Speed itself is
// measured in bench/, not asserted.)
TEST_CASE("a 10,000-revision chain is handled without recursion", "[graph][scale]") {
  const std::size_t n = 10000;
  auto nodes = long_chain(n);
  nodes[0].branch_labels = {"main"};
  nodes[n / 2].depends_on = {"r000010"};
  nodes[n / 2 + 1].depends_on = {"r000010"};  // implied by the revision below: normalized away
  RevisionGraph g(std::move(nodes));
  CHECK(join(g.heads()) == "r009999");
  CHECK(join(g.bases()) == "r000000");
  CHECK(join(g.branch_labels_covering("r009999")) == "main");

  auto history = g.walk("base", "heads", {});
  REQUIRE(history.size() == n);
  CHECK(history.front() == "r009999");
  CHECK(history.back() == "r000000");

  auto up = g.upgrade_plan({}, "heads");
  REQUIRE(up.size() == n);
  CHECK(up.front().revision == "r000000");
  CHECK(up.back().revision == "r009999");
  HeadMaintainer hm(g, {});
  for (const auto& s : up) hm.apply(s);
  CHECK(hm.heads() == std::set<std::string>{"r009999"});

  auto down = g.downgrade_plan({"r009999"}, "base");
  REQUIRE(down.size() == n);
  CHECK(down.front() == Step{"r009999", false});
  CHECK(join(g.resolve("main@head-9998", {})) == "r000001");
  CHECK(plan_str(g.upgrade_plan({"r009997"}, "+2")) == "+r009998 +r009999");
}

TEST_CASE("many branches merged at once are ordered like Alembic", "[graph][scale]") {
  // root <- b<i> <- c<i> for 300 branches, all merged by m: each walk must
  // yield to the others at root, so the traversal keeps 300 cursors.
  std::vector<Rev> revs{{"root", {}}};
  std::vector<std::string> tips;
  for (int i = 0; i < 300; ++i) {
    std::string b = "b" + std::to_string(i), c = "c" + std::to_string(i);
    revs.push_back({b, {"root"}});
    revs.push_back({c, {b}});
    tips.push_back(c);
  }
  revs.push_back({"m", tips});
  RevisionGraph g = graph_of(revs);
  auto up = g.upgrade_plan({}, "m");
  REQUIRE(up.size() == 602);
  CHECK(up.front().revision == "root");
  CHECK(up.back().revision == "m");
  // Alembic finishes the last-listed parent's line first when upgrading
  // (its walk goes down the first parent, so that one runs last).
  CHECK(up[1].revision == "b299");
  CHECK(up[2].revision == "c299");
  CHECK(apply_all(g, {}, up).heads == "m");
  auto down = g.downgrade_plan({"m"}, "base");
  REQUIRE(down.size() == 602);
  CHECK(apply_all(g, {"m"}, down).heads.empty());
}
