#include "schema/order.h"

namespace migrate::schema {

std::vector<std::size_t> dependency_order(
    std::size_t count, const std::function<bool(std::size_t, std::size_t)>& depends) {
  std::vector<int> state(count, 0);  // 0 new, 1 on the stack, 2 placed
  std::vector<std::size_t> out;
  // Depth-first: place an item's dependencies, then the item. An item met
  // again while on the stack is a cycle and is skipped there.
  std::function<void(std::size_t)> visit = [&](std::size_t i) {
    if (state[i] != 0) return;
    state[i] = 1;
    for (std::size_t j = 0; j < count; ++j)
      if (j != i && depends(i, j)) visit(j);
    state[i] = 2;
    out.push_back(i);
  };
  for (std::size_t i = 0; i < count; ++i) visit(i);
  return out;
}

}  // namespace migrate::schema
