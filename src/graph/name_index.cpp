#include "graph/name_index.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace migrate::graph::detail {

std::uint64_t NameIndex::hash(std::string_view key) {
  // FNV-1a over 8 bytes at a time, then a final mix (splitmix64): names are
  // short, and ids are often hex digits that differ only in a few places.
  std::uint64_t h = 0xcbf29ce484222325ull ^ key.size();
  std::size_t i = 0;
  for (; i + 8 <= key.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, key.data() + i, 8);
    h = (h ^ w) * 0x100000001b3ull;
    h ^= h >> 32;
  }
  for (; i < key.size(); ++i) h = (h ^ static_cast<unsigned char>(key[i])) * 0x100000001b3ull;
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

std::size_t NameIndex::slot_of(std::string_view key, std::uint64_t h) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t s = h & mask;; s = (s + 1) & mask) {
    const std::uint32_t e = slots_[s];
    if (e == 0 || entries_[e - 1].first == key) return s;
  }
}

void NameIndex::rehash(std::size_t slots) {
  slots_.assign(slots, 0);
  const std::size_t mask = slots - 1;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    std::size_t s = hash(entries_[i].first) & mask;
    while (slots_[s] != 0) s = (s + 1) & mask;
    slots_[s] = static_cast<std::uint32_t>(i + 1);
  }
}

void NameIndex::reserve(std::size_t n) {
  entries_.reserve(n);
  std::size_t slots = 16;
  while (slots < 2 * n) slots *= 2;  // at most half full
  if (slots > slots_.size()) rehash(slots);
}

std::pair<NameIndex::const_iterator, bool> NameIndex::emplace(std::string_view key,
                                                              std::uint32_t value) {
  if (2 * (entries_.size() + 1) > slots_.size())
    reserve(entries_.size() + 1 > 8 ? 2 * entries_.size() : 8);
  const std::uint64_t h = hash(key);
  const std::size_t s = slot_of(key, h);
  if (slots_[s] != 0) return {begin() + (slots_[s] - 1), false};
  entries_.emplace_back(key, value);
  slots_[s] = static_cast<std::uint32_t>(entries_.size());
  return {end() - 1, true};
}

NameIndex::const_iterator NameIndex::find(std::string_view key) const {
  if (slots_.empty()) return end();
  const std::uint32_t e = slots_[slot_of(key, hash(key))];
  return e == 0 ? end() : begin() + (e - 1);
}

std::uint32_t NameIndex::at(std::string_view key) const {
  auto it = find(key);
  if (it == end()) throw std::out_of_range("no revision or label '" + std::string(key) + "'");
  return it->second;
}

}  // namespace migrate::graph::detail
