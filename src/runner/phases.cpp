#include "runner/phases.h"

#include <algorithm>

namespace migrate::runner {

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Whether `target` names `id` itself (its id or a prefix of it), not a
// symbolic target (heads, head, +1) that happens to reach it.
bool names(const script::ScriptDirectory& scripts, const std::string& target,
           const std::vector<std::string>& current_heads, const std::string& id) {
  if (target.empty() || id.compare(0, target.size(), target) != 0) return false;
  try {
    auto ids = scripts.graph().resolve(target, current_heads);
    return ids.size() == 1 && ids[0] == id;
  } catch (...) {
    return false;
  }
}

}  // namespace

HeldBack hold_back_contracts(const script::ScriptDirectory& scripts,
                             const std::vector<graph::Step>& plan, const std::string& target,
                             const std::vector<std::string>& current_heads, bool allow_contracts) {
  HeldBack out;
  std::vector<std::string> held;
  for (const auto& step : plan) {
    const auto& file = scripts.file(step.revision);
    bool after_held = false;
    for (const auto& parent : file.down_revisions)
      after_held = after_held || contains(held, parent);
    for (const auto& dep : scripts.graph().resolved_dependencies(step.revision))
      after_held = after_held || contains(held, dep);
    const bool waits = step.upgrade && file.phase == script::Phase::kContract && !allow_contracts &&
                       !names(scripts, target, current_heads, step.revision);
    if (waits) out.waiting.push_back(step.revision);
    if (waits || after_held) {
      held.push_back(step.revision);
      continue;
    }
    out.run.push_back(step);
  }
  return out;
}

std::vector<std::string> waiting_contracts(const script::ScriptDirectory& scripts,
                                           const std::vector<std::string>& pending) {
  std::vector<std::string> out;
  for (const auto& id : pending) {
    const auto& file = scripts.file(id);
    if (file.phase != script::Phase::kContract) continue;
    bool ready = std::none_of(file.down_revisions.begin(), file.down_revisions.end(),
                              [&](const std::string& p) { return contains(pending, p); });
    if (ready) out.push_back(id);
  }
  return out;
}

}  // namespace migrate::runner
