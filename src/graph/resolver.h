// Internal to src/graph: turning target strings into revisions, with
// Alembic's rules (RevisionMap.get_revisions, get_revision, _walk,
// _parse_upgrade_target, _parse_downgrade_target, filter_for_lineage).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graph/closure.h"
#include "graph/graph_data.h"
#include "graph/revision_graph.h"
#include "graph/target_syntax.h"

namespace migrate::graph::detail {

// Where a lookup or a walk lands. Alembic has two values below every
// revision: None (nothing; walking up from it starts at the bases) and the
// string "base" (what walking down past a base gives).
struct Pos {
  enum Kind { kRev, kBase, kNothing };
  Kind kind = kNothing;
  Idx rev = 0;
  static Pos of(Idx r) { return Pos{kRev, r}; }
  bool is_rev() const { return kind == kRev; }
};

// A short-lived helper over one graph; caches lineage sets between calls.
class Resolver {
 public:
  explicit Resolver(const GraphData& g) : g_(g), nodes_(g.nodes) {}

  const std::string& id_of(Idx i) const { return g_.id(i); }
  const GraphData& data() const { return g_; }

  // The relative form of `target` (`+2`, `rev-1`, `label@head-1`, ...), or
  // none. A target equal to a revision id or branch label is never relative,
  // so a label such as `feature-1` stays a label.
  std::optional<RelativeTarget> relative(const std::string& target) const;

  // get_revisions: every revision a target names ("heads", "label@heads",
  // "head", an id, a prefix, "label@-1", ...). "base" names none.
  std::vector<Pos> revisions(const std::string& target) const;
  // get_revision: exactly one revision, or kNothing for "base".
  Pos revision(const std::string& target) const;

  // _parse_upgrade_target: what an upgrade to `target` aims at, given the
  // current heads (strings, as Alembic passes them).
  std::vector<Pos> upgrade_targets(const std::vector<std::string>& current,
                                   const std::string& target, bool no_overwalk) const;
  // _parse_downgrade_target: the branch label in play (if any) and the
  // revision to go down to.
  std::pair<std::optional<std::string>, Pos> downgrade_target(
      const std::vector<std::string>& current, const std::string& target, bool no_overwalk) const;

  // filter_for_lineage: those of `revs` on the same line (ancestor or
  // descendant) as what `check_against` names.
  IdxList filter_for_lineage(const IdxList& revs, const std::string& check_against,
                             Edges edges) const;
  // _resolve_branch: the revision a branch label (or an id used as one) names.
  Idx branch(const std::string& label) const;
  // Ids read from the version table; each must be a known revision.
  IdxList known(const std::vector<std::string>& ids) const;
  // _get_all_current: the tips of the current heads' ancestry.
  IdxList all_current(const IdxList& current) const;

  // Ancestors and descendants of `rev` (and `rev`).
  const Marks& lineage(Idx rev, Edges edges) const;

 private:
  struct Number {
    std::vector<std::string> ids;
    std::optional<std::string> label;
  };
  Number number(const std::string& target) const;
  std::optional<Idx> current_head(const std::optional<std::string>& label) const;
  Idx ident(const std::string& id, const std::optional<std::string>& check_branch) const;
  std::optional<Pos> walk(Pos start, long long steps, const std::optional<std::string>& label,
                          bool no_overwalk) const;

  const GraphData& g_;
  const std::vector<RevisionNode>& nodes_;
  mutable std::map<std::pair<Idx, int>, Marks> lineage_cache_;
};

}  // namespace migrate::graph::detail
