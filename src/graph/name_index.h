// A map from names (revision ids, branch labels) to revision numbers, for
// the graph's index. An open-addressing hash table over one array of
// entries: building it for 10,000 revisions costs two allocations instead of
// one node each, as std::unordered_map's did (a tenth of loading the graph).
// The keys are views: the strings they look at must outlive the index.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace migrate::graph::detail {

class NameIndex {
 public:
  using value_type = std::pair<std::string_view, std::uint32_t>;
  using const_iterator = const value_type*;

  void reserve(std::size_t n);
  // Adds (key, value) unless key is there; returns the entry and whether it
  // was added. Iterators are invalidated by the next insertion.
  std::pair<const_iterator, bool> emplace(std::string_view key, std::uint32_t value);
  const_iterator find(std::string_view key) const;
  std::size_t count(std::string_view key) const { return find(key) != end() ? 1 : 0; }
  // Throws std::out_of_range for a missing key.
  std::uint32_t at(std::string_view key) const;

  // Entries in insertion order.
  const_iterator begin() const { return entries_.data(); }
  const_iterator end() const { return entries_.data() + entries_.size(); }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  static std::uint64_t hash(std::string_view key);
  // The slot holding `key`, or the empty slot where it would go.
  std::size_t slot_of(std::string_view key, std::uint64_t h) const;
  void rehash(std::size_t slots);

  std::vector<value_type> entries_;
  std::vector<std::uint32_t> slots_;  // entry index + 1; 0 = empty; size a power of 2
};

}  // namespace migrate::graph::detail
