// Fuzz target: the target grammar and resolver (graph/revision_graph.h:
// resolve, upgrade_plan, downgrade_plan, stamp_ops; graph/target_syntax.h).
// The input builds a small graph (branches, merges, labels, depends_on,
// ids sharing prefixes), a version table reached by a real upgrade, and
// target strings, some composed from the grammar's words and some raw.
// Properties: only migrate::Error is thrown; a plan never names a step
// twice and goes in one direction; the version table (HeadMaintainer) can
// take every step of a plan; after an upgrade to an absolute target, the
// same upgrade plans nothing (a rerun is a no-op).
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "graph/revision_graph.h"
#include "util/error.h"

using migrate::fuzz::fail;
using migrate::graph::HeadMaintainer;
using migrate::graph::RevisionGraph;
using migrate::graph::RevisionNode;
using migrate::graph::Step;

namespace {

const char* const kIds[] = {"aaaa1", "aaaa2", "aaab3", "bbbb4", "bbbb5", "cccc6", "cdcd7", "dddd8"};
const char* const kLabels[] = {"feat", "main", "x1", "feature-1"};

std::string target(FuzzedDataProvider& in, const std::vector<RevisionNode>& nodes) {
  const std::string id = nodes[in.ConsumeIntegralInRange<std::size_t>(0, nodes.size() - 1)].id;
  const std::string label = kLabels[in.ConsumeIntegralInRange<int>(0, 3)];
  const std::string n = std::to_string(in.ConsumeIntegralInRange<int>(0, 3));
  switch (in.ConsumeIntegralInRange<int>(0, 14)) {
    case 0:
      return "heads";
    case 1:
      return "head";
    case 2:
      return "base";
    case 3:
      return id;
    case 4:
      return id.substr(0, 4);
    case 5:
      return label + "@head";
    case 6:
      return label + "@heads";
    case 7:
      return "+" + n;
    case 8:
      return "-" + n;
    case 9:
      return id + "+" + n;
    case 10:
      return "head-" + n;
    case 11:
      return label + "@-" + n;
    case 12:
      return "base+" + n;
    case 13:
      return label;
    default:
      return in.ConsumeRandomLengthString(24);
  }
}

bool relative(const std::string& t) {
  return t.find_first_of("+-") != std::string::npos || t.find("current") != std::string::npos;
}

// Applies `plan` as the runner does; fails when the version table cannot
// take one of its steps.
std::vector<std::string> apply(const RevisionGraph& g, const std::vector<std::string>& heads,
                               const std::vector<Step>& plan, bool upgrade, const std::string& t) {
  std::set<std::string> seen;
  for (const auto& s : plan) {
    if (s.upgrade != upgrade) fail("a plan goes both ways", t);
    if (!seen.insert(s.revision).second) fail("a plan names a step twice", t + " " + s.revision);
  }
  HeadMaintainer m(g, heads);
  try {
    for (const auto& s : plan) m.apply(s);
  } catch (const migrate::Error& e) {
    fail("the version table cannot take a planned step", t + ": " + e.what());
  }
  return {m.heads().begin(), m.heads().end()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  std::vector<RevisionNode> nodes;
  std::set<std::string> used_labels;
  const int n = in.ConsumeIntegralInRange<int>(1, 8);
  for (int i = 0; i < n; ++i) {
    RevisionNode node;
    node.id = kIds[i];
    node.source = "versions/" + node.id + ".sql";
    const int parents = i == 0 ? 0 : in.ConsumeIntegralInRange<int>(0, 2);
    for (int p = 0; p < parents; ++p) {
      std::string parent = kIds[in.ConsumeIntegralInRange<int>(0, i - 1)];
      if (node.down_revisions.empty() || node.down_revisions[0] != parent)
        node.down_revisions.push_back(parent);
    }
    if (in.ConsumeIntegralInRange<int>(0, 3) == 0) {
      std::string label = kLabels[in.ConsumeIntegralInRange<int>(0, 3)];
      if (used_labels.insert(label).second) node.branch_labels.push_back(label);
    }
    if (i > 0 && in.ConsumeIntegralInRange<int>(0, 4) == 0)
      node.depends_on.push_back(kIds[in.ConsumeIntegralInRange<int>(0, i - 1)]);
    nodes.push_back(node);
  }
  try {
    RevisionGraph g(nodes);
    // The version table: where a real upgrade from an empty one ends.
    std::vector<std::string> current;
    const std::string first = target(in, nodes);
    try {
      current = apply(g, {}, g.upgrade_plan({}, first), true, first);
    } catch (const migrate::Error&) {
    }
    // At most 8 targets per input: each costs five plans (~0.15 ms under
    // ASan), and the graph and version table, where the cases differ, are
    // what an input varies; 24 made a run take ~4 ms.
    for (int round = 0; round < 8 && in.remaining_bytes() > 0; ++round) {
      const std::string t = target(in, nodes);
      try {
        g.resolve(t, current);
      } catch (const migrate::Error&) {
      }
      try {
        auto up = apply(g, current, g.upgrade_plan(current, t), true, t);
        if (!relative(t) && !g.upgrade_plan(up, t).empty())
          fail("upgrading again to the same target plans steps", t);
      } catch (const migrate::Error&) {
      }
      try {
        apply(g, current, g.downgrade_plan(current, t), false, t);
      } catch (const migrate::Error&) {
      }
      try {
        g.stamp_ops(current, {t}, in.ConsumeBool());
        g.effective_current(current);
      } catch (const migrate::Error&) {
      }
    }
  } catch (const migrate::Error&) {
  }
  return 0;
}
