// check, diff: the schema-diff commands of the contract. Both compare
// inspected schemas (backend/source.h), never SQL text.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <optional>

#include "backend/backend.h"
#include "backend/load_sources.h"
#include "backend/source.h"
#include "cli/commands.h"
#include "cli/fanout_command.h"
#include "cli/schema_sources.h"
#include "cli/target_report.h"
#include "runner/phases.h"
#include "schema/column_order.h"
#include "schema/diff.h"
#include "util/error.h"
#include "util/strings.h"

namespace migrate::cli {

namespace {

struct DiffArgs {
  std::string from, to, dev_url;
  bool exit_code = false;
  bool strict_column_order = false;
  schema::SchemaFilter filter;
  bool privileges = false;
};

bool is_revision(const std::string& s) { return s.rfind("rev:", 0) == 0; }

// Without a migrate.yaml, `diff --from X --to Y` still works when neither
// side needs the project (no rev:): the dev database then takes the kind of
// the side that is a URL, else SQLite.
backend::SourceContext context_without_project(const DiffArgs& a) {
  backend::SourceContext sc;
  sc.dev_url = a.dev_url;
  for (const auto& s : {a.from, a.to})
    if (backend::source_kind(s) == backend::SourceKind::kDatabase) sc.database_url = s;
  if (sc.database_url.empty()) sc.database_url = "sqlite:///:memory:";
  return sc;
}

int run_diff(Context& ctx, const DiffArgs& a) {
  bool needs_project = a.from.empty() || a.to.empty() || is_revision(a.from) || is_revision(a.to);
  backend::SourceContext sc;
  std::string from = a.from, to = a.to;
  if (needs_project) {
    if (from.empty()) from = ctx.config().database_url;
    if (from.empty())
      throw Error("no --from and no database URL: set database_url in " + ctx.config().file +
                  " or pass --from SRC");
    if (to.empty()) to = required_schema_file(ctx, "'migrate diff' without --to");
  }
  // Check both forms before building any dev database.
  backend::source_kind(from);
  backend::source_kind(to);
  if (needs_project) {
    sc = source_context(ctx, a.dev_url, is_revision(from) || is_revision(to));
  } else {
    try {
      sc = source_context(ctx, a.dev_url, false);
    } catch (const Error&) {
      sc = context_without_project(a);
    }
  }
  sc.note = [&ctx](const std::string& note) { ctx.err << "migrate: note: " << note << "\n"; };
  sc.privileges = a.privileges;
  // Both sides at once: each is mostly the server's time.
  std::vector<schema::Schema> sides = backend::load_sources({{"--from", from}, {"--to", to}}, sc);
  const schema::Schema& whole_from = sides[0];
  const schema::Schema& whole_to = sides[1];
  check_schema_filter(ctx, a.filter, {&whole_from, &whole_to});
  // The narrowed sides are only needed (and copied) for the column order.
  schema::Schema f, t;
  const bool order = a.strict_column_order;
  schema::Diff diff = filtered_diff(ctx, a.filter, whole_from, whole_to, order ? &f : nullptr,
                                    order ? &t : nullptr);
  print_warnings(ctx, diff);
  bool order_differs = false;
  if (a.strict_column_order)
    for (const auto& d : schema::column_order_differences(f, t, diff)) {
      ctx.err << "migrate: column order: " << schema::describe(d) << "\n";
      order_differs = true;
    }
  ctx.out << schema::render_script(diff);
  return a.exit_code && (!diff.empty() || order_differs) ? kExitCheck : kExitOk;
}

// --strict-column-order: each table whose column order `diff` leaves
// different from `to`'s is a problem of `check`.
void column_order_problems(bool strict, const std::string& what, const schema::Schema& from,
                           const schema::Schema& to, const schema::Diff& diff,
                           std::vector<std::string>& problems) {
  if (!strict) return;
  for (const auto& d : schema::column_order_differences(from, to, diff))
    problems.push_back("column order: " + what + ": " + schema::describe(d));
}

std::string list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += "\n    " + i;
  return out;
}

struct CheckArgs {
  std::string dev_url;
  bool strict_column_order = false;
  schema::SchemaFilter filter;
  bool privileges = false;
};

int run_check(Context& ctx, const CheckArgs& a) {
  const bool strict_column_order = a.strict_column_order;
  // The comparison reads the whole database, every schema, against what
  // the revisions build in an empty one: with a search_path (schema per
  // tenant) the other tenants' schemas would read as drift.
  if (!ctx.config().search_path.empty())
    throw Error(
        "check compares a whole database with rev:heads, and this target sets a search_path (" +
        util::join(ctx.config().search_path, ", ") +
        ": schema per tenant): not supported yet; `status --exit-code` and `validate` check "
        "its version and files");
  const auto& scripts = ctx.scripts();
  std::vector<std::string> problems;
  std::vector<std::string> heads = scripts.graph().heads();
  std::vector<std::string> current;
  {
    auto db = ctx.open_database(/*create_if_missing=*/false);
    current = db->current_heads();
  }
  report(ctx, {{"from", current}, {"to", current}});
  std::sort(heads.begin(), heads.end());
  std::sort(current.begin(), current.end());
  auto sc = source_context(ctx, a.dev_url, true);
  sc.privileges = a.privileges;
  const std::string& schema_file = ctx.config().schema_file;
  bool have_schema_file = !schema_file.empty() && ::access(schema_file.c_str(), F_OK) == 0;
  // Where the database should be: its heads, short of contract revisions
  // that wait for the old application to be gone (they are no problem).
  // Decided before loading, so that every side is loaded at once.
  std::string expected = "rev:heads";
  if (current != heads && !scripts.graph().empty()) {
    auto pending = scripts.graph().upgrade_plan(current, "heads");
    runner::HeldBack held = runner::hold_back_contracts(scripts, pending, "heads", current, false);
    if (held.run.empty() && !held.waiting.empty() && current.size() == 1) {
      for (const auto& id : held.waiting)
        ctx.out << "Contract " << id << " waits (`migrate upgrade " << id
                << "` once no instance of the old application runs).\n";
      expected = "rev:" + current[0];
      heads = current;
    }
  }
  std::vector<backend::NamedSource> to_load{{"rev:heads", "rev:heads"}};
  if (have_schema_file) to_load.push_back({"schema_file", schema_file});
  if (current == heads) {
    to_load.push_back({"the database", ctx.config().database_url});
    if (expected != "rev:heads") to_load.push_back({expected, expected});
  }
  std::vector<schema::Schema> loaded = backend::load_sources(to_load, sc);
  std::size_t next = 0;
  schema::Schema at_heads = std::move(loaded[next++]);
  std::optional<schema::Schema> wanted, live, made;
  if (have_schema_file) wanted = std::move(loaded[next++]);
  if (current == heads) {
    live = std::move(loaded[next++]);
    if (expected != "rev:heads") made = std::move(loaded[next++]);
  }
  // The filter is checked against every side compared at once, so a schema
  // only schema_file has yet is no unknown name.
  std::vector<const schema::Schema*> sides{&at_heads};
  if (wanted) sides.push_back(&*wanted);
  if (live) sides.push_back(&*live);
  if (made) sides.push_back(&*made);
  check_schema_filter(ctx, a.filter, sides);
  if (current != heads) {
    problems.push_back(fmt::format(
        "the database is not at its heads: current [{}], heads [{}]; run 'migrate upgrade heads'",
        fmt::join(current, ", "), fmt::join(heads, ", ")));
  } else {
    schema::Schema compared_made, compared_live;
    schema::Diff drift = filtered_diff(ctx, a.filter, made ? *made : at_heads, *live,
                                       strict_column_order ? &compared_made : nullptr,
                                       strict_column_order ? &compared_live : nullptr);
    if (!drift.empty())
      problems.push_back(
          "drift: the database's schema differs from what its revisions make (rev:heads); "
          "turning rev:heads into the database would:" +
          list(drift.changes));
    column_order_problems(strict_column_order, "the database differs from " + expected,
                          compared_made, compared_live, drift, problems);
  }
  if (!schema_file.empty() && !have_schema_file)
    ctx.err << "migrate: note: schema_file " << schema_file
            << " does not exist; not checking whether an autogenerate is due\n";
  if (have_schema_file) {
    schema::Schema compared_heads, compared_wanted;
    schema::Diff due = filtered_diff(ctx, a.filter, at_heads, *wanted,
                                     strict_column_order ? &compared_heads : nullptr,
                                     strict_column_order ? &compared_wanted : nullptr);
    print_warnings(ctx, due);
    if (!due.empty())
      problems.push_back(
          "an autogenerate is due: " + ctx.config().schema_file +
          " differs from rev:heads; run 'migrate revision --autogenerate -m MESSAGE' to:" +
          list(due.changes));
    column_order_problems(strict_column_order, schema_file + " differs from rev:heads",
                          compared_heads, compared_wanted, due, problems);
  }
  if (!problems.empty()) {
    std::string msg = fmt::format("check failed ({} problem{}):", problems.size(),
                                  problems.size() == 1 ? "" : "s");
    for (const auto& p : problems) msg += "\n  - " + p;
    throw CheckFailed(msg);
  }
  ctx.out << (expected == "rev:heads" ? "OK: the database is at its heads and matches rev:heads"
                                      : "OK: the database is at its heads but for waiting "
                                        "contracts, and matches " +
                                            expected)
          << (have_schema_file ? "; " + schema_file + " matches rev:heads" : std::string())
          << ".\n";
  return kExitOk;
}

}  // namespace

void add_schema_commands(CLI::App& app, Context& ctx, Actions& actions) {
  auto d = std::make_shared<DiffArgs>();
  auto* diff = app.add_subcommand("diff", "Print the SQL that turns one schema into another");
  diff->add_option("--from", d->from,
                   "Source: a database URL, a .sql schema file or rev:TARGET (default: the "
                   "configured database); a relative sqlite:/// path is relative to the config "
                   "file's folder, a relative .sql file to the current directory");
  diff->add_option("--to", d->to,
                   "Target: a database URL, a .sql schema file or rev:TARGET (default: "
                   "schema_file); relative paths as for --from");
  diff->add_option("--dev-url", d->dev_url,
                   "Scratch database for .sql and rev: sources (default: dev_url, else a "
                   "temporary one); a relative sqlite:/// path is relative to the config file's "
                   "folder");
  diff->add_flag("--exit-code", d->exit_code, "Exit 3 when the schemas differ");
  diff->add_flag("--strict-column-order", d->strict_column_order,
                 "Report on stderr each table whose column order the diff leaves different "
                 "from --to's (with --exit-code: exit 3 then too)");
  add_schema_filter_options(diff, d->filter);
  diff->add_flag("--privileges", d->privileges, kPrivilegesHelp);
  actions[diff] = [&ctx, d] { return run_diff(ctx, *d); };

  auto c = std::make_shared<CheckArgs>();
  auto* check = app.add_subcommand(
      "check",
      "Exit 3 when the database is not at its heads, has drifted from rev:heads, or schema_file "
      "differs from rev:heads (an autogenerate is due)");
  check->add_option("--dev-url", c->dev_url,
                    "Scratch database (default: dev_url, else temporary); a relative sqlite:/// "
                    "path is relative to the config file's folder");
  check->add_flag("--strict-column-order", c->strict_column_order,
                  "Also fail when a table's column order differs (drift, or schema_file from "
                  "rev:heads)");
  add_schema_filter_options(check, c->filter);
  check->add_flag("--privileges", c->privileges, kPrivilegesHelp);
  actions[check] = fan_out(
      ctx, add_fanout_options(check, nullptr), [] { return false; },
      [&ctx, c] { return run_check(ctx, *c); });
}

}  // namespace migrate::cli
