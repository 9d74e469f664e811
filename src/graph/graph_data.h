// Internal to src/graph: the indexed form of a RevisionGraph. Revisions are
// numbered by their position in the node list (the loader's order), which is
// also the tie-breaking order of every traversal, as Alembic's ordered
// revision map is.
//
// Built once and never changed, so it is shared between copies of a graph.
// Adjacency is stored flat (one array per relation, not one vector per
// revision): loading 10,000 revisions must cost a few allocations, not tens
// of thousands.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "graph/name_index.h"
#include "graph/revision_graph.h"

namespace migrate::graph::detail {

using Idx = std::uint32_t;
using IdxList = std::vector<Idx>;

// A read-only view of consecutive revision numbers.
class Span {
 public:
  Span() = default;
  Span(const Idx* b, const Idx* e) : b_(b), e_(e) {}
  Span(const IdxList& v) : b_(v.data()), e_(v.data() + v.size()) {}  // NOLINT: implicit on purpose
  const Idx* begin() const { return b_; }
  const Idx* end() const { return e_; }
  std::size_t size() const { return static_cast<std::size_t>(e_ - b_); }
  bool empty() const { return b_ == e_; }
  Idx operator[](std::size_t i) const { return b_[i]; }
  IdxList list() const { return IdxList(b_, e_); }

 private:
  const Idx* b_ = nullptr;
  const Idx* e_ = nullptr;
};

// One relation (e.g. "down_revisions of"), as offsets into one flat array.
class Adjacency {
 public:
  // `edges` are (from, to) pairs; each revision's targets keep their order.
  static Adjacency build(std::size_t n, const std::vector<std::pair<Idx, Idx>>& edges);
  Span operator[](Idx i) const {
    return Span(targets_.data() + offsets_[i], targets_.data() + offsets_[i + 1]);
  }

 private:
  std::vector<Idx> offsets_;
  std::vector<Idx> targets_;
};

struct GraphData {
  std::vector<RevisionNode> nodes;
  NameIndex by_id;     // views into `nodes`
  NameIndex by_label;  // label -> the revision declaring it

  Adjacency down;          // down_revisions as written (Alembic: versioned)
  Adjacency deps;          // depends_on resolved, deduplicated, as written
  Adjacency norm_down;     // down + deps not already implied by an ancestor's deps
  Adjacency children;      // down_revision edges only (Alembic: nextrev), in node order
  Adjacency all_children;  // down_revision and depends_on edges (_all_nextrev)
  bool has_deps = false;

  // Labels covering each revision: an index into `label_sets` (sorted lists).
  std::vector<std::uint32_t> covering;
  std::vector<std::vector<std::string>> label_sets;
  const std::vector<std::string>& labels_of(Idx i) const { return label_sets[covering[i]]; }

  IdxList topo;        // parents before children along down_revision edges
  IdxList heads;       // nobody's down_revision
  IdxList real_heads;  // nobody's down_revision nor dependency
  IdxList bases;       // no down_revision

  std::size_t size() const { return nodes.size(); }
  const std::string& id(Idx i) const { return nodes[i].id; }

  // Ids and labels sorted, for prefix lookup; built on first use, since most
  // commands only ever look up full ids.
  const std::vector<std::pair<std::string_view, Idx>>& sorted_keys() const;

 private:
  mutable std::once_flag keys_once_;
  mutable std::vector<std::pair<std::string_view, Idx>> keys_;
};

// Builds and validates. Throws GraphError.
std::shared_ptr<const GraphData> build_graph(std::vector<RevisionNode> nodes);

// Fills `covering` and `label_sets` (Alembic's _add_branches).
void compute_branch_labels(GraphData& g);

}  // namespace migrate::graph::detail
