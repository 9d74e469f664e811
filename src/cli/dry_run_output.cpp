#include "cli/dry_run_output.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "runner/runner.h"
#include "util/error.h"
#include "util/strings.h"

namespace migrate::cli {

namespace {

constexpr const char* kHow =
    "each step ran in its own transaction, rolled back at its end: nothing was committed (not "
    "even the history table), and a step did not see the changes of the steps before it";

std::string rows_phrase(long long n) { return fmt::format("{} row{}", n, n == 1 ? "" : "s"); }

nlohmann::json to_json(const db::DryRunReport& report, const std::vector<runner::StepReport>& steps,
                       bool upgrade) {
  nlohmann::json j;
  j["dry_run"] = true;
  j["direction"] = upgrade ? "upgrade" : "downgrade";
  j["committed"] = false;
  j["steps"] = nlohmann::json::array();
  for (const auto& s : report.steps) {
    const runner::StepReport& r = steps.at(s.index);
    nlohmann::json step;
    step["revision"] = r.step.revision;
    step["from"] = r.from;
    step["to"] = r.to;
    step["message"] = r.message;
    step["skipped"] = s.skipped;
    step["error"] = s.error.empty() ? nlohmann::json() : nlohmann::json(s.error);
    if (s.skipped) step["reason"] = "transactional: false";
    step["statements"] = nlohmann::json::array();
    for (const auto& st : s.statements) {
      nlohmann::json js;
      js["line"] = st.line;
      js["sql"] = st.text;
      js["rows"] = st.rows;
      if (report.reports_locks) {
        js["locks"] = nlohmann::json::array();
        for (const auto& l : st.locks)
          js["locks"].push_back({{"mode", l.mode}, {"relation", l.relation}});
        js["rewrites"] = st.rewrites;
      }
      step["statements"].push_back(std::move(js));
    }
    j["steps"].push_back(std::move(step));
  }
  j["failed_steps"] = report.failures();
  return j;
}

void print_human(Context& ctx, const db::DryRunReport& report,
                 const std::vector<runner::StepReport>& steps) {
  std::size_t ran = 0, skipped = 0;
  for (const auto& s : report.steps) {
    const runner::StepReport& r = steps.at(s.index);
    if (s.skipped) {
      ++skipped;
      ctx.out << "Skipped " << runner::describe_step(r).substr(std::string("Running ").size())
              << " (transactional: false: its statements cannot be rolled back)\n";
      continue;
    }
    ++ran;
    ctx.out << runner::describe_step(r) << "  [dry run]\n";
    for (const auto& st : s.statements) {
      ctx.out << fmt::format("  line {}: {}\n    {}\n", st.line, st.text, rows_phrase(st.rows));
      if (!st.locks.empty()) {
        std::vector<std::string> locks;
        for (const auto& l : st.locks) locks.push_back(l.mode + " on " + l.relation);
        ctx.out << "    locks: " << util::join(locks, ", ") << "\n";
      }
      if (!st.rewrites.empty()) ctx.out << "    rewrote: " << util::join(st.rewrites, ", ") << "\n";
    }
    if (!s.error.empty()) ctx.out << "  failed: " << s.error << "\n";
  }
  const std::size_t failed = report.failures();
  ctx.out << fmt::format("Dry run: {} step{} ran and {} rolled back", ran, ran == 1 ? "" : "s",
                         ran == 1 ? "was" : "were");
  if (failed) ctx.out << fmt::format(" ({} failed)", failed);
  if (skipped) ctx.out << fmt::format(", {} skipped", skipped);
  ctx.out << "; " << kHow << ".\n";
}

}  // namespace

int run_dry_run(Context& ctx, const DryRunArgs& args) {
  if (args.target.find(':') != std::string::npos)
    throw UsageError(fmt::format("a FROM:TO range ('{}') is only for --sql", args.target));
  const auto& scripts = ctx.scripts();
  // Not created when missing: a dry run leaves nothing behind.
  auto db = ctx.open_database(/*create_if_missing=*/false);
  runner::Runner runner(*db, scripts, nullptr, args.lock_wait);
  runner::ChangedFiles changed;
  changed.allow = args.allow_changed;
  changed.warn = [&ctx](const std::string& line) {
    ctx.err << "migrate: warning: " << line << "\n";
  };
  runner.set_changed_files(std::move(changed));
  runner.set_allow_contracts(args.contract);
  std::vector<runner::StepReport> steps;
  db::DryRunReport report = runner.dry_run(args.upgrade, args.target, steps);
  if (args.json) {
    ctx.out << to_json(report, steps, args.upgrade)
                   .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
            << "\n";
  } else if (steps.empty()) {
    ctx.out << "Nothing to do: the database is already at " << args.target << ".\n";
  } else {
    print_human(ctx, report, steps);
  }
  const std::size_t failed = report.failures();
  if (!failed) return 0;
  ctx.out.flush();
  throw Error(fmt::format("dry run: {} step{} failed (nothing was committed){}", failed,
                          failed == 1 ? "" : "s",
                          args.json ? "" : "; the failures are shown above"));
}

}  // namespace migrate::cli
