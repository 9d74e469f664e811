#include "cli/lint_gate.h"

#include <fmt/format.h>

#include "cli/lint_run.h"
#include "lint/server_facts.h"
#include "lint/settings.h"
#include "util/error.h"

namespace migrate::cli {

runner::Runner::PlanCheck make_upgrade_gate(Context& ctx) {
  const auto& cfg = ctx.config();
  if (cfg.lint_on_upgrade == "off") return {};
  const bool refuse = cfg.lint_on_upgrade == "error";
  // Settings and dialect are worked out now, so a bad `lint:` section is
  // reported before the run lock is taken.
  auto settings = std::make_shared<lint::Settings>(cfg.lint);
  const lint::Dialect dialect = lint_dialect(ctx);
  return [&ctx, settings, dialect, refuse](const std::vector<db::PlannedStep>& steps,
                                           db::Database& db) {
    // The server's facts over the config's, as `migrate lint` takes them:
    // asked on the run's own connection, one round trip.
    lint::Settings run_settings = *settings;
    if (lint::has_server_facts(dialect)) lint::apply_server_facts(dialect, db, run_settings);
    lint::Linter linter(dialect, std::move(run_settings));
    std::vector<lint::Finding> findings;
    for (const auto& source : sources_of_plan(ctx, steps)) linter.lint(source, findings);
    std::string lines;
    std::size_t errors = 0;
    for (const auto& f : findings) {
      if (f.severity != lint::Severity::error) continue;
      ++errors;
      if (refuse) {
        fmt::format_to(std::back_inserter(lines), "\n  {}:{}: {} [{}]\n    help: {}", f.file,
                       f.line, f.message, f.rule, f.help);
      } else {
        ctx.out.flush();
        ctx.err << fmt::format("migrate: warning: lint: {}:{}:{}: {} [{}]\n", f.file, f.line,
                               f.column, f.message, f.rule);
      }
    }
    if (!refuse || errors == 0) return;
    throw Error(fmt::format(
        "refusing to upgrade: the linter found {} error{} in the steps about to run:{}\nNothing "
        "was run. Fix the statement, or acknowledge it on the line right before it "
        "(`-- migrate:lint-ignore RULE REASON`; `-- migrate:expect-rows any` for a full-table "
        "DELETE/UPDATE), or set `lint_on_upgrade: warn` in migrate.yaml.",
        errors, errors == 1 ? "" : "s", lines));
  };
}

}  // namespace migrate::cli
