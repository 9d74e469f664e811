// Shared by the graph tests: compact graph literals, the classic fixtures of
// Alembic's test_revision.py / test_version_traversal.py, and short string
// forms of plans and version-table ops so tables of cases stay readable.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "graph/revision_graph.h"

namespace graphtest {

using migrate::graph::HeadMaintainer;
using migrate::graph::RevisionGraph;
using migrate::graph::RevisionNode;
using migrate::graph::Step;
using migrate::graph::VersionOp;

struct Rev {
  std::string id;
  std::vector<std::string> down;
  std::vector<std::string> deps = {};
  std::vector<std::string> labels = {};
};

// Each node's source is "versions/<id>.sql", so messages can be checked for it.
inline std::vector<RevisionNode> nodes_of(const std::vector<Rev>& revs) {
  std::vector<RevisionNode> nodes;
  for (const auto& r : revs)
    nodes.push_back(RevisionNode{r.id, r.down, r.labels, r.deps, "versions/" + r.id + ".sql"});
  return nodes;
}

inline RevisionGraph graph_of(const std::vector<Rev>& revs) {
  return RevisionGraph(nodes_of(revs));
}

// The fixtures, in the node order given (it is the traversal's tie-break, as
// Alembic's revision map order is).
inline const std::map<std::string, std::vector<Rev>>& fixtures() {
  static const std::map<std::string, std::vector<Rev>> kFixtures = {
      // a <- b <- c <- d
      {"chain", {{"a", {}}, {"b", {"a"}}, {"c", {"b"}}, {"d", {"c"}}}},
      // a <- b1 <- c1 <- d1
      //  \<- b2 <- c2 <- d2
      {"branched",
       {{"a", {}},
        {"b1", {"a"}},
        {"c1", {"b1"}},
        {"d1", {"c1"}},
        {"b2", {"a"}},
        {"c2", {"b2"}},
        {"d2", {"c2"}}}},
      // a <- b <- c1 <- d1 <- e <- f, and b <- c2 <- d2 <- e (a merge)
      {"merged",
       {{"a", {}},
        {"b", {"a"}},
        {"c1", {"b"}},
        {"d1", {"c1"}},
        {"c2", {"b"}},
        {"d2", {"c2"}},
        {"e", {"d1", "d2"}},
        {"f", {"e"}}}},
      // Two merge points sharing one parent (b2).
      {"twin",
       {{"a", {}},
        {"b1", {"a"}},
        {"b2", {"a"}},
        {"b3", {"a"}},
        {"m1", {"b1", "b2"}},
        {"m2", {"b2", "b3"}}}},
      // Two independent trees, each labelled at its base.
      {"forest",
       {{"base1", {}, {}, {"lone"}},
        {"base2", {}, {}, {"ltwo"}},
        {"a1", {"base1"}},
        {"a2", {"a1"}},
        {"b1", {"base2"}},
        {"b2", {"b1"}},
        {"b3", {"b2"}}}},
      // One base, two labelled branches forking at b.
      {"labels",
       {{"a", {}},
        {"b", {"a"}},
        {"c", {"b"}, {}, {"cl"}},
        {"d", {"c"}},
        {"e", {"b"}, {}, {"el"}},
        {"f", {"e"}}}},
      // Cross-branch dependencies between two trees.
      {"deps",
       {{"a1", {}},
        {"a2", {"a1"}},
        {"b1", {}, {}, {"bb"}},
        {"b2", {"b1"}},
        {"a3", {"a2"}, {"b2"}},
        {"b3", {"b2"}, {"a1"}}}},
      // A dependency on a branch label.
      {"deplabel",
       {{"a1", {}, {}, {"aa"}},
        {"a2", {"a1"}},
        {"b1", {}},
        {"b2", {"b1"}, {"aa"}},
        {"b3", {"b2"}}}},
      // x is depended on but is nobody's down_revision: a head, not a "real" head.
      {"depheads", {{"x", {}}, {"y", {}, {"x"}}}},
      {"prefix",
       {{"abcd1111", {}}, {"abcd2222", {"abcd1111"}}, {"abce3333", {"abcd2222"}, {}, {"feature"}}}},
  };
  return kFixtures;
}

inline const RevisionGraph& fixture(const std::string& name) {
  static std::map<std::string, RevisionGraph> built;
  auto it = built.find(name);
  if (it == built.end()) it = built.emplace(name, graph_of(fixtures().at(name))).first;
  return it->second;
}

inline std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

inline std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
  return out;
}

// "+a +b -c"
inline std::string plan_str(const std::vector<Step>& steps) {
  std::string out;
  for (const auto& s : steps)
    out += (out.empty() ? "" : " ") + std::string(s.upgrade ? "+" : "-") + s.revision;
  return out;
}

// "ins a, upd a>b, del b"
inline std::string ops_str(const std::vector<VersionOp>& ops) {
  std::string out;
  for (const auto& op : ops) {
    if (!out.empty()) out += ", ";
    if (op.kind == VersionOp::kInsert) out += "ins " + op.to;
    if (op.kind == VersionOp::kUpdate) out += "upd " + op.from + ">" + op.to;
    if (op.kind == VersionOp::kDelete) out += "del " + op.from;
  }
  return out;
}

// Runs a plan through a HeadMaintainer from `heads`: all ops, and the heads after.
struct Applied {
  std::string ops;
  std::string heads;
};
inline Applied apply_all(const RevisionGraph& g, const std::vector<std::string>& heads,
                         const std::vector<Step>& plan) {
  HeadMaintainer hm(g, heads);
  std::vector<VersionOp> all;
  for (const auto& s : plan) {
    auto ops = hm.apply(s);
    all.insert(all.end(), ops.begin(), ops.end());
  }
  return {ops_str(all), join(std::vector<std::string>(hm.heads().begin(), hm.heads().end()))};
}

// The message of the GraphError `f` throws, or "" when it throws none.
template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const migrate::graph::GraphError& e) {
    return e.what();
  }
  return "";
}

}  // namespace graphtest
