// upgrade, downgrade, stamp: the commands that change a database (or, with
// --sql, print the script that would).
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "cli/backfill_progress.h"
#include "cli/commands.h"
#include "cli/dry_run_output.h"
#include "cli/fanout_command.h"
#include "cli/lint_gate.h"
#include "cli/step_ticker.h"
#include "cli/target_report.h"
#include "config/duration.h"
#include "runner/offline.h"
#include "runner/runner.h"
#include "util/error.h"
#include "util/strings.h"

namespace migrate::cli {

namespace {

struct MoveArgs {
  std::string target;
  bool sql = false;
  bool allow_changed = false;
  bool contract = false;  // upgrade: run contract revisions too
  bool dry_run = false;
  bool json = false;  // with --dry-run
  std::string lock_wait = "60s";
  std::string max_replica_lag;  // upgrade only; empty = not given
};

void add_move_options(CLI::App* cmd, MoveArgs& a, const char* target_help) {
  cmd->add_option("TARGET", a.target, target_help)->required();
  cmd->add_flag("--sql", a.sql,
                "Print the SQL script instead of running it (offline; FROM:TO ranges allowed, "
                "FROM may be several revisions A,B or `current`, read from the database; "
                "applied files are not checked)");
  cmd->add_flag("--allow-changed", a.allow_changed,
                "Run even if an applied revision's file changed since it was applied; warns "
                "once per file (a missing file is still refused: restore it, or reset the "
                "version table with `stamp --purge`)");
  auto* dry = cmd->add_flag(
      "--dry-run", a.dry_run,
      "Run each transactional step of the plan in its own transaction and roll it back, so a "
      "step does not see the changes of the steps before it: print each statement's rows "
      "affected and (PostgreSQL) the locks it took and the tables it rewrote; nothing is "
      "committed");
  cmd->add_flag("--json", a.json,
                "With --dry-run: print JSON; with --db/--all-databases: one JSON object per "
                "database");
  dry->excludes(cmd->get_option("--sql"));
  cmd->add_option("--lock-wait", a.lock_wait,
                  "How long to wait for another migrate run on the same database (e.g. 10s, 2min)")
      ->capture_default_str();
}

std::chrono::milliseconds lock_wait(const std::string& text) {
  return config::duration_option("--lock-wait", text);
}

// Whether an upgrade from `heads` to `target` that planned no step stopped
// because the heads are past the target (not "already at" it): upgrade
// never goes back.
bool upgrade_is_past(const graph::RevisionGraph& graph, const std::vector<std::string>& heads,
                     const std::string& target) {
  if (heads.empty()) return false;
  std::vector<std::string> wanted;
  try {
    if (target != "base") wanted = graph.resolve(target, heads);
  } catch (const std::exception&) {
    return false;  // planning succeeded; keep the plain answer
  }
  bool past = wanted.empty();
  for (const auto& id : wanted)
    past = past || std::find(heads.begin(), heads.end(), id) == heads.end();
  return past;
}

// Why an upgrade or downgrade ran nothing.
std::string nothing_to_do(Context& ctx, db::Database& db, const MoveArgs& a, bool upgrade) {
  const std::string already = "Nothing to do: the database is already at " + a.target + ".\n";
  if (!upgrade) return already;
  const std::vector<std::string> heads = db.current_heads();
  if (!upgrade_is_past(ctx.scripts().graph(), heads, a.target)) return already;
  return fmt::format(
      "Nothing to do: the database is past {} (it is at {}); upgrade never goes back. To go "
      "back to {}, run `migrate downgrade {}`.\n",
      a.target, util::join(heads, ", "), a.target, a.target);
}

// The same answer for an offline script with no step (stderr: stdout stays
// a valid, empty script, and exit 0 as Alembic's).
std::string offline_nothing_to_do(Context& ctx, const runner::OfflineWriter::Written& w,
                                  const std::string& range, bool upgrade) {
  const runner::Range r = runner::parse_range(range);
  const std::string from = w.from.empty() ? "<base>" : util::join(w.from, ", ");
  if (upgrade && upgrade_is_past(ctx.scripts().graph(), w.from, r.to))
    return fmt::format(
        "migrate: note: nothing to do: the range starts past {} (at {}), and upgrade never goes "
        "back; the script changes nothing. To go back to {}: `migrate downgrade {}:{} --sql`.\n",
        r.to, from, r.to, r.from ? *r.from : std::string("base"), r.to);
  return fmt::format(
      "migrate: note: nothing to do: the range starts at {}, already at {}; the script changes "
      "nothing.\n",
      from, r.to);
}

// `current` in an offline range: the database's version table, read when
// the range names it (runner::OfflineWriter::set_current).
void read_current_offline(Context& ctx, runner::OfflineWriter& writer) {
  writer.set_current([&ctx] {
    try {
      return ctx.open_database(/*create_if_missing=*/false)->current_heads();
    } catch (const std::exception& e) {
      throw Error(fmt::format(
          "'current' in an offline range reads the database's version table, and the database "
          "cannot be read: {}\nName the revisions instead (e.g. 'A,B:heads').",
          e.what()));
    }
  });
}

int move(Context& ctx, const MoveArgs& a, bool upgrade) {
  // Options are checked before anything is opened or created.
  if (a.json && !a.dry_run) throw UsageError("--json needs --dry-run (or --db/--all-databases)");
  const std::chrono::milliseconds wait = lock_wait(a.lock_wait);
  const auto& scripts = ctx.scripts();
  if (a.sql) {
    auto dialect = ctx.dialect();
    runner::OfflineWriter writer(*dialect, ctx.tables(), scripts, ctx.out);
    read_current_offline(ctx, writer);
    const auto written = upgrade ? writer.upgrade(a.target) : writer.downgrade(a.target);
    if (written.steps == 0) {
      ctx.out.flush();
      ctx.err << offline_nothing_to_do(ctx, written, a.target, upgrade);
    }
    return 0;
  }
  if (a.dry_run)
    return run_dry_run(ctx,
                       DryRunArgs{a.target, upgrade, a.json, a.allow_changed, a.contract, wait});
  if (a.target.find(':') != std::string::npos)
    throw UsageError(fmt::format(
        "a FROM:TO range ('{}') is only for --sql; online, the database says where it is",
        a.target));
  auto db = ctx.open_database(/*create_if_missing=*/true);
  if (reporting(ctx)) report(ctx, {{"from", db->current_heads()}, {"steps", 0}});
  // A live line on a terminal for a step that runs long (stderr, as the
  // backfill's); nothing otherwise.
  StepTicker ticker(ctx.err, &ctx.err == &std::cerr && isatty(2));
  runner::Runner runner(
      *db, scripts,
      [&ctx, &ticker](const runner::StepReport& r) {
        ticker.finished();
        // One string, one write: this runs after every step.
        std::string line = runner::describe_step(r);
        fmt::format_to(std::back_inserter(line), "  ({:.1f} ms)\n", r.duration_ms);
        ctx.out << line;
        ctx.out.flush();
        report(ctx, {{"step", 1}});
      },
      wait);
  runner::ChangedFiles changed;
  changed.allow = a.allow_changed;
  if (upgrade) {
    runner::BackfillSettings backfill;
    if (!a.max_replica_lag.empty()) {
      backfill.options.max_replica_lag =
          config::duration_option("--max-replica-lag", a.max_replica_lag);
    }
    // Progress goes to stderr: stdout keeps one line per step.
    backfill.events = backfill_events(ctx.err, &ctx.err == &std::cerr && isatty(2));
    runner.set_backfill(std::move(backfill));
  }
  changed.warn = [&ctx](const std::string& line) {
    ctx.out.flush();
    ctx.err << "migrate: warning: " << line << "\n";
  };
  runner.set_changed_files(std::move(changed));
  runner.set_allow_contracts(a.contract);
  runner.set_on_start([&ticker, &scripts](const runner::StepReport& r) {
    // A backfill draws its own live line (backfill_progress.h).
    if (r.step.upgrade && scripts.file(r.step.revision).backfill) return ticker.finished();
    ticker.started(runner::describe_step(r));
  });
  if (upgrade) runner.set_upgrade_check(make_upgrade_gate(ctx));
  auto done = upgrade ? runner.upgrade(a.target) : runner.downgrade(a.target);
  if (reporting(ctx)) report(ctx, {{"to", db->current_heads()}});
  for (const auto& id : runner.waiting_contracts())
    ctx.out << fmt::format(
        "Stopped before contract {} ({}): it drops what the old application still uses. Once "
        "no old instance runs: `migrate upgrade {}` or `migrate upgrade {} --contract`.\n",
        id, scripts.file(id).message, id, a.target);
  if (done.empty() && runner.waiting_contracts().empty())
    ctx.out << nothing_to_do(ctx, *db, a, upgrade);
  return 0;
}

}  // namespace

void add_migrate_commands(CLI::App& app, Context& ctx, Actions& actions) {
  auto up = std::make_shared<MoveArgs>();
  auto* upgrade = app.add_subcommand("upgrade", "Upgrade the database to a later revision");
  add_move_options(upgrade, *up,
                   "Target: heads, head, label@head, a revision id or prefix, +N, rev+N, ...");
  upgrade->add_flag("--contract", up->contract,
                    "Also run contract revisions (phase: contract) on the way to TARGET; without "
                    "it the upgrade stops before them (docs/zero-downtime.md)");
  upgrade->add_option("--max-replica-lag", up->max_replica_lag,
                      "PostgreSQL: before each step after the first, and between a backfill's "
                      "batches, wait while a standby is more than DURATION behind in replay "
                      "(pg_stat_replication), e.g. 10s");
  auto up_fan = add_fanout_options(upgrade, &up->json);
  up_fan->script = &up->sql;
  actions[upgrade] = fan_out(
      ctx, up_fan, [up] { return up->dry_run; }, [&ctx, up] { return move(ctx, *up, true); });

  auto down = std::make_shared<MoveArgs>();
  auto* downgrade = app.add_subcommand("downgrade", "Revert the database to an earlier revision");
  add_move_options(downgrade, *down, "Target: base, a revision id or prefix, -N, label@-N, ...");
  auto down_fan = add_fanout_options(downgrade, &down->json);
  down_fan->script = &down->sql;
  actions[downgrade] = fan_out(
      ctx, down_fan, [down] { return down->dry_run; },
      [&ctx, down] { return move(ctx, *down, false); });

  struct StampArgs {
    std::vector<std::string> targets;
    bool purge = false;
    bool sql = false;
    std::string lock_wait = "60s";
  };
  auto st = std::make_shared<StampArgs>();
  auto* stamp = app.add_subcommand(
      "stamp", "Set the version table to the given revision(s) without running any migration");
  stamp->add_option("TARGETS", st->targets, "Revision(s): heads, base, ids, label@head, ...")
      ->required();
  stamp->add_flag("--purge", st->purge,
                  "Empty the version table first (also when it holds unknown revisions)");
  stamp->add_flag("--sql", st->sql, "Print the SQL instead of running it");
  stamp
      ->add_option("--lock-wait", st->lock_wait,
                   "How long to wait for another migrate run on the same database (e.g. 10s)")
      ->capture_default_str();
  actions[stamp] = [&ctx, st] {
    const auto& scripts = ctx.scripts();
    if (st->sql) {
      // Offline: FROM:TO in the first target names where the table starts.
      std::vector<std::string> targets = st->targets;
      std::vector<std::string> from;
      auto dialect = ctx.dialect();
      runner::OfflineWriter writer(*dialect, ctx.tables(), scripts, ctx.out);
      read_current_offline(ctx, writer);
      runner::Range r = runner::parse_range(targets[0]);
      if (r.from) {
        if (!r.from->empty()) from = writer.from_heads(*r.from);
        targets[0] = r.to;
      }
      writer.stamp(targets, st->purge, from);
      return 0;
    }
    const std::chrono::milliseconds wait = lock_wait(st->lock_wait);
    auto db = ctx.open_database(true);
    if (reporting(ctx)) report(ctx, {{"from", db->current_heads()}});
    runner::Runner runner(*db, scripts, nullptr, wait);
    auto ops = runner.stamp(st->targets, st->purge);
    if (reporting(ctx)) report(ctx, {{"to", db->current_heads()}});
    for (const auto& op : ops) {
      switch (op.kind) {
        case graph::VersionOp::kInsert:
          ctx.out << "Stamped " << op.to << " (insert)\n";
          break;
        case graph::VersionOp::kUpdate:
          ctx.out << "Stamped " << op.from << " -> " << op.to << " (update)\n";
          break;
        case graph::VersionOp::kDelete:
          ctx.out << "Removed " << op.from << " (delete)\n";
          break;
      }
    }
    if (ops.empty() && runner.settled().empty())
      ctx.out << "Nothing to do: the version table already says that.\n";
    if (ops.empty() && !runner.settled().empty()) {
      const std::size_t n = runner.settled().size();
      ctx.out << fmt::format(
          "The version table already says that; settled {} failed step{} (a 'settle' row in the "
          "history table):\n",
          n, n == 1 ? "" : "s");
      for (const auto& f : runner.settled())
        ctx.out << "  " << f.direction << " " << f.revision << " at " << f.started_at << "\n";
    }
    return 0;
  };
  auto stamp_fan = add_fanout_options(stamp, nullptr);
  stamp_fan->script = &st->sql;
  actions[stamp] = fan_out(
      ctx, stamp_fan, [] { return false; }, std::move(actions[stamp]));
}

}  // namespace migrate::cli
