// `migrate log`: the audit trail the history table keeps (every step, stamp
// and accepted checksum: who, when, how long, with what result), newest
// first, like Flyway's `info`. Read-only: it creates no file and no table.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/count_option.h"
#include "util/error.h"

namespace migrate::cli {

namespace {

struct LogArgs {
  std::string limit;  // -n as given; empty = all
  bool json = false;
};

nlohmann::json to_json(const db::HistoryEntry& e) {
  return {{"id", e.id},
          {"revision", e.revision},
          {"direction", e.direction},
          {"status", e.status},
          {"started_at", e.started_at},
          {"duration_ms", e.duration_ms ? nlohmann::json(*e.duration_ms) : nlohmann::json()},
          {"applied_by", e.applied_by},
          {"checksum", e.checksum.empty() ? nlohmann::json() : nlohmann::json(e.checksum)}};
}

// One line per entry, in columns: the time, what ran, its result, how long,
// who ran it, and the start of the file's checksum (docs/reference.md#log).
constexpr const char* kColumns = "{:<24}  {:<9}  {:<12}  {:<6}  {:>11}  {:<16}  {}\n";

std::string to_line(const db::HistoryEntry& e) {
  // An offline script's row has no duration (NULL): "-", not a made-up 0.
  return fmt::format(kColumns, e.started_at, e.direction, e.revision, e.status,
                     e.duration_ms ? fmt::format("{:.1f} ms", *e.duration_ms) : "-", e.applied_by,
                     e.checksum.substr(0, 12));
}

int log(Context& ctx, const LogArgs& a) {
  const std::size_t limit = a.limit.empty() ? 0 : parse_count("-n", a.limit);
  auto db = ctx.open_database(/*create_if_missing=*/false);
  std::vector<db::HistoryEntry> entries = db->history();
  std::sort(entries.begin(), entries.end(),
            [](const db::HistoryEntry& x, const db::HistoryEntry& y) { return x.id > y.id; });
  if (limit > 0 && entries.size() > limit) entries.resize(limit);
  if (a.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& e : entries) j.push_back(to_json(e));
    ctx.out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  if (entries.empty()) {
    ctx.out << "No history: nothing has been applied to " << ctx.database_description() << ".\n";
    return 0;
  }
  std::string out = fmt::format(kColumns, "STARTED", "DIRECTION", "REVISION", "STATUS", "DURATION",
                                "BY", "CHECKSUM");
  for (const auto& e : entries) out += to_line(e);
  ctx.out << out;
  return 0;
}

}  // namespace

void add_log_command(CLI::App& app, Context& ctx, Actions& actions) {
  auto a = std::make_shared<LogArgs>();
  auto* cmd = app.add_subcommand(
      "log",
      "Show the history table: every step, stamp and accepted checksum, newest first (who, when, "
      "how long, status, checksum)");
  cmd->add_option("-n,--max-count", a->limit, "Show only the newest N entries (N at least 1)")
      ->option_text("N");
  cmd->add_flag("--json", a->json, "Print JSON");
  actions[cmd] = [&ctx, a] { return log(ctx, *a); };
}

}  // namespace migrate::cli
