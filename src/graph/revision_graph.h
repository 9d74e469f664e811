// The revision graph: pure logic over revision ids, with Alembic's semantics
// (alembic/script/revision.py). No I/O: callers hand in nodes and current
// heads, and get back ids, plans and errors.
//
// Vocabulary (as in Alembic):
//  - down_revisions: a node's parents. Empty means a base; several a merge point.
//  - depends_on: cross-branch ordering. The dependency is applied first, but a
//    dependency edge never makes or removes a *stored* head.
//  - branch_labels: a label names the labelled node's whole branch
//    (its ancestors and descendants along down_revisions).
//  - heads(): nodes that are nobody's down_revision (Alembic's `heads`).
#pragma once

#include <cstddef>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "util/error.h"

namespace migrate::graph {

namespace detail {
struct GraphData;
}

struct RevisionNode {
  std::string id;
  std::vector<std::string> down_revisions;
  std::vector<std::string> branch_labels;
  // Ids, unique id prefixes or branch labels, as written in the file.
  std::vector<std::string> depends_on;
  // Where the node came from (a file path), used only in error messages.
  std::string source;
};

// One unit of work: run one revision's upgrade or downgrade.
struct Step {
  std::string revision;
  bool upgrade = true;
  bool operator==(const Step& o) const { return revision == o.revision && upgrade == o.upgrade; }
};

// One change to the version table. Every update and delete must touch exactly
// one row; that check belongs to whoever executes the op.
struct VersionOp {
  enum Kind { kInsert, kUpdate, kDelete };
  Kind kind = kInsert;
  std::string from;  // kUpdate, kDelete: the row's current value
  std::string to;    // kInsert, kUpdate: the row's new value
  bool operator==(const VersionOp& o) const {
    return kind == o.kind && from == o.from && to == o.to;
  }
};

// Errors in the graph or in a target. Messages name the revisions and, for
// load errors, their sources.
class GraphError : public Error {
 public:
  using Error::Error;
};

class RevisionGraph {
 public:
  RevisionGraph() = default;
  // Validates and indexes: duplicate ids, missing parents or dependencies,
  // cycles (down_revision and depends_on), self-loops, duplicate labels, label
  // equal to an id. Throws GraphError with a one-line message naming the
  // revisions and their sources.
  explicit RevisionGraph(std::vector<RevisionNode> nodes);

  bool empty() const { return nodes().empty(); }
  std::size_t size() const { return nodes().size(); }
  bool contains(const std::string& id) const;
  const RevisionNode& get(const std::string& id) const;  // full id only
  // Where `id` (a full id) is in nodes(), i.e. in the order the nodes were
  // given; npos when there is no such revision.
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::size_t position(const std::string& id) const;
  const std::vector<RevisionNode>& nodes() const;  // in the order given

  std::vector<std::string> heads() const;
  std::vector<std::string> bases() const;
  std::vector<std::string> children(const std::string& id) const;  // down_revision edges only
  bool is_head(const std::string& id) const;
  bool is_base(const std::string& id) const;
  bool is_branch_point(const std::string& id) const;
  bool is_merge_point(const std::string& id) const;
  // Dependencies resolved to full ids.
  std::vector<std::string> resolved_dependencies(const std::string& id) const;
  // Branch labels that cover `id` (its own and those of labelled ancestors or
  // descendants on its branch).
  std::vector<std::string> branch_labels_covering(const std::string& id) const;

  // What the database is effectively at, given the version table's rows
  // (Alembic's get_all_current, shown by `current`): the stored heads and
  // everything below them, dependencies included, keeping only those with
  // nothing applied above them along down_revision edges. So a revision
  // that was applied only as another branch's dependency, and is no stored
  // head, is listed too. Stored heads come first, in the given order, then
  // the others in node order. Throws GraphError for an unknown id.
  std::vector<std::string> effective_current(const std::vector<std::string>& stored) const;

  // Throws GraphError, naming every row, when the version table's rows
  // `stored` overlap: one is an ancestor of another. A table holds only the
  // top revision of each branch, so such a table cannot say where the
  // database is (`stamp` refuses to write one; an older migrate, Alembic or
  // a hand edit may have). Unknown ids throw as well.
  void check_version_rows(const std::vector<std::string>& stored) const;

  // Resolves a target (any form in the contract's grammar, except ranges) to
  // full ids. `base` resolves to an empty list; `heads` to every head no
  // other revision depends on (Alembic's "real" heads); `current` to
  // `current_heads`. Relative forms are counted along down_revision edges:
  // `rev+N`, `head-N`, `base+N`, `label@head-N` from the named revision,
  // `+N` and `label@+N` from the current heads as `upgrade` counts them,
  // `-N` and `label@-N` as `downgrade` does (so `-1` from one revision above
  // base is base: an empty list). A partial id needs 4 characters. Throws
  // GraphError for unknown, ambiguous or out-of-range targets, and for
  // `head` when there are several heads (naming `heads` and `label@head`).
  std::vector<std::string> resolve(const std::string& target,
                                   const std::vector<std::string>& current_heads) const;

  // The steps that take a database whose version table holds `current_heads`
  // to `target`, in the order they must run (Alembic's upgrade / downgrade
  // traversal, tie-broken by node order as Alembic's is by file order).
  // Throws GraphError when the target is not reachable in that direction.
  // `downgrade -N` with several current heads counts from current_heads[0],
  // as Alembic counts from the first row of its version table.
  std::vector<Step> upgrade_plan(const std::vector<std::string>& current_heads,
                                 const std::string& target) const;
  std::vector<Step> downgrade_plan(const std::vector<std::string>& current_heads,
                                   const std::string& target) const;

  // The version-table changes of `migrate stamp target...` from `current_heads`
  // (Alembic's stamp; no targets means base). With `purge` the table is
  // emptied first (one kDelete per row, known revision or not) and the
  // targets inserted. Computed whole before anything is changed, so a stamp
  // that cannot be done changes nothing.
  std::vector<VersionOp> stamp_ops(const std::vector<std::string>& current_heads,
                                   const std::vector<std::string>& targets, bool purge) const;

  // Revisions between `lower` and `upper`, both inclusive as in Alembic's
  // walk_revisions ("base" = from the bases, "heads" = all heads), newest
  // first in a valid reverse topological order: what `history -r
  // lower:upper` lists.
  std::vector<std::string> walk(const std::string& lower, const std::string& upper,
                                const std::vector<std::string>& current_heads) const;

 private:
  friend class HeadMaintainer;
  const detail::GraphData& data() const;

  // The nodes and their index (src/graph/graph_data.h). Shared and
  // immutable, so that copying a graph is cheap.
  std::shared_ptr<const detail::GraphData> data_;
};

// The version table as a state machine (Alembic's HeadMaintainer): given the
// heads stored now, says which inserts, updates and deletes one step implies,
// and tracks the new heads. Throws GraphError for a step the stored heads
// cannot take (e.g. a downgrade of a revision that is not stored).
class HeadMaintainer {
 public:
  HeadMaintainer(const RevisionGraph& graph, std::vector<std::string> heads);
  std::vector<VersionOp> apply(const Step& step);
  const std::set<std::string>& heads() const { return heads_; }

 private:
  // Ancestors (with dependencies) of `others`: cached, because a long
  // downgrade beside another branch asks about the same other heads each step.
  const std::vector<char>& ancestors_of(const std::vector<std::string>& others);

  const RevisionGraph& graph_;
  std::set<std::string> heads_;
  std::vector<std::string> cached_others_;
  std::vector<char> cached_ancestors_;
};

}  // namespace migrate::graph
