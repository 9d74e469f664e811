// current, heads, history, branches, show, status: read-only commands. None
// of them creates a database file or a table.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "backfill/checkpoint.h"
#include "cli/commands.h"
#include "cli/fanout_command.h"
#include "cli/format.h"
#include "cli/target_report.h"
#include "runner/phases.h"
#include "runner/step_failures.h"
#include "util/error.h"
#include "util/heap_pages.h"
#include "util/sanitizer.h"

namespace migrate::cli {

namespace {

std::set<std::string> as_set(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

// The database's heads, refusing ones the scripts do not know (like Alembic's
// "Can't locate revision") and rows that overlap: every other answer would
// be a guess.
std::vector<std::string> known_current(Context& ctx, db::Database& db) {
  auto heads = db.current_heads();
  for (const auto& h : heads)
    if (!ctx.scripts().graph().contains(h))
      throw Error(fmt::format(
          "the database ({}) is at revision {}, which is not in {}; restore the revision file, or "
          "use 'migrate stamp --purge' if it was deleted on purpose",
          ctx.database_description(), h, ctx.scripts().versions_dir()));
  // A table with one row below another: showing part of it would hide that.
  ctx.scripts().graph().check_version_rows(heads);
  return heads;
}

std::vector<std::string> known_current(Context& ctx) {
  // The scripts first: a mistyped script_location is the error to report,
  // not the database note that opening would print before it.
  ctx.scripts();
  auto db = ctx.open_database(/*create_if_missing=*/false);
  return known_current(ctx, *db);
}

void print_json(Context& ctx, const nlohmann::json& j) {
  ctx.out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

// The end of a read-only command that succeeded: flushes the output and
// exits the process at once, without destroying the loaded scripts (on
// 10,000 revisions, freeing them was a tenth of `heads`). Safe only where
// nothing is left to write or close: these commands write no file but the
// header cache, saved while loading, and hold no database connection here
// (known_current() closes its own). Not when the output is an in-memory
// stream (a test's Context), and not when flushing fails: then the command
// returns as before.
int exit_now(Context& ctx, int code) {
  if (&ctx.out != &std::cout || &ctx.err != &std::cerr) return code;
  ctx.out.flush();
  ctx.err.flush();
  if (!ctx.out || !ctx.err || std::fflush(nullptr) != 0) return code;
  util::exit_without_cleanup(code);
}

// The graph-only commands (current, heads, history, branches, show): they
// load every revision header, print, and exit. Their heap is put on huge
// pages first (util/heap_pages.h: a fifth of `heads` on 10,000 revisions
// was heap page faults); every other command keeps glibc's malloc as it is.
Action graph_only(Action body) {
  return [body = std::move(body)] {
    util::use_huge_heap_pages();
    return body();
  };
}

}  // namespace

void add_inspect_commands(CLI::App& app, Context& ctx, Actions& actions) {
  // current
  struct CurrentArgs {
    bool verbose = false, json = false, check_heads = false;
  };
  auto c = std::make_shared<CurrentArgs>();
  auto* current = app.add_subcommand("current", "Show the revision(s) the database is at");
  current->add_flag("-v,--verbose", c->verbose, "Show each revision in full");
  current->add_flag("--json", c->json, "Print JSON");
  current->add_flag("--check-heads", c->check_heads, "Exit 3 unless the database is at every head");
  actions[current] = graph_only([&ctx, c] {
    auto heads = known_current(ctx);
    report(ctx, {{"from", heads}, {"to", heads}});
    RevisionFormatter fmt(ctx.scripts());
    auto script_heads = ctx.scripts().graph().heads();
    bool at_heads = as_set(heads) == as_set(script_heads);
    // As Alembic's `current`: the stored heads plus revisions applied only as
    // a dependency of another branch (RevisionGraph::effective_current).
    auto shown = ctx.scripts().graph().effective_current(heads);
    if (c->json) {
      nlohmann::json j;
      j["database"] = ctx.database_description();
      j["current"] = nlohmann::json::array();
      for (const auto& h : shown) j["current"].push_back(fmt.json(h, nullptr));
      j["stored"] = heads;
      j["at_heads"] = at_heads;
      print_json(ctx, j);
    } else {
      if (c->verbose) ctx.out << "Current revision(s) for " << ctx.database_description() << ":\n";
      for (const auto& h : shown)
        ctx.out << (c->verbose ? fmt.verbose(h, nullptr) : fmt.line(h, LineOptions{})) << "\n";
      if (heads.empty() && c->verbose) ctx.out << "(none: no revision applied)\n";
    }
    if (c->check_heads && !at_heads)
      throw CheckFailed(fmt::format("the database is not at its heads: current [{}], heads [{}]",
                                    fmt::join(heads, ", "), fmt::join(script_heads, ", ")));
    return exit_now(ctx, 0);
  });
  actions[current] = fan_out(
      ctx, add_fanout_options(current, &c->json), [] { return true; }, std::move(actions[current]));

  // heads
  struct HeadsArgs {
    bool verbose = false, json = false;
  };
  auto h = std::make_shared<HeadsArgs>();
  auto* heads = app.add_subcommand("heads", "Show the head revision(s) of the scripts");
  heads->add_flag("-v,--verbose", h->verbose, "Show each revision in full");
  heads->add_flag("--json", h->json, "Print JSON");
  actions[heads] = graph_only([&ctx, h] {
    const auto& scripts = ctx.scripts();
    RevisionFormatter fmt(scripts);
    if (h->json) {
      nlohmann::json j;
      j["heads"] = nlohmann::json::array();
      for (const auto& id : scripts.graph().heads()) j["heads"].push_back(fmt.json(id, nullptr));
      print_json(ctx, j);
      return exit_now(ctx, 0);
    }
    LineOptions o;
    o.branch_labels = true;
    o.tree_indicators = false;
    for (const auto& id : scripts.graph().heads())
      ctx.out << (h->verbose ? fmt.verbose(id, nullptr) : fmt.line(id, o)) << "\n";
    return exit_now(ctx, 0);
  });

  // history
  struct HistoryArgs {
    std::string range;
    bool verbose = false, indicate_current = false, json = false;
  };
  auto hi = std::make_shared<HistoryArgs>();
  auto* history = app.add_subcommand("history", "List revisions, newest first");
  history->add_option("-r,--rev-range", hi->range,
                      "Range [start]:[end], e.g. 'base:heads', 'ab12:', ':current'");
  history->add_flag("-v,--verbose", hi->verbose, "Show each revision in full");
  history->add_flag("-i,--indicate-current", hi->indicate_current,
                    "Mark the database's current revision(s) (reads the database)");
  history->add_flag("--json", hi->json, "Print JSON");
  actions[history] = graph_only([&ctx, hi] {
    const auto& scripts = ctx.scripts();
    std::string lower = "base", upper = "heads";
    if (!hi->range.empty()) {
      auto colon = hi->range.find(':');
      if (colon == std::string::npos)
        throw UsageError("history range needs [start]:[end], [start]: or :[end]");
      if (colon > 0) lower = hi->range.substr(0, colon);
      if (colon + 1 < hi->range.size()) upper = hi->range.substr(colon + 1);
    }
    bool needs_db = hi->indicate_current || lower == "current" || upper == "current";
    std::vector<std::string> cur;
    if (needs_db) cur = known_current(ctx);
    std::set<std::string> cur_set = as_set(cur);
    const std::set<std::string>* mark = hi->indicate_current ? &cur_set : nullptr;
    RevisionFormatter fmt(scripts);
    auto ids = scripts.graph().empty() ? std::vector<std::string>{}
                                       : scripts.graph().walk(lower, upper, cur);
    if (hi->json) {
      nlohmann::json j;
      j["revisions"] = nlohmann::json::array();
      for (const auto& id : ids) j["revisions"].push_back(fmt.json(id, mark));
      print_json(ctx, j);
      return exit_now(ctx, 0);
    }
    LineOptions o;
    o.parents = o.branch_labels = o.doc = true;
    o.current = mark;
    for (const auto& id : ids)
      ctx.out << (hi->verbose ? fmt.verbose(id, mark) + "\n" : fmt.line(id, o) + "\n");
    return exit_now(ctx, 0);
  });

  // branches
  auto bverbose = std::make_shared<bool>(false);
  auto* branches = app.add_subcommand("branches", "Show branch points and where they lead");
  branches->add_flag("-v,--verbose", *bverbose, "Show each branch point in full");
  actions[branches] = graph_only([&ctx, bverbose] {
    const auto& scripts = ctx.scripts();
    const auto& g = scripts.graph();
    RevisionFormatter fmt(scripts);
    LineOptions top;
    top.branch_labels = true;
    LineOptions child;
    child.branch_labels = child.doc = true;
    child.tree_indicators = false;
    for (const auto& node : g.nodes()) {
      if (!g.is_branch_point(node.id)) continue;
      ctx.out << (*bverbose ? fmt.verbose(node.id, nullptr) : fmt.line(node.id, top)) << "\n";
      for (const auto& kid : g.children(node.id))
        ctx.out << std::string(node.id.size() + 1, ' ') << "-> " << fmt.line(kid, child) << "\n";
    }
    return exit_now(ctx, 0);
  });

  // show
  auto show_rev = std::make_shared<std::string>();
  auto* show = app.add_subcommand("show", "Show a revision: its header, file and SQL");
  show->add_option("REV", *show_rev, "Revision: an id, a prefix, head, label@head, ...")
      ->required();
  actions[show] = graph_only([&ctx, show_rev] {
    const auto& scripts = ctx.scripts();
    std::vector<std::string> cur;
    // Only targets that mention the database's position need to read it.
    if (show_rev->find("current") != std::string::npos) cur = known_current(ctx);
    auto ids = scripts.graph().resolve(*show_rev, cur);
    if (ids.empty()) throw Error(fmt::format("'{}' names no revision", *show_rev));
    RevisionFormatter fmt(scripts);
    for (const auto& id : ids) {
      const auto& f = scripts.file(id);
      ctx.out << fmt.verbose(id, nullptr) << "\n-- migrate:upgrade"
              << (f.transactional ? "" : " (transactional: false)") << "\n"
              << f.upgrade_sql << "\n-- migrate:downgrade\n"
              << f.downgrade_sql << "\n";
    }
    return exit_now(ctx, 0);
  });

  // status
  struct StatusArgs {
    bool json = false, exit_code = false;
  };
  auto s = std::make_shared<StatusArgs>();
  auto* status = app.add_subcommand("status", "Show where the database is and what is pending");
  status->add_flag("--json", s->json, "Print JSON");
  status->add_flag("--exit-code", s->exit_code,
                   "Exit 3 when revisions are pending or a failed step is unresolved");
  actions[status] = [&ctx, s] {
    const auto& scripts = ctx.scripts();
    auto db = ctx.open_database(/*create_if_missing=*/false);
    auto cur = known_current(ctx, *db);
    report(ctx, {{"from", cur}, {"to", cur}});
    // A failed non-transactional step may have left the database half
    // changed: worth saying on every status until someone deals with it.
    auto failures = runner::unresolved_failures(db->history());
    const auto& g = scripts.graph();
    std::vector<graph::Step> pending =
        g.empty() ? std::vector<graph::Step>{} : g.upgrade_plan(cur, "heads");
    // Contract revisions wait for the old application to be gone: listed,
    // but not what --exit-code fails on (nor what follows them).
    runner::HeldBack held = runner::hold_back_contracts(scripts, pending, "heads", cur, false);
    auto waits = [&](const std::string& id) {
      return std::none_of(held.run.begin(), held.run.end(),
                          [&](const graph::Step& st) { return st.revision == id; });
    };
    // What `current` shows: the stored rows plus revisions applied only as
    // another branch's dependency.
    std::vector<std::string> shown = g.empty() ? cur : g.effective_current(cur);
    // Backfills stopped part-way or running now: only worth a read when one
    // is pending.
    std::vector<backfill::Checkpoint> backfills;
    for (const auto& p : pending) {
      if (!scripts.file(p.revision).backfill) continue;
      backfills = backfill::read_checkpoints(*db);
      break;
    }
    RevisionFormatter fmt(scripts);
    if (s->json) {
      nlohmann::json j;
      j["database"] = ctx.database_description();
      j["backfills"] = nlohmann::json::array();
      for (const auto& c : backfills)
        j["backfills"].push_back(
            {{"revision", c.revision},
             {"table", c.table},
             {"rows_walked", c.rows_walked},
             {"rows_updated", c.rows_updated},
             {"batches", c.batches},
             {"total_estimate", c.total_estimate ? nlohmann::json(*c.total_estimate) : nullptr},
             {"started_at", c.started_at},
             {"updated_at", c.updated_at}});
      j["current"] = shown;
      j["stored"] = cur;
      j["heads"] = g.heads();
      j["pending"] = nlohmann::json::array();
      for (const auto& p : pending)
        j["pending"].push_back({{"revision", p.revision},
                                {"message", scripts.file(p.revision).message},
                                {"path", scripts.file(p.revision).path},
                                {"phase", script::phase_name(scripts.file(p.revision).phase)},
                                {"waiting", waits(p.revision)}});
      j["waiting_contracts"] = nlohmann::json::array();
      for (const auto& id : held.waiting)
        j["waiting_contracts"].push_back({{"revision", id}, {"message", scripts.file(id).message}});
      j["up_to_date"] = held.run.empty();
      j["failed_steps"] = nlohmann::json::array();
      for (const auto& f : failures)
        j["failed_steps"].push_back({{"revision", f.revision},
                                     {"direction", f.direction},
                                     {"started_at", f.started_at},
                                     {"applied_by", f.applied_by},
                                     {"checksum", f.checksum},
                                     {"message", runner::describe_failure(f)}});
      print_json(ctx, j);
    } else {
      ctx.out << "Database: " << ctx.database_description() << "\n";
      ctx.out << "Current:  "
              << (shown.empty() ? "<base> (nothing applied)"
                                : fmt::format("{}", fmt::join(shown, ", ")))
              << "\n";
      ctx.out << "Heads:    "
              << (g.empty() ? "(no revisions)" : fmt::format("{}", fmt::join(g.heads(), ", ")))
              << "\n";
      const std::size_t nf = failures.size();
      // "Up to date." alone would read as all well above FAILED lines.
      if (pending.empty() && nf == 0) {
        ctx.out << "Up to date.\n";
      } else if (pending.empty()) {
        ctx.out << "No revision pending, but " << nf << " failed step"
                << (nf == 1 ? " is" : "s are") << " unresolved (below).\n";
      } else {
        ctx.out << pending.size() << " pending revision" << (pending.size() == 1 ? "" : "s")
                << " (in the order 'upgrade heads' runs them):\n";
        for (const auto& p : pending)
          ctx.out << "  " << p.revision << "  " << scripts.file(p.revision).message
                  << (std::count(held.waiting.begin(), held.waiting.end(), p.revision)
                          ? "  (contract: waits)"
                      : waits(p.revision) ? "  (after a waiting contract)"
                                          : "")
                  << "\n";
      }
      for (const auto& id : held.waiting)
        ctx.out << "Contract " << id << " waits: run `migrate upgrade " << id
                << "` once no instance of the old application runs.\n";
      for (const auto& c : backfills)
        ctx.out << "  " << c.revision << ": " << backfill::describe_checkpoint(c) << "\n";
      if (nf && !pending.empty())
        ctx.out << nf << " failed step" << (nf == 1 ? " is" : "s are") << " unresolved:\n";
      for (const auto& f : failures) ctx.out << runner::describe_failure(f) << "\n";
    }
    if (s->exit_code && (!held.run.empty() || !failures.empty())) {
      std::vector<std::string> what;
      if (!held.run.empty())
        what.push_back(fmt::format("{} revision{} pending", held.run.size(),
                                   held.run.size() == 1 ? " is" : "s are"));
      if (!failures.empty())
        what.push_back(fmt::format("{} failed step{} unresolved", failures.size(),
                                   failures.size() == 1 ? " is" : "s are"));
      throw CheckFailed(fmt::format("{}", fmt::join(what, "; ")));
    }
    return 0;
  };
  actions[status] = fan_out(
      ctx, add_fanout_options(status, &s->json), [] { return true; }, std::move(actions[status]));
}

}  // namespace migrate::cli
