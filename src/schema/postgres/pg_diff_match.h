// Internal to the PostgreSQL differ: the walk that pairs one kind of object
// of `from` with those of `to` by name, which the diffs of collations,
// domains, enums, composite and range types, event triggers and
// publications share (they differ only in what they add, change and drop).
#pragma once

#include <map>
#include <set>
#include <vector>

namespace migrate::schema::postgres {

// Calls `added(n)` for each object of `to` absent from `from`, and
// `kept(o, n)` for each present in both, in `to`'s order; then `gone(o)` for
// each object of `from` absent from `to`, in `from`'s order. Of two objects
// of `from` with one name, the last is the one paired.
template <typename T, typename Added, typename Kept, typename Gone>
void match_by_name(const std::vector<T>& from, const std::vector<T>& to, Added&& added, Kept&& kept,
                   Gone&& gone) {
  using Name = decltype(T::name);
  std::map<Name, const T*> old;
  for (const auto& o : from) old[o.name] = &o;
  std::set<Name> in_both;
  for (const auto& n : to) {
    auto it = old.find(n.name);
    if (it == old.end()) {
      added(n);
      continue;
    }
    in_both.insert(n.name);
    kept(*it->second, n);
  }
  for (const auto& o : from)
    if (!in_both.count(o.name)) gone(o);
}

}  // namespace migrate::schema::postgres
