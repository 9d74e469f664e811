// Alembic keeps, per walk ("cursor"), the full ancestor set of the cursor's
// revision, and before emitting a revision asks every other cursor whether it
// still needs to pass through it. Here a cursor's set holds only the
// revisions still to be emitted, and a per-revision count says how many
// cursors hold it, so the common case (nobody else needs it) is O(1) and a
// straight run down a chain costs O(1) per revision.
#include "graph/topo_order.h"

#include <algorithm>
#include <cstdint>

namespace migrate::graph::detail {
namespace {

constexpr std::uint32_t kNotTodo = static_cast<std::uint32_t>(-1);

class Bits {
 public:
  explicit Bits(std::size_t n) : words_((n + 63) / 64, 0) {}
  void set(std::uint32_t i) { words_[i / 64] |= std::uint64_t{1} << (i % 64); }
  void reset(std::uint32_t i) { words_[i / 64] &= ~(std::uint64_t{1} << (i % 64)); }
  bool test(std::uint32_t i) const { return (words_[i / 64] >> (i % 64)) & 1; }
  template <typename F>
  void for_each(F f) const {
    for (std::size_t w = 0; w < words_.size(); ++w)
      for (std::uint64_t bits = words_[w]; bits; bits &= bits - 1)
        f(static_cast<std::uint32_t>(w * 64 + __builtin_ctzll(bits)));
  }

 private:
  std::vector<std::uint64_t> words_;
};

struct Cursor {
  Idx head;
  Bits pending;  // revisions still to emit that this cursor must pass through
};

class Sorter {
 public:
  Sorter(const GraphData& g, const Marks& todo) : g_(g), visit_(g.size(), 0) {
    IdxList todo_list;
    local_.assign(g.size(), kNotTodo);
    for (Idx i = 0; i < g.size(); ++i)
      if (todo[i]) {
        local_[i] = static_cast<std::uint32_t>(todo_list.size());
        todo_list.push_back(i);
      }
    remaining_ = todo_list.size();
    count_.assign(remaining_, 0);
    // Only revisions at or above some todo revision can lie on a path from
    // a cursor to a revision still to emit; the walks stay inside them.
    region_ = descendants(g, todo_list, Edges::kWithDeps);
    emitted_.assign(g.size(), 0);
    is_cursor_.assign(g.size(), 0);
  }

  IdxList run(const IdxList& heads) {
    IdxList starts;
    for (Idx h : heads)
      if (local_[h] != kNotTodo) starts.push_back(h);
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    for (Idx h : starts) add_cursor(h);

    IdxList out;
    out.reserve(remaining_);
    std::size_t at = 0;
    while (!cursors_.empty()) {
      Idx candidate = cursors_[at].head;
      std::uint32_t loc = local_[candidate];
      if (count_[loc] > 1) {
        at = first_other_holder(at, loc);
        continue;
      }
      out.push_back(candidate);
      emitted_[candidate] = 1;
      --remaining_;
      cursors_[at].pending.reset(loc);
      count_[loc] = 0;
      is_cursor_[candidate] = 0;

      IdxList next;
      for (Idx r : g_.norm_down[candidate])
        if (local_[r] != kNotTodo && !emitted_[r] && !is_cursor_[r]) next.push_back(r);
      if (next.empty()) {
        drop_pending(cursors_[at]);
        cursors_.erase(cursors_.begin() + static_cast<std::ptrdiff_t>(at));
        at = at > 0 ? at - 1 : 0;
        continue;
      }
      cursors_[at].head = next[0];
      is_cursor_[next[0]] = 1;
      if (g_.norm_down[candidate].size() > 1) {
        // Several ways down: the cursor's set shrinks to its new revision's.
        drop_pending(cursors_[at]);
        fill_pending(cursors_[at]);
      }
      // Otherwise the set is the old one minus the candidate: nothing to do.
      for (std::size_t k = 1; k < next.size(); ++k) add_cursor(next[k]);
    }
    if (remaining_ > 0) append_unreached(out);
    return out;
  }

 private:
  void add_cursor(Idx head) {
    cursors_.push_back(Cursor{head, Bits(count_.size())});
    is_cursor_[head] = 1;
    fill_pending(cursors_.back());
  }

  void fill_pending(Cursor& c) {
    ++epoch_;
    IdxList stack{c.head};
    visit_[c.head] = epoch_;
    while (!stack.empty()) {
      Idx v = stack.back();
      stack.pop_back();
      if (local_[v] != kNotTodo) {
        c.pending.set(local_[v]);
        ++count_[local_[v]];
      }
      for (Idx p : g_.norm_down[v])
        if (visit_[p] != epoch_ && region_[p] && !emitted_[p]) {
          visit_[p] = epoch_;
          stack.push_back(p);
        }
    }
  }

  void drop_pending(Cursor& c) {
    c.pending.for_each([&](std::uint32_t i) { --count_[i]; });
    c.pending = Bits(count_.size());
  }

  std::size_t first_other_holder(std::size_t at, std::uint32_t loc) const {
    for (std::size_t j = 0; j < cursors_.size(); ++j)
      if (j != at && cursors_[j].pending.test(loc)) return j;
    return at;  // unreachable: the count says another cursor holds it
  }

  // Alembic fails an assertion when some revision is not reachable from the
  // starting points; that only happens for unusual history ranges. Listing
  // the rest newest first is the useful answer.
  void append_unreached(IdxList& out) const {
    for (auto it = g_.topo.rbegin(); it != g_.topo.rend(); ++it)
      if (local_[*it] != kNotTodo && !emitted_[*it]) out.push_back(*it);
  }

  const GraphData& g_;
  std::vector<std::uint32_t> local_;  // index among todo revisions, or kNotTodo
  std::vector<std::uint32_t> count_;  // per todo revision: cursors holding it
  std::vector<std::uint32_t> visit_;
  std::uint32_t epoch_ = 0;
  Marks region_;
  Marks emitted_;
  Marks is_cursor_;
  std::size_t remaining_ = 0;
  std::vector<Cursor> cursors_;
};

}  // namespace

IdxList alembic_order(const GraphData& g, const Marks& todo, const IdxList& heads) {
  return Sorter(g, todo).run(heads);
}

}  // namespace migrate::graph::detail
