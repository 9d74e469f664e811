#include "fanout/summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "util/error.h"
#include "util/strings.h"

namespace migrate::fanout {

namespace {

// A reported revision list: "<base>" when empty, "?" when not reported
// (a run that failed before it could say where it ended).
std::string revisions(const nlohmann::json& report, const char* key) {
  if (!report.contains(key) || !report[key].is_array()) return "?";
  std::vector<std::string> ids;
  for (const auto& id : report[key])
    if (id.is_string()) ids.push_back(id.get<std::string>());
  return ids.empty() ? "<base>" : util::join(ids, ",");
}

std::string position(const Outcome& o) {
  // Not started, or a command that does not say (lint, validate).
  if (!o.started || (!o.report.contains("from") && !o.report.contains("to"))) return "-";
  std::string from = revisions(o.report, "from"), to = revisions(o.report, "to");
  if (!o.report.contains("steps") && from == to) return from;
  return from + " -> " + to;
}

std::string result(const Outcome& o) {
  switch (o.state) {
    case State::kOk:
      return "ok";
    case State::kBehind:
      return "behind (exit 3)";
    case State::kFailed:
      return fmt::format("failed (exit {})", o.exit_code);
    case State::kInterrupted:
      return "interrupted";
    case State::kSkipped:
      break;
  }
  return "skipped";
}

}  // namespace

const char* state_name(State s) {
  switch (s) {
    case State::kOk:
      return "ok";
    case State::kBehind:
      return "behind";
    case State::kFailed:
      return "failed";
    case State::kInterrupted:
      return "interrupted";
    case State::kSkipped:
      break;
  }
  return "skipped";
}

std::string summary_table(const std::vector<Outcome>& outcomes) {
  std::vector<std::vector<std::string>> rows = {
      {"database", "from -> to", "steps", "time", "result"}};
  for (const auto& o : outcomes) {
    rows.push_back({o.name + (o.canary ? " (canary)" : ""), position(o),
                    o.report.contains("steps") ? o.report["steps"].dump() : "-",
                    o.started ? fmt::format("{:.2f}s", o.seconds) : "-", result(o)});
  }
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::string text;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c)
      line += c + 1 < row.size() ? fmt::format("{:<{}}  ", row[c], width[c]) : row[c];
    text += std::string(util::trim_right(line)) + "\n";
  }
  std::map<State, int> counts;
  std::string not_started;
  for (const auto& o : outcomes) {
    ++counts[o.state];
    if (o.state == State::kSkipped && not_started.empty()) not_started = o.why;
  }
  std::vector<std::string> parts;
  for (State s : {State::kOk, State::kBehind, State::kFailed, State::kInterrupted, State::kSkipped})
    if (counts[s]) parts.push_back(fmt::format("{} {}", counts[s], state_name(s)));
  text += fmt::format("{} database{}: {}", outcomes.size(), outcomes.size() == 1 ? "" : "s",
                      util::join(parts, ", "));
  if (!not_started.empty()) text += " (" + not_started + ")";
  return text + "\n";
}

nlohmann::json outcomes_json(const std::vector<Outcome>& outcomes) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& o : outcomes) {
    nlohmann::json j;
    j["database"] = o.name;
    j["result"] = state_name(o.state);
    j["exit_code"] = o.started ? nlohmann::json(o.exit_code) : nlohmann::json(nullptr);
    j["canary"] = o.canary;
    j["seconds"] = o.seconds;
    for (const char* key : {"from", "to", "steps"})
      j[key] = o.report.contains(key) ? o.report[key] : nlohmann::json(nullptr);
    auto output = nlohmann::json::parse(o.stdout_text, nullptr, /*allow_exceptions=*/false);
    if (output.is_discarded() || output.is_primitive()) {
      output = nlohmann::json::array();
      for (auto& line : util::split(o.stdout_text, '\n'))
        if (!line.empty()) output.push_back(line);
    }
    j["output"] = output;
    j["stderr"] = o.stderr_lines;
    j["reason"] = o.why.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.why);
    list.push_back(std::move(j));
  }
  return {{"databases", list}, {"exit_code", exit_code(outcomes)}};
}

int exit_code(const std::vector<Outcome>& outcomes) {
  bool behind = false;
  for (const auto& o : outcomes) {
    if (o.state == State::kFailed || o.state == State::kInterrupted || o.state == State::kSkipped)
      return kExitFailed;
    behind = behind || o.state == State::kBehind;
  }
  return behind ? kExitCheck : kExitOk;
}

}  // namespace migrate::fanout
