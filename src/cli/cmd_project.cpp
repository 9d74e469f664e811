// init, list-templates: the only commands that run without a migrate.yaml.
#include <filesystem>

#include "cli/commands.h"
#include "script/templates.h"

namespace migrate::cli {

void add_project_commands(CLI::App& app, Context& ctx, Actions& actions) {
  auto* init = app.add_subcommand("init",
                                  "Create a migration environment: DIR/script.sql.tmpl, "
                                  "DIR/versions/ and ./migrate.yaml");
  auto dir = std::make_shared<std::string>();
  auto tmpl = std::make_shared<std::string>("generic");
  init->add_option("DIR", *dir, "Directory for the migration scripts, e.g. 'migrations'")
      ->required();
  init->add_option("-t,--template", *tmpl, "Template to use (see list-templates)")
      ->capture_default_str();
  actions[init] = [&ctx, dir, tmpl] {
    std::string project = std::filesystem::current_path().string();
    auto result = script::init_project(project, *dir, *tmpl);
    ctx.out << "Created " << *dir << "/ from template '" << *tmpl << "'.\n";
    if (result.config_written)
      ctx.out << "Wrote " << result.config_file << ".\n";
    else
      ctx.out << result.config_file << " already exists; left unchanged.\n";
    ctx.out << "Edit migrate.yaml, then run 'migrate revision -m \"first revision\"'.\n";
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
