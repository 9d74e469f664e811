// The version table as Alembic's HeadMaintainer moves it, one step at a time
// (RevisionStep.should_delete_branch / should_create_branch /
// should_merge_branches / should_unmerge_branches / update_version_num).
#include <algorithm>

#include "graph/closure.h"
#include "graph/graph_data.h"
#include "graph/revision_graph.h"
#include "graph/version_rows.h"

namespace migrate::graph {

using detail::Idx;

HeadMaintainer::HeadMaintainer(const RevisionGraph& graph, std::vector<std::string> heads)
    : graph_(graph), heads_(heads.begin(), heads.end()) {}

const std::vector<char>& HeadMaintainer::ancestors_of(const std::vector<std::string>& others) {
  if (others == cached_others_ && !cached_ancestors_.empty()) return cached_ancestors_;
  const detail::GraphData& g = graph_.data();
  detail::IdxList from;
  for (const auto& id : others) {
    auto it = g.by_id.find(id);
    if (it == g.by_id.end())
      throw GraphError("the version table holds revision '" + id +
                       "', which is not in the script directory");
    from.push_back(it->second);
  }
  cached_others_ = others;
  cached_ancestors_ = detail::ancestors(g, from, detail::Edges::kWithDeps);
  return cached_ancestors_;
}

std::vector<VersionOp> HeadMaintainer::apply(const Step& step) {
  const detail::GraphData& g = graph_.data();
  auto found = g.by_id.find(step.revision);
  if (found == g.by_id.end())
    throw GraphError("cannot record a step of unknown revision '" + step.revision + "'");
  const std::string& rev = step.revision;
  // The revisions a step moves the table from (upgrade) or to (downgrade):
  // down_revisions plus dependencies no ancestor already declares.
  std::vector<std::string> down;
  for (Idx d : g.norm_down[found->second]) down.push_back(g.id(d));

  auto without = [&](const std::vector<std::string>& skip) {
    std::vector<std::string> out;
    for (const auto& h : heads_)
      if (std::find(skip.begin(), skip.end(), h) == skip.end()) out.push_back(h);
    return out;
  };
  // Those of `list` that the other heads do not already imply.
  auto not_below = [&](const std::vector<std::string>& list,
                       const std::vector<std::string>& others) {
    if (others.empty()) return list;
    const std::vector<char>& below = ancestors_of(others);
    std::vector<std::string> out;
    for (const auto& id : list)
      if (!below[g.by_id.at(id)]) out.push_back(id);
    return out;
  };

  std::vector<VersionOp> ops;
  detail::VersionRows rows(heads_, ops);
  if (!step.upgrade && heads_.count(rev)) {
    std::vector<std::string> to = not_below(down, without({rev}));
    if (to.empty()) {
      rows.remove(rev);  // a base, or what lies below is still held by another head
      return ops;
    }
    if (down.size() > 1) {  // unmerge
      for (std::size_t k = 0; k + 1 < to.size(); ++k) rows.insert(to[k]);
      rows.update(rev, to.back());
      return ops;
    }
  }
  if (step.upgrade) {
    std::size_t held = 0;
    for (const auto& d : down) held += heads_.count(d);
    if (held == 0) {
      rows.insert(rev);  // a base, or a new branch off something not stored
      return ops;
    }
    if (down.size() > 1 && held > 1) {  // merge
      std::vector<std::string> from = not_below(down, without(down));
      // Alembic would try to delete a down revision that is not stored (and
      // fail); only stored ones can be merged away.
      from.erase(std::remove_if(from.begin(), from.end(),
                                [&](const std::string& id) { return !heads_.count(id); }),
                 from.end());
      if (from.empty())
        throw GraphError("cannot record the merge " + rev +
                         ": none of its down revisions is stored");
      for (std::size_t k = 0; k + 1 < from.size(); ++k) rows.remove(from[k]);
      rows.update(from.back(), rev);
      return ops;
    }
  }
  std::string other;
  if (down.size() == 1) {
    other = down[0];
  } else {
    std::vector<std::string> stored;
    for (const auto& d : down)
      if (heads_.count(d)) stored.push_back(d);
    if (stored.size() != 1)
      throw GraphError("cannot record step " + rev + ": the version table does not say which of " +
                       "its down revisions it moves from");
    other = stored[0];
  }
  if (step.upgrade)
    rows.update(other, rev);
  else
    rows.update(rev, other);
  return ops;
}

}  // namespace migrate::graph
