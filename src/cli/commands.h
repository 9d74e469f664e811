// Each command family registers its subcommands here. A command's action runs
// after the whole command line has parsed, and returns its exit code (or
// throws migrate::Error, which app.cpp maps to one).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <map>

#include "cli/context.h"

namespace migrate::cli {

using Action = std::function<int()>;
using Actions = std::map<const CLI::App*, Action>;

void add_project_commands(CLI::App& app, Context& ctx, Actions& actions);   // init, list-templates
void add_revision_commands(CLI::App& app, Context& ctx, Actions& actions);  // revision, merge
void add_migrate_commands(CLI::App& app, Context& ctx,
                          Actions& actions);  // upgrade, downgrade, stamp
void add_inspect_commands(CLI::App& app, Context& ctx,
                          Actions& actions);  // current, heads, history, branches, show, status
void add_schema_commands(CLI::App& app, Context& ctx, Actions& actions);  // check, diff
void add_validate_command(CLI::App& app, Context& ctx,
                          Actions& actions);                           // validate
void add_lint_command(CLI::App& app, Context& ctx, Actions& actions);  // lint
void add_log_command(CLI::App& app, Context& ctx, Actions& actions);   // log
void add_picture_commands(CLI::App& app, Context& ctx,
                          Actions& actions);                             // graph, erd
void add_import_command(CLI::App& app, Context& ctx, Actions& actions);  // import

}  // namespace migrate::cli
