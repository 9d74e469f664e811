// migrate lint [FILE... | --since REV | --all] [--format F] [--strict]
// (contract: "Safety: lint, row guards, dry runs"). Without arguments: the
// revisions not yet applied to the configured database, in the order
// upgrade would run them (all of them when there is no database or version
// table yet). Exit 0 without errors, 1 with one (or with warnings under
// --strict), 2 for a bad command line.
#include <fmt/format.h>

#include <cstdlib>

#include "cli/commands.h"
#include "cli/fanout_command.h"
#include "cli/lint_run.h"
#include "lint/report.h"
#include "lint/rules.h"
#include "lint/server_facts.h"
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

// The revisions to lint when no file is named, in upgrade order; `db` is
// the configured database (needed unless --since or --all). `on_database`:
// they are the pending revisions of a database that has applied some
// (lint::Source::pending_on_database).
std::vector<std::string> planned_revisions(Context& ctx, const LintArgs& a, db::Database* db,
                                           bool& on_database) {
  const auto& graph = ctx.scripts().graph();
  std::vector<std::string> from;
  if (!a.since.empty()) {
    from = graph.resolve(a.since, {});
  } else if (!a.all) {
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

  lint::Settings settings(ctx.config().lint);
  const lint::Dialect dialect = lint_dialect(ctx);
  // The configured database: needed for the pending revisions; otherwise
  // only asked, when it answers, for the server's facts (lint/server_facts.h).
  std::unique_ptr<db::Database> db;
  if (a.files.empty() && a.since.empty() && !a.all) {
    db = ctx.open_database(/*create_if_missing=*/false);
  } else if (lint::has_server_facts(dialect)) {
    try {
      db = ctx.open_database(/*create_if_missing=*/false);
    } catch (const Error&) {
      // Not reachable: the `lint:` config's version and volatility stand.
    }
  }
  if (db && lint::has_server_facts(dialect)) lint::apply_server_facts(dialect, *db, settings);
  lint::Linter linter(dialect, std::move(settings));
  std::vector<lint::Finding> findings;
  std::size_t files = 0;
  // Files are read and parsed on several threads (lint::Linter::lint_all);
  // a project's revisions are read here first (the script directory reads
  // lazily, on one thread).
  if (!a.files.empty()) {
    files = a.files.size();
    linter.lint_all(
        files, [&](std::size_t i) { return source_of_file(a.files[i]); }, findings);
  } else {
    bool on_database = false;
    std::vector<lint::Source> sources;
    for (const auto& id : planned_revisions(ctx, a, db.get(), on_database)) {
      sources.push_back(source_of_revision(ctx, id));
      sources.back().pending_on_database = on_database;
    }
    files = sources.size();
    linter.lint_all(
        files, [&](std::size_t i) { return std::move(sources[i]); }, findings);
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
  // With --db/--all-databases: the revisions pending on each database.
  actions[cmd] = fan_out(
      ctx, add_fanout_options(cmd, nullptr), [] { return false; },
      [&ctx, a] { return run_lint(ctx, *a); });
}

}  // namespace migrate::cli
