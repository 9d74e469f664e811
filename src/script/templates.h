// Project templates (templates/<name>/): what `migrate init` copies.
//
// A template folder holds README (its first line is the description that
// `migrate list-templates` shows), script.sql.tmpl (copied into DIR) and
// migrate.yaml (written into the project folder, with `${script_location}`
// replaced by DIR; every other ${...} is left for load-time expansion).
#pragma once

#include <string>
#include <vector>

namespace migrate::script {

// The folder holding the template folders, the first that exists of:
// $MIGRATE_TEMPLATES, the installed share/migrate/templates
// (MIGRATE_INSTALL_TEMPLATES), <executable's dir>/../share/migrate/templates
// (a relocated install), the source tree's templates/ (a build that was not
// installed). Throws migrate::Error naming the places it looked.
std::string templates_root();

struct TemplateInfo {
  std::string name;
  std::string description;  // first line of the template's README
};
// Sorted by name.
std::vector<TemplateInfo> list_templates();

// What init_project did, for the command to report.
struct InitResult {
  std::string script_dir;       // absolute path of DIR
  std::string config_file;      // absolute path of migrate.yaml
  bool config_written = false;  // false: a migrate.yaml was there already and is kept
};

// `migrate init [--template NAME] DIR`, run in `project_dir`: creates DIR
// (relative to project_dir unless absolute) with script.sql.tmpl and
// versions/, and the configuration file (unless one exists): `config_file`
// (`-c`; relative to project_dir, its folder created if missing), else
// migrate.yaml in project_dir. Its script_location names DIR relative to the
// file's folder, as the file's paths are read. Refuses a non-empty DIR and
// an unknown template (listing the known ones).
InitResult init_project(const std::string& project_dir, const std::string& script_dir,
                        const std::string& template_name, const std::string& config_file = "");

}  // namespace migrate::script
