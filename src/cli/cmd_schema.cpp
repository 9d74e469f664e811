// check, diff: the schema-diff commands of the contract. The schema side
// (inspect, diff, render) is not built yet; until it is, these commands say
// so plainly and fail, rather than pretending to compare anything.
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
  auto* check = app.add_subcommand(
      "check", "Compare database, revisions and schema_file (not yet available)");
  check->allow_extras();
  actions[check] = []() -> int { not_yet("'migrate check'"); };
  auto* diff = app.add_subcommand("diff", "Print the SQL between two schemas (not yet available)");
  diff->allow_extras();
  actions[diff] = []() -> int { not_yet("'migrate diff'"); };
}

}  // namespace migrate::cli
