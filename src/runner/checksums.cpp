#include "runner/checksums.h"

#include <fmt/format.h>

#include <map>
#include <set>

namespace migrate::runner {

namespace {

// The stored heads and everything they need: their down_revisions and
// dependencies, transitively. Heads the graph does not know are left out.
std::set<std::string> applied_set(const graph::RevisionGraph& graph,
                                  const std::vector<std::string>& heads) {
  std::set<std::string> seen;
  std::vector<std::string> todo;
  for (const auto& h : heads)
    if (graph.contains(h)) todo.push_back(h);
  while (!todo.empty()) {
    std::string id = std::move(todo.back());
    todo.pop_back();
    if (!seen.insert(id).second) continue;
    for (const auto& parent : graph.get(id).down_revisions) todo.push_back(parent);
    for (const auto& dep : graph.resolved_dependencies(id)) todo.push_back(dep);
  }
  return seen;
}

// The most recent successful row naming each revision, among the rows that
// say how it came to be applied (or stopped being). Not "unstamp": a stamp
// that took a revision out of the version table changed nothing in the
// schema, and when the revision is applied again (an ancestor of a head
// stamped later), the row of its last real run is what its file is checked
// against.
std::map<std::string, const db::HistoryEntry*> latest_rows(
    const std::vector<db::HistoryEntry>& history) {
  std::map<std::string, const db::HistoryEntry*> latest;
  for (const auto& row : history) {  // in id order: later rows win
    if (row.status != "ok") continue;
    if (row.direction == "upgrade" || row.direction == "accept" || row.direction == "downgrade" ||
        row.direction == "stamp" || row.direction == "adopt")
      latest[row.revision] = &row;
  }
  return latest;
}

// "applied on ...", "accepted on ...": what the history row did.
const char* participle(const std::string& direction) {
  if (direction == "accept") return "accepted";
  if (direction == "stamp") return "stamped";
  if (direction == "adopt") return "adopted";
  if (direction == "downgrade") return "downgraded";
  return "applied";
}

void fill_recorded(ChecksumProblem& p, const db::HistoryEntry& row) {
  p.recorded = row.checksum;
  p.recorded_direction = row.direction;
  p.recorded_at = row.started_at;
  p.recorded_by = row.applied_by;
}

}  // namespace

std::string short_checksum(const std::string& checksum) {
  if (checksum.size() <= 12) return checksum;
  return checksum.substr(0, 12) + "…";
}

ChecksumReport verify_checksums(const script::ScriptDirectory& scripts,
                                const std::vector<std::string>& heads,
                                const std::vector<db::HistoryEntry>& history) {
  ChecksumReport report;
  if (heads.empty()) return report;
  const auto& graph = scripts.graph();
  const std::set<std::string> applied = applied_set(graph, heads);
  const auto latest = latest_rows(history);

  for (const auto& file : scripts.files()) {
    if (!applied.count(file.id)) continue;
    auto it = latest.find(file.id);
    const db::HistoryEntry* row = it == latest.end() ? nullptr : it->second;
    if (!row || row->checksum.empty() ||
        (row->direction != "upgrade" && row->direction != "accept" && row->direction != "adopt")) {
      report.unchecked.push_back(file.id);
      continue;
    }
    report.checked.push_back(file.id);
    std::string now = file.checksum();
    if (now == row->checksum) continue;
    ChecksumProblem p;
    p.kind = ChecksumProblem::kChanged;
    p.revision = file.id;
    p.path = file.path;
    p.current = std::move(now);
    fill_recorded(p, *row);
    report.problems.push_back(std::move(p));
  }

  for (const auto& h : heads) {
    if (graph.contains(h)) continue;
    ChecksumProblem p;
    p.kind = ChecksumProblem::kMissing;
    p.revision = h;
    // Whatever the row says, the file is gone; the row only tells when and
    // by whom the revision was applied.
    if (auto it = latest.find(h); it != latest.end()) fill_recorded(p, *it->second);
    report.problems.push_back(std::move(p));
  }
  return report;
}

std::string describe(const ChecksumProblem& p, const script::ScriptDirectory& scripts) {
  const char* verb = participle(p.recorded_direction);
  if (p.kind == ChecksumProblem::kMissing) {
    std::string line = fmt::format("revision {} is applied but has no file in {}", p.revision,
                                   scripts.versions_dir());
    if (!p.recorded_at.empty())
      line += fmt::format(" ({} on {} by {})", verb, p.recorded_at, p.recorded_by);
    return line;
  }
  return fmt::format(
      "revision {} ({}) changed since it was {} on {} by {}: checksum was {}, is now {}",
      p.revision, p.path, verb, p.recorded_at, p.recorded_by, short_checksum(p.recorded),
      short_checksum(p.current));
}

}  // namespace migrate::runner
