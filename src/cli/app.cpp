#include "cli/app.h"

#include <algorithm>
#include <csignal>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/stdout_check.h"
#include "config/url.h"
#include "util/error.h"

extern "C" char** environ;

namespace migrate::cli {

namespace {

// Every password on the command line and in the environment (DATABASE_URL,
// ...) is known before anything can print it: CLI11 quotes arguments in its
// errors, libpq quotes a URL's tokens (config/secrets.h).
void remember_secrets(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) config::remember_secrets_in(argv[i]);
  for (char** env = environ; env != nullptr && *env != nullptr; ++env) {
    config::remember_secrets_in(*env);
  }
}

// `--wait 30s` as `--wait=30s`. CLI11 cannot give a flag an optional value
// in a separate word (`--wait heads` must stay the flag and a target), so
// the word after a bare --wait is taken as its value exactly when it starts
// like a duration: with a digit.
std::vector<std::string> join_wait_values(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  for (std::size_t i = 1; i + 1 < args.size(); ++i) {
    if (args[i] == "--") break;
    if (args[i] == "--wait" && !args[i + 1].empty() && args[i + 1][0] >= '0' &&
        args[i + 1][0] <= '9') {
      args[i] += "=" + args[i + 1];
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    }
  }
  return args;
}

// The first word of the command line that is neither an option nor the
// value of a global option: the command the user meant. Empty when none.
std::string command_word(const CLI::App& app, const std::vector<std::string>& args) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") return i + 1 < args.size() ? args[i + 1] : "";
    if (a.empty() || a[0] != '-') return a;
    // A global option's value is the next word; `--url=X` and `-cX` carry it.
    const CLI::Option* opt = a.size() > 1 ? app.get_option_no_throw(a) : nullptr;
    if (opt != nullptr && opt->get_items_expected_min() > 0) ++i;
  }
  return "";
}

// CLI11's usage errors (which quote the arguments) with secrets hidden.
int exit_redacted(const CLI::App& app, const CLI::Error& e) {
  std::ostringstream out, err;
  int code = app.exit(e, out, err);
  std::cout << config::redact_secrets(out.str());
  std::cerr << config::redact_secrets(err.str());
  return code;
}

// Parses the command line and runs the command. `output_is_product` is
// set once the command is known (stdout_check.h).
int parse_and_run(int argc, char** argv, bool& output_is_product) {
  remember_secrets(argc, argv);
  Context ctx;
  CLI::App app{
      "migrate: versioned SQL migrations for PostgreSQL and SQLite, in the style of Alembic",
      "migrate"};
  app.set_version_flag("--version", std::string("migrate ") + MIGRATE_VERSION);
  app.require_subcommand(1);
  // Global options are accepted before or after the subcommand.
  app.fallthrough();
  app.add_option("-c,--config", ctx.options.config_file,
                 "Configuration file (default: $MIGRATE_CONFIG, else ./migrate.yaml)");
  app.add_option("--url", ctx.options.url,
                 "Database URL; overrides database_url from the config (a relative sqlite:/// "
                 "path is relative to the config file's folder, as in database_url)");
  // A bare --wait sets "true" (GlobalOptions::kWaitFlagAlone).
  app.add_flag("--wait", ctx.options.wait,
               "PostgreSQL: keep trying the first connection until the server accepts it, up "
               "to wait_timeout (default 60s); --wait DURATION (e.g. --wait 30s) sets the limit")
      ->option_text("[DURATION]");
  // Set by a run on many databases for each of its children
  // (cli/fanout_command.h); not for users, so not in --help.
  app.add_option("--as-database", ctx.options.as_database)->group("");
  app.add_option("--report-fd", ctx.options.report_fd)->group("");
  app.footer(
      "Exit codes: 0 done, 1 failed, 2 bad command line, 3 a check found the database not where it "
      "should be (with --db/--all-databases: 1 if any database failed, else 3 if any check "
      "found one, else 0). A command run for its output (--sql, --json, diff, history, ...) "
      "exits 1 when stdout refuses it (a full disk; a closed pipe, silently); upgrade, "
      "downgrade and stamp still finish when their progress cannot be printed.\nRun 'migrate "
      "COMMAND --help' for a command's options.");

  Actions actions;
  add_project_commands(app, ctx, actions);
  add_revision_commands(app, ctx, actions);
  add_migrate_commands(app, ctx, actions);
  add_inspect_commands(app, ctx, actions);
  add_schema_commands(app, ctx, actions);
  add_validate_command(app, ctx, actions);
  add_lint_command(app, ctx, actions);
  add_log_command(app, ctx, actions);
  add_picture_commands(app, ctx, actions);
  add_import_command(app, ctx, actions);
  // CLI11 lists a parent's options only in the parent's help; every
  // command's --help says which global options it also takes.
  for (CLI::App* sub : app.get_subcommands({})) {
    sub->footer(
        "Global options (before or after the command): -c,--config FILE, --url URL, "
        "--wait[=DURATION]; see 'migrate --help'.");
  }

  const std::vector<std::string> args = join_wait_values(argc, argv);
  ctx.options.argv = args;
  std::vector<const char*> arg_ptrs;
  for (const std::string& a : args) arg_ptrs.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(arg_ptrs.size()), arg_ptrs.data());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // No command at all: the list of commands, and a usage exit code.
    if (app.get_subcommands().empty() && app.remaining().empty() &&
        dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
      std::cout << app.help();
      return kExitUsage;
    }
    // CLI11 reports an unknown command as "a subcommand is required", or,
    // when a later word is a command name (`migrate upgrad heads`), as an
    // unexpected argument: name it in both cases.
    std::string word = command_word(app, args);
    if (app.get_subcommands().empty() && !app.remaining().empty()) word = app.remaining().front();
    const auto subs = app.get_subcommands({});
    if (!word.empty() && std::none_of(subs.begin(), subs.end(),
                                      [&](const CLI::App* s) { return s->check_name(word); })) {
      std::cerr << "migrate: error: unknown command '" << config::redact_secrets(word)
                << "'; run 'migrate --help' for the list\n";
      return kExitUsage;
    }
    exit_redacted(app, e);
    return kExitUsage;
  }

  try {
    for (const CLI::App* sub : app.get_subcommands()) {
      output_is_product = output_is_the_product(*sub);
      return actions.at(sub)();
    }
    return kExitUsage;
  } catch (const Error& e) {
    std::cout.flush();
    std::cerr << "migrate: " << (e.exit_code() == kExitCheck ? "" : "error: ")
              << config::redact_secrets(e.what()) << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    // Anything else is a bug or an environment failure (out of memory, a
    // library error we did not wrap): still a clear message and exit 1.
    std::cout.flush();
    std::cerr << "migrate: error: " << config::redact_secrets(e.what()) << "\n";
    return kExitFailed;
  }
}

}  // namespace

int run(int argc, char** argv) {
  // Output must never stop a migration: with `migrate upgrade head | head -1`
  // the reader goes away after one line, and SIGPIPE would kill the run
  // between two steps. Ignored, a write to the closed pipe fails (EPIPE);
  // std::cout then stops printing and the run finishes. Its exit code is
  // its own, unless the output was the product (`--sql`, `--json`, `diff`,
  // ...): then a failed write (a full disk, a closed pipe) exits 1.
  std::signal(SIGPIPE, SIG_IGN);
  // Past a file size limit (ulimit -f) a write fails with EFBIG instead of
  // killing the process, so a file being written is removed, not left half.
  std::signal(SIGXFSZ, SIG_IGN);
  StdoutCheck stdout_check;
  bool output_is_product = true;  // --help, --version, a usage error
  const int code = parse_and_run(argc, argv, output_is_product);
  return stdout_check.finish(code, output_is_product);
}

}  // namespace migrate::cli
