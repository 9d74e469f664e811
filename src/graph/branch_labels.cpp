// Which branch labels cover which revisions (Alembic's _add_branches).
//
// A label covers every down_revision descendant of the revision declaring it.
// When those descendants form a single line, Alembic also walks down from the
// tip of that line and labels each revision until one that is a branch point
// (counting dependents too) or a merge point, so the label reaches below the
// declaring revision to where its branch forked off. When the descendants
// fork, that walk cannot get past the fork, so it adds nothing.
//
// Revisions share one label list with their parent when nothing is added, so
// a long chain under one label costs one list, not one per revision.
#include <algorithm>
#include <iterator>
#include <map>

#include "graph/graph_data.h"

namespace migrate::graph::detail {
namespace {

constexpr Idx kNoTip = static_cast<Idx>(-1);

std::vector<std::string> merged(const std::vector<std::string>& a,
                                const std::vector<std::string>& b) {
  std::vector<std::string> out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace

void compute_branch_labels(GraphData& g) {
  const std::size_t n = g.size();
  g.label_sets.assign(1, {});  // set 0: no labels
  g.covering.assign(n, 0);
  if (g.by_label.empty()) return;

  auto stops_walk = [&](Idx v) { return g.all_children[v].size() > 1 || g.down[v].size() > 1; };
  // tip[v]: the end of v's line of descendants when they form one line.
  // clear[v]: the walk down from that tip reaches v and may go on below it.
  std::vector<Idx> tip(n, kNoTip);
  std::vector<char> clear(n, 0);
  for (auto it = g.topo.rbegin(); it != g.topo.rend(); ++it) {
    Idx v = *it;
    Span kids = g.children[v];
    if (kids.empty()) {
      tip[v] = v;
      clear[v] = !stops_walk(v);
    } else if (kids.size() == 1 && tip[kids[0]] != kNoTip) {
      tip[v] = tip[kids[0]];
      clear[v] = clear[kids[0]] && !stops_walk(v);
    }
  }

  // Labels each revision gets directly: its own, and those of a labelled
  // revision above it whose walk comes down to it.
  std::map<Idx, std::vector<std::string>> direct;
  for (const auto& [label, owner] : g.by_label) {
    auto& own = direct[owner];
    own.insert(std::upper_bound(own.begin(), own.end(), std::string(label)), std::string(label));
  }
  std::map<Idx, std::vector<std::string>> walked;
  for (const auto& [owner, labels] : direct) {
    if (tip[owner] == kNoTip || !clear[owner]) continue;
    for (Span below = g.down[owner]; below.size() == 1 && !stops_walk(below[0]);
         below = g.down[below[0]])
      walked[below[0]] = merged(walked[below[0]], labels);
  }
  for (auto& [v, labels] : walked) direct[v] = merged(direct[v], labels);

  // Descendants inherit; a revision with one parent and nothing of its own
  // shares the parent's list.
  for (Idx v : g.topo) {
    Span parents = g.down[v];
    auto own = direct.find(v);
    if (own == direct.end() && !parents.empty() &&
        std::all_of(parents.begin(), parents.end(),
                    [&](Idx p) { return g.covering[p] == g.covering[parents[0]]; })) {
      g.covering[v] = g.covering[parents[0]];
      continue;
    }
    std::vector<std::string> labels =
        own == direct.end() ? std::vector<std::string>{} : own->second;
    for (Idx p : parents) labels = merged(labels, g.label_sets[g.covering[p]]);
    if (labels.empty()) continue;
    g.covering[v] = static_cast<std::uint32_t>(g.label_sets.size());
    g.label_sets.push_back(std::move(labels));
  }
}

}  // namespace migrate::graph::detail
