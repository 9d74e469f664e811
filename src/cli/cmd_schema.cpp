// check, diff: the schema-diff commands of the contract. The schema side
// (inspect, diff, render) is not built yet; until it is, these commands
// accept the contract's flags (so scripts and --help are already right) and
// fail with a plain message rather than pretending to compare anything.
#include "cli/commands.h"
#include "util/error.h"

namespace migrate::cli {

namespace {

[[noreturn]] void not_yet(const std::string& what) {
  throw Error(what +
              " is not available in this release: schema diffs (diff, check, revision "
              "--autogenerate) arrive with the schema-diff work");
}

}  // namespace

void add_schema_commands(CLI::App& app, Context&, Actions& actions) {
  struct DiffArgs {
    std::string from, to, dev_url;
    bool exit_code = false;
  };
  auto d = std::make_shared<DiffArgs>();
  auto* diff = app.add_subcommand(
      "diff", "Print the SQL that turns one schema into another (not in this release)");
  diff->add_option("--from", d->from, "Source: a database URL, a .sql file or rev:TARGET");
  diff->add_option("--to", d->to, "Target: a database URL, a .sql file or rev:TARGET");
  diff->add_option("--dev-url", d->dev_url, "Scratch database for .sql and rev: sources");
  diff->add_flag("--exit-code", d->exit_code, "Exit 3 when the schemas differ");
  actions[diff] = []() -> int { not_yet("'migrate diff'"); };

  auto* check =
      app.add_subcommand("check", "Exit 3 on drift or a due autogenerate (not in this release)");
  actions[check] = []() -> int { not_yet("'migrate check'"); };
}

}  // namespace migrate::cli
