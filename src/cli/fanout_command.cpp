#include "cli/fanout_command.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>

#include "cli/count_option.h"
#include "config/databases.h"
#include "fanout/child.h"
#include "fanout/jobs.h"
#include "fanout/summary.h"
#include "util/error.h"
#include "util/strings.h"

namespace migrate::cli {

namespace {

// How many targets run at once when --jobs is not given: a few, so that a
// fleet is not all connecting and locking at the same moment by default.
constexpr std::size_t kDefaultJobs = 4;

bool is_count(const std::string& s) {
  return !s.empty() && s.size() <= 6 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// --canary NAME (a name or wildcard among the chosen databases) or N (the
// first N of them).
std::vector<std::string> canaries(const std::string& canary,
                                  const std::vector<std::string>& names) {
  if (canary.empty()) return {};
  std::vector<std::string> out;
  for (const auto& n : names)
    if (fnmatch(canary.c_str(), n.c_str(), 0) == 0) out.push_back(n);
  if (out.empty() && is_count(canary)) {
    const std::size_t n = std::stoul(canary);
    if (n == 0) throw UsageError("--canary 0 runs no canary; give a count of 1 or more, or a name");
    out.assign(names.begin(),
               names.begin() + static_cast<std::ptrdiff_t>(std::min(n, names.size())));
  }
  if (out.empty())
    throw UsageError(fmt::format("--canary '{}' names none of the chosen databases ({})", canary,
                                 util::join(names, ", ")));
  return out;
}

// One target's command line: this one without the fan-out options, naming
// the database (hidden --as-database) and the report pipe (--report-fd).
std::vector<std::string> child_argv(const std::vector<std::string>& argv, bool keep_json,
                                    const std::string& name) {
  std::vector<std::string> out = {argv.empty() ? "migrate" : argv[0], "--as-database", name,
                                  "--report-fd", std::to_string(fanout::kReportFd)};
  static const char* const kValued[] = {"--db", "--jobs", "--canary"};
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--") {
      out.insert(out.end(), argv.begin() + static_cast<std::ptrdiff_t>(i), argv.end());
      break;
    }
    bool drop = a == "--all-databases" || a == "--keep-going" || (a == "--json" && !keep_json);
    for (const char* opt : kValued) {
      if (a == opt) {
        drop = true;
        ++i;  // and its value
      } else if (util::starts_with(a, std::string(opt) + "=")) {
        drop = true;
      }
    }
    if (!drop) out.push_back(a);
  }
  return out;
}

}  // namespace

std::shared_ptr<FanoutArgs> add_fanout_options(CLI::App* cmd, const bool* command_json) {
  auto f = std::make_shared<FanoutArgs>();
  cmd->add_option("--db", f->dbs,
                  "Run on the database NAME of `databases:` in the config (repeatable; shell "
                  "wildcards: --db 'tenant_*'); see docs/many-databases.md")
      ->option_text("NAME")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_flag("--all-databases", f->all, "Run on every database of `databases:` in the config");
  cmd->add_option("--jobs", f->jobs,
                  fmt::format("With --db/--all-databases: how many databases at once (default {})",
                              kDefaultJobs))
      ->option_text("N")
      ->check(count_validator("--jobs"));
  cmd->add_flag("--keep-going", f->keep_going,
                "With --db/--all-databases: start the other databases after one failed");
  cmd->add_option("--canary", f->canary,
                  "With --db/--all-databases: run the database NAME (or the first N) first, alone, "
                  "and stop if it fails")
      ->option_text("NAME|N");
  if (command_json == nullptr) {
    cmd->add_flag("--json", f->own_json,
                  "With --db/--all-databases: print one JSON object per database");
    f->json = &f->own_json;
  } else {
    f->json = command_json;
  }
  f->jobs = 0;  // not given
  return f;
}

Action fan_out(Context& ctx, std::shared_ptr<FanoutArgs> args, std::function<bool()> child_json,
               Action single) {
  return [&ctx, args, child_json = std::move(child_json), single = std::move(single)] {
    if (!args->chosen()) {
      if (args->own_json) throw UsageError("--json here needs --db or --all-databases");
      if (args->keep_going || !args->canary.empty() || args->jobs != 0)
        throw UsageError("--jobs, --keep-going and --canary need --db or --all-databases");
      return single();
    }
    if (!ctx.options.url.empty())
      throw UsageError(
          "--url names one database, --db and --all-databases choose among `databases:`; give "
          "one or the other");
    const auto& cfg = ctx.config();
    std::vector<std::string> names;
    for (const auto& db : config::select_databases(cfg.databases, args->dbs, args->all)) {
      config::find_database(cfg.databases, db.name);  // an empty URL stops the run here
      names.push_back(db.name);
    }
    if (args->script != nullptr && *args->script) {
      if (names.size() != 1)
        throw UsageError(fmt::format(
            "--sql writes one script for one database, and --db/--all-databases chose {} ({}); "
            "give one --db NAME, or write one script per database (for d in {}; do migrate ... "
            "--sql --db \"$d\" > \"$d.sql\"; done)",
            names.size(), util::join(names, ", "), util::join(names, " ")));
      if (args->keep_going || !args->canary.empty() || args->jobs != 0 || *args->json)
        throw UsageError("--jobs, --keep-going, --canary and --json do not apply to --sql");
      ctx.use_named_database(names[0]);
      return single();
    }
    fanout::JobOptions o;
    o.program = "/proc/self/exe";
    const bool keep_json = child_json();
    const std::vector<std::string> argv = ctx.options.argv;
    o.argv_for = [argv, keep_json](const std::string& name) {
      return child_argv(argv, keep_json, name);
    };
    o.jobs = args->jobs == 0 ? kDefaultJobs : args->jobs;
    o.keep_going = args->keep_going;
    o.canaries = canaries(args->canary, names);
    o.capture_stdout = *args->json;
    o.out = &ctx.out;
    o.err = &ctx.err;
    std::vector<fanout::Outcome> outcomes = fanout::run_jobs(names, o);
    if (*args->json) {
      ctx.out << fanout::outcomes_json(outcomes).dump(2, ' ', false,
                                                      nlohmann::json::error_handler_t::replace)
              << "\n";
    } else {
      ctx.out << "\n" << fanout::summary_table(outcomes);
    }
    ctx.out.flush();
    return fanout::exit_code(outcomes);
  };
}

}  // namespace migrate::cli
