// migrate lint [FILE... | --since REV | --all] [--format F] [--strict]
// (contract: "Safety: lint, row guards, dry runs"). Without arguments: the
// revisions not yet applied to the configured database, in the order
// upgrade would run them (all of them when there is no database or version
// table yet). Exit 0 without errors, 1 with one (or with warnings under
// --strict), 2 for a bad command line.
#include <fmt/format.h>

#include <cstdlib>

#include "cli/commands.h"
#include "cli/lint_run.h"
#include "lint/report.h"
#include "lint/rules.h"
#include "lint/settings.h"
#include "util/error.h"

namespace migrate::cli {

namespace {

struct LintArgs {
  std::vector<std::string> files;
  std::string since;
  bool all = false;
  std::string format;
  bool strict = false;
  bool list_rules = false;
};

int list_rules(Context& ctx) {
  std::string text;
  for (const auto& r : lint::all_rules())
    fmt::format_to(std::back_inserter(text), "{:<38} {:<13} {:<7} {}{}\n", r.name,
                   lint::category_name(r.category), lint::severity_name(r.severity),
                   r.on_by_default ? "" : "(off by default) ", r.summary);
  ctx.out << text;
  return 0;
}

// The revisions to lint when no file is named, in upgrade order.
// `on_database`: they are the pending revisions of a database that has
// applied some (lint::Source::pending_on_database).
std::vector<std::string> planned_revisions(Context& ctx, const LintArgs& a, bool& on_database) {
  const auto& graph = ctx.scripts().graph();
  std::vector<std::string> from;
  if (!a.since.empty()) {
    from = graph.resolve(a.since, {});
  } else if (!a.all) {
    auto db = ctx.open_database(/*create_if_missing=*/false);
    from = db->current_heads();
    on_database = !from.empty();
  }
  std::vector<std::string> ids;
  for (const auto& step : graph.upgrade_plan(from, "heads")) ids.push_back(step.revision);
  return ids;
}

int run_lint(Context& ctx, const LintArgs& a) {
  if (a.list_rules) return list_rules(ctx);
  if (!a.files.empty() && (a.all || !a.since.empty()))
    throw UsageError("name FILEs, or give --since REV or --all, not both");
  if (a.all && !a.since.empty()) throw UsageError("--since and --all exclude each other");
  lint::Format format = lint::Format::human;
  if (!a.format.empty()) {
    format = *lint::parse_format(a.format);
  } else if (const char* gha = std::getenv("GITHUB_ACTIONS"); gha && *gha) {
    format = lint::Format::github;
  }

  lint::Linter linter(lint_dialect(ctx), lint::Settings(ctx.config().lint));
  std::vector<lint::Finding> findings;
  std::size_t files = 0;
  if (!a.files.empty()) {
    for (const auto& path : a.files) {
      linter.lint(source_of_file(path), findings);
      ++files;
    }
  } else {
    bool on_database = false;
    for (const auto& id : planned_revisions(ctx, a, on_database)) {
      lint::Source source = source_of_revision(ctx, id);
      source.pending_on_database = on_database;
      linter.lint(source, findings);
      ++files;
    }
  }
  const lint::Summary summary = lint::summarize(findings, files, linter.statements());
  lint::write_report(ctx.out, format, findings, summary);
  ctx.out.flush();
  if (summary.errors > 0 || (a.strict && summary.warnings > 0)) return kExitFailed;
  return kExitOk;
}

}  // namespace

void add_lint_command(CLI::App& app, Context& ctx, Actions& actions) {
  auto a = std::make_shared<LintArgs>();
  auto* cmd = app.add_subcommand(
      "lint",
      "Check migrations for dangerous statements (DELETE without WHERE, locking DDL, ...): the "
      "revisions not yet applied, or the FILEs named; see docs/safety.md");
  cmd->add_option("FILE", a->files,
                  "Revision files (their upgrade section) or plain .sql files to lint");
  cmd->add_option("--since", a->since, "Lint the revisions after REV (exclusive) up to the heads");
  cmd->add_flag("--all", a->all, "Lint every revision, from the base up");
  cmd->add_option("--format", a->format,
                  "human, json, sarif (SARIF 2.1.0) or github (workflow annotations; the "
                  "default when GITHUB_ACTIONS is set)")
      ->check(CLI::IsMember({"human", "json", "sarif", "github"}));
  cmd->add_flag("--strict", a->strict, "Exit 1 on warnings too");
  cmd->add_flag("--list-rules", a->list_rules, "List the rules (id, category, severity) and exit");
  actions[cmd] = [&ctx, a] { return run_lint(ctx, *a); };
}

}  // namespace migrate::cli
