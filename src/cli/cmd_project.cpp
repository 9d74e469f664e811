// init, list-templates: the only commands that run without a migrate.yaml.
#include <cstdlib>
#include <filesystem>

#include "cli/commands.h"
#include "script/templates.h"

namespace migrate::cli {

void add_project_commands(CLI::App& app, Context& ctx, Actions& actions) {
  auto* init = app.add_subcommand("init",
                                  "Create a migration environment: DIR/script.sql.tmpl, "
                                  "DIR/versions/ and ./migrate.yaml (or the file -c names)");
  auto dir = std::make_shared<std::string>();
  auto tmpl = std::make_shared<std::string>("generic");
  init->add_option("DIR", *dir, "Directory for the migration scripts, e.g. 'migrations'")
      ->required();
  init->add_option("-t,--template", *tmpl, "Template to use (see list-templates)")
      ->capture_default_str();
  actions[init] = [&ctx, dir, tmpl] {
    namespace fs = std::filesystem;
    std::string project = fs::current_path().string();
    // -c names the file to write, as it names the file every later command
    // reads; $MIGRATE_CONFIG is only read (see below).
    const std::string& config = ctx.options.config_file;
    auto result = script::init_project(project, *dir, *tmpl, config);
    ctx.out << "Created " << *dir << "/ from template '" << *tmpl << "'.\n";
    if (result.config_written)
      ctx.out << "Wrote " << result.config_file << ".\n";
    else
      ctx.out << result.config_file << " already exists; left unchanged.\n";
    std::string c = config.empty() ? "" : "-c " + config + " ";
    ctx.out << "Edit " << (config.empty() ? "migrate.yaml" : config) << ", then run 'migrate " << c
            << "revision -m \"first revision\"'.\n";
    // Every command without -c reads $MIGRATE_CONFIG: said now, before the
    // next command writes into another project.
    const char* env = std::getenv("MIGRATE_CONFIG");
    std::error_code ec;
    if (env && *env && !fs::equivalent(env, result.config_file, ec))
      ctx.err << "migrate: warning: $MIGRATE_CONFIG is set to " << env
              << ", so commands without -c read that file, not " << result.config_file
              << "; unset it or point it at " << result.config_file << "\n";
    return 0;
  };

  auto* list = app.add_subcommand("list-templates", "List the templates 'init' can use");
  actions[list] = [&ctx] {
    ctx.out << "Available templates:\n\n";
    for (const auto& t : script::list_templates())
      ctx.out << "  " << t.name << " - " << t.description << "\n";
    ctx.out << "\nUse them with 'migrate init --template NAME DIR'.\n";
    return 0;
  };
}

}  // namespace migrate::cli
