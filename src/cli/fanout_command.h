// --db NAME / --all-databases on a command: the command runs once per chosen
// database, each run a child `migrate` process given the same command line
// (without the fan-out options) and the database's name (fanout/jobs.h).
// Without them, the command runs as ever on database_url (or --url).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/context.h"

namespace migrate::cli {

struct FanoutArgs {
  std::vector<std::string> dbs;  // --db, repeatable, wildcards
  bool all = false;              // --all-databases
  std::size_t jobs = 4;          // --jobs
  bool keep_going = false;       // --keep-going
  std::string canary;            // --canary NAME|N
  bool own_json = false;         // --json, where the command had none
  const bool* json = nullptr;    // the --json in effect (own_json or the command's)
  // The command's --sql, where it has one: it writes one script, so it runs
  // here, unprefixed, on exactly one chosen database.
  const bool* script = nullptr;
  bool chosen() const { return all || !dbs.empty(); }
};

// Adds --db, --all-databases, --jobs, --keep-going, --canary to `cmd`, and
// --json unless `command_json` (the command's own --json flag) is given.
std::shared_ptr<FanoutArgs> add_fanout_options(CLI::App* cmd, const bool* command_json);

// `single` as it is without --db/--all-databases; with them, run on each
// chosen database. `child_json`: whether a target's run is given --json too
// (the command prints its own JSON, kept as the target's "output"); when
// false, the fan-out's --json is only the parent's.
Action fan_out(Context& ctx, std::shared_ptr<FanoutArgs> args, std::function<bool()> child_json,
               Action single);

}  // namespace migrate::cli
