#include "schema/render.h"

#include <algorithm>
#include <numeric>

namespace migrate::schema {

namespace {

// The summary lines (when reported) and warnings of one operation.
void describe(const Renderer& renderer, const ops::Operation& op, Diff& diff) {
  if (op.reported) renderer.summary(op, diff.changes);
  renderer.warnings(op, diff.warnings);
}

}  // namespace

void OpPlan::add(int phase, ops::Operation op, int rank) {
  found_.push_back({phase, rank, std::move(op)});
}

Diff OpPlan::render(const Renderer& renderer, std::vector<std::string> warnings) && {
  Diff diff;
  diff.warnings = std::move(warnings);
  for (const auto& p : found_) describe(renderer, p.op, diff);
  std::vector<std::size_t> order(found_.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Placed &x = found_[a], &y = found_[b];
    return x.phase != y.phase ? x.phase < y.phase : x.rank < y.rank;
  });
  diff.operations.reserve(found_.size());
  for (std::size_t i : order) {
    renderer.statements(found_[i].op, diff.statements);
    diff.operations.push_back(std::move(found_[i].op));
  }
  found_.clear();
  return diff;
}

Diff render_operations(const Renderer& renderer, std::vector<ops::Operation> operations) {
  Diff diff;
  for (const auto& op : operations) {
    describe(renderer, op, diff);
    renderer.statements(op, diff.statements);
  }
  diff.operations = std::move(operations);
  return diff;
}

}  // namespace migrate::schema
