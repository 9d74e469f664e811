// Project templates (templates/<name>/): what `migrate init` copies.
#pragma once

#include <string>
#include <vector>

namespace migrate::script {

// The folder holding the template folders: $MIGRATE_TEMPLATES, else the
// installed share/migrate/templates, else the source tree's templates/.
std::string templates_root();

struct TemplateInfo {
  std::string name;
  std::string description;  // first line of the template's README
};
std::vector<TemplateInfo> list_templates();

// `migrate init [--template NAME] DIR`, run in `project_dir`: creates DIR
// with script.sql.tmpl and versions/, and migrate.yaml in project_dir
// (unless one exists). Refuses a non-empty DIR.
void init_project(const std::string& project_dir, const std::string& script_dir,
                  const std::string& template_name);

}  // namespace migrate::script
