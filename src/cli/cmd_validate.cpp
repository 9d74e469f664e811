// validate: are the applied revisions' files still the files that were
// applied? With --accept, records their current checksums as the ones to
// compare with from now on.
#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/fanout_command.h"
#include "config/duration.h"
#include "runner/checksums.h"
#include "runner/runner.h"
#include "util/error.h"

namespace migrate::cli {

namespace {

struct ValidateArgs {
  bool accept = false;
  bool json = false;
  std::string lock_wait = "60s";
};

nlohmann::json problem_json(const runner::ChecksumProblem& p) {
  nlohmann::json j;
  j["kind"] = p.kind == runner::ChecksumProblem::kChanged ? "changed" : "missing";
  j["revision"] = p.revision;
  j["path"] = p.path.empty() ? nullptr : nlohmann::json(p.path);
  j["current_checksum"] = p.current.empty() ? nullptr : nlohmann::json(p.current);
  if (p.recorded_at.empty()) {
    j["recorded"] = nullptr;
  } else {
    j["recorded"] = {{"checksum", p.recorded.empty() ? nullptr : nlohmann::json(p.recorded)},
                     {"direction", p.recorded_direction},
                     {"at", p.recorded_at},
                     {"by", p.recorded_by}};
  }
  return j;
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

int validate(Context& ctx, const ValidateArgs& a) {
  const auto& scripts = ctx.scripts();
  // Never creates a database file: with nothing applied there is nothing to
  // check, and nothing to accept.
  auto db = ctx.open_database(/*create_if_missing=*/false);
  runner::Runner runner(*db, scripts, nullptr, config::duration_option("--lock-wait", a.lock_wait));
  std::vector<db::AcceptedChecksum> accepted;
  runner::ChecksumReport report = a.accept ? runner.accept(accepted) : runner.validate();

  // What is still wrong: everything, or after --accept the missing files.
  std::vector<runner::ChecksumProblem> left;
  for (const auto& p : report.problems)
    if (!a.accept || p.kind == runner::ChecksumProblem::kMissing) left.push_back(p);

  if (a.json) {
    nlohmann::json j;
    j["database"] = ctx.database_description();
    j["checked"] = report.checked;
    j["unchecked"] = report.unchecked;
    j["problems"] = nlohmann::json::array();
    for (const auto& p : report.problems) j["problems"].push_back(problem_json(p));
    if (a.accept) {
      j["accepted"] = nlohmann::json::array();
      for (const auto& acc : accepted)
        j["accepted"].push_back({{"revision", acc.revision}, {"checksum", acc.checksum}});
    }
    j["ok"] = left.empty();
    ctx.out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    for (const auto& p : report.problems) {
      bool fixed = a.accept && p.kind == runner::ChecksumProblem::kChanged;
      const char* tag = fixed                                         ? "ACCEPTED"
                        : p.kind == runner::ChecksumProblem::kChanged ? "CHANGED"
                                                                      : "MISSING";
      ctx.out << tag << ": " << runner::describe(p, scripts) << "\n";
    }
    if (a.accept) {
      for (const auto& id : report.unchecked)
        ctx.out << "RECORDED: revision " << id << " (" << scripts.file(id).path << "): checksum "
                << runner::short_checksum(scripts.file(id).checksum())
                << " (none was recorded: applied by `migrate stamp` or with no history)\n";
    }
    if (left.empty()) {
      std::string checked =
          plural(report.checked.size(), "applied revision", "applied revisions") + " checked";
      if (a.accept && !accepted.empty())
        ctx.out << "OK: " << plural(accepted.size(), "checksum", "checksums")
                << " recorded as accepted\n";
      else if (a.accept)
        ctx.out << "OK: nothing to accept: " << checked << ", every one matches its file\n";
      else
        ctx.out << "OK: " << checked << ", every one matches its file\n";
      if (!a.accept && !report.unchecked.empty())
        ctx.out << "Not checked (no checksum recorded, e.g. applied by `migrate stamp`; `migrate "
                   "validate --accept` records one): "
                << fmt::format("{}", fmt::join(report.unchecked, ", ")) << "\n";
    }
  }
  if (left.empty()) return 0;

  std::size_t changed = 0;
  for (const auto& p : left) changed += p.kind == runner::ChecksumProblem::kChanged;
  std::string hint;
  if (changed) hint += "; if the changes are intended, run `migrate validate --accept`";
  if (changed < left.size())
    hint += "; restore a missing file, or reset the version table with `migrate stamp --purge REV`";
  throw CheckFailed(fmt::format("{} no longer match{} what was applied{}",
                                plural(left.size(), "applied revision", "applied revisions"),
                                left.size() == 1 ? "es" : "", hint));
}

}  // namespace

void add_validate_command(CLI::App& app, Context& ctx, Actions& actions) {
  auto a = std::make_shared<ValidateArgs>();
  auto* cmd = app.add_subcommand(
      "validate",
      "Check that every applied revision's file is unchanged since it was applied (exit 3 if not)");
  cmd->add_flag("--accept", a->accept,
                "Record the current files' checksums as accepted (history direction 'accept'), "
                "so that upgrade and downgrade stop refusing");
  cmd->add_flag("--json", a->json, "Print JSON");
  cmd->add_option("--lock-wait", a->lock_wait,
                  "With --accept: how long to wait for another migrate run on the same database "
                  "(e.g. 10s)")
      ->capture_default_str();
  actions[cmd] = fan_out(
      ctx, add_fanout_options(cmd, &a->json), [] { return true; },
      [&ctx, a] { return validate(ctx, *a); });
}

}  // namespace migrate::cli
