#include "script/templates.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "build_paths.h"
#include "script/revision_header.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace fs = std::filesystem;

namespace migrate::script {

namespace {

constexpr const char* kScriptTemplate = "script.sql.tmpl";
constexpr const char* kConfigTemplate = "migrate.yaml";

bool is_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

std::string executable_relative_root() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  return (exe.parent_path() / ".." / "share" / "migrate" / "templates").lexically_normal().string();
}

// Text of migrate.yaml for `script_location: DIR`: DIR is written so that
// YAML reads it back unchanged and ${...} expansion leaves it alone.
std::string script_location_value(const std::string& dir) {
  std::string escaped;
  for (char c : dir) {
    if (c == '$') escaped += '$';
    escaped += c;
  }
  return yaml_quote(escaped);
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

std::string template_names() {
  std::vector<std::string> names;
  for (const auto& t : list_templates()) names.push_back(t.name);
  return names.empty() ? "none" : util::join(names, ", ");
}

}  // namespace

std::string templates_root() {
  if (const char* env = std::getenv("MIGRATE_TEMPLATES"); env && *env) {
    // An explicit choice that is wrong should fail, not silently fall back.
    if (!is_dir(env))
      throw Error(std::string("$MIGRATE_TEMPLATES: ") + env + ": no such directory");
    return env;
  }
  std::vector<std::string> candidates;
#ifdef MIGRATE_INSTALL_TEMPLATES
  candidates.emplace_back(MIGRATE_INSTALL_TEMPLATES);
#endif
  candidates.push_back(executable_relative_root());
#ifdef MIGRATE_SOURCE_TEMPLATES
  candidates.emplace_back(MIGRATE_SOURCE_TEMPLATES);
#endif
  for (const auto& c : candidates) {
    if (!c.empty() && is_dir(c)) return c;
  }
  throw Error("no templates folder found (looked in: " + util::join(candidates, ", ") +
              "); set $MIGRATE_TEMPLATES");
}

std::vector<TemplateInfo> list_templates() {
  std::vector<TemplateInfo> out;
  const fs::path root = templates_root();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (!is_dir(entry.path()) || !fs::exists(entry.path() / kScriptTemplate)) continue;
    TemplateInfo info;
    info.name = entry.path().filename().string();
    try {
      std::string readme = util::read_file((entry.path() / "README").string());
      info.description = std::string(util::trim(readme.substr(0, readme.find('\n'))));
    } catch (const Error&) {
      // A template without README is still usable; it just has no description.
    }
    out.push_back(std::move(info));
  }
  std::sort(out.begin(), out.end(),
            [](const TemplateInfo& a, const TemplateInfo& b) { return a.name < b.name; });
  return out;
}

InitResult init_project(const std::string& project_dir, const std::string& script_dir,
                        const std::string& template_name, const std::string& config_file) {
  if (util::trim(script_dir).empty()) throw Error("init: the directory name is empty");
  const fs::path root = templates_root();
  const fs::path tmpl = root / template_name;
  if (template_name.empty() || template_name.find('/') != std::string::npos ||
      template_name[0] == '.' || !fs::exists(tmpl / kScriptTemplate)) {
    throw Error("unknown template '" + template_name + "' (available: " + template_names() + ")");
  }

  InitResult result;
  const fs::path project = fs::absolute(project_dir).lexically_normal();
  const fs::path target = (project / script_dir).lexically_normal();
  result.script_dir = target.string();
  const fs::path config_path =
      (project / (config_file.empty() ? std::string("migrate.yaml") : config_file))
          .lexically_normal();
  result.config_file = config_path.string();
  // Relative paths in the file are read from its folder.
  const fs::path config_dir = config_path.parent_path();
  const std::string location = config_dir == project || fs::path(script_dir).is_absolute()
                                   ? script_dir
                                   : target.lexically_relative(config_dir).string();
  if (is_dir(config_path)) throw Error(result.config_file + " is a directory");

  std::error_code ec;
  if (fs::exists(target, ec)) {
    if (!is_dir(target)) throw Error(result.script_dir + " exists and is not a directory");
    if (!fs::is_empty(target, ec)) {
      throw Error(result.script_dir +
                  " is not empty; `migrate init` needs a new or empty directory");
    }
  }

  // Read the whole template before creating anything, so that a broken
  // template leaves nothing half-made behind.
  const std::string script_tmpl = util::read_file((tmpl / kScriptTemplate).string());
  result.config_written = !fs::exists(result.config_file, ec);
  std::string config;
  if (result.config_written) {
    config = replace_all(util::read_file((tmpl / kConfigTemplate).string()), "${script_location}",
                         script_location_value(location));
  }

  // What this call creates, newest last, so that a failure part-way (a full
  // disk, a read-only folder) removes it again and a retry finds the
  // directory as it was.
  std::vector<fs::path> created;
  auto make_dirs = [&](const fs::path& dir) {
    std::vector<fs::path> made;
    for (fs::path p = dir; !p.empty() && !fs::exists(p, ec); p = p.parent_path())
      made.insert(made.begin(), p);
    created.insert(created.end(), made.begin(), made.end());
    fs::create_directories(dir, ec);
    if (ec) throw Error(dir.string() + ": cannot create: " + ec.message());
  };
  try {
    make_dirs(target / "versions");
    util::write_new_file((target / kScriptTemplate).string(), script_tmpl);
    created.push_back(target / kScriptTemplate);
    if (result.config_written) {
      make_dirs(config_dir);
      util::write_new_file(result.config_file, config);
    }
  } catch (...) {
    for (auto it = created.rbegin(); it != created.rend(); ++it) fs::remove(*it, ec);
    throw;
  }
  return result;
}

}  // namespace migrate::script
