#include "importer/alembic_source.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "build_paths.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace fs = std::filesystem;

namespace migrate::importer {

namespace {

// The helper's exit code when `import alembic` fails (Alembic or SQLAlchemy
// cannot be imported by that Python).
constexpr int kNoAlembic = 3;

// The Pythons to try, in order: $MIGRATE_PYTHON alone when set; else
// `python3` on PATH (an activated virtualenv's, which has the project's
// Alembic and imports) and then /usr/bin/python3 (Debian's, with
// python3-alembic).
std::vector<std::string> pythons() {
  if (const char* env = std::getenv("MIGRATE_PYTHON"); env && *env) {
    std::string found = util::find_program(env);
    if (found.empty()) throw Error(std::string("$MIGRATE_PYTHON: ") + env + ": no such program");
    return {found};
  }
  std::vector<std::string> out;
  for (const char* name : {"python3", "/usr/bin/python3"}) {
    std::string found = util::find_program(name);
    if (!found.empty() && std::find(out.begin(), out.end(), found) == out.end())
      out.push_back(found);
  }
  if (out.empty())
    throw Error(
        "import alembic needs Python 3 with Alembic, and there is no python3 on PATH: install "
        "them (Debian/Ubuntu: apt-get install python3-alembic), or set MIGRATE_PYTHON to the "
        "Python of the project's virtualenv");
  return out;
}

std::vector<std::string> strings(const nlohmann::json& j) {
  std::vector<std::string> out;
  for (const auto& v : j) out.push_back(v.get<std::string>());
  return out;
}

ImportedSection section(const nlohmann::json& j) {
  ImportedSection s;
  s.sql = j.at("sql").get<std::string>();
  s.problem = j.at("problem").get<std::string>();
  s.line = j.at("line").get<int>();
  s.source = j.at("source").get<std::string>();
  return s;
}

}  // namespace

std::string helper_path(const std::string& name) {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("MIGRATE_HELPERS"); env && *env) candidates.emplace_back(env);
  candidates.emplace_back(MIGRATE_INSTALL_HELPERS);
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec)
    candidates.push_back(
        (exe.parent_path() / ".." / "share" / "migrate" / "helpers").lexically_normal().string());
  candidates.emplace_back(MIGRATE_SOURCE_HELPERS);
  std::string looked;
  for (const auto& dir : candidates) {
    std::string path = dir + "/" + name;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) return path;
    looked += (looked.empty() ? "" : ", ") + dir;
  }
  throw Error("cannot find migrate's helper " + name + " (looked in " + looked +
              "); is migrate installed whole (cmake --install)?");
}

ImportedProject read_alembic_project(const std::string& dir, const std::string& dialect) {
  std::string helper = helper_path("alembic_export.py");
  util::ProgramResult r;
  std::string tried;
  for (const std::string& python : pythons()) {
    r = util::run_program({python, helper, dir, "--dialect", dialect});
    if (!r.exited || r.code != kNoAlembic) break;
    tried += (tried.empty() ? "" : "; ") + python + ": " + r.err;
  }
  if (r.exited && r.code == kNoAlembic)
    throw Error("import alembic needs Alembic, which no Python here can import (" + tried +
                "): install it (Debian/Ubuntu: apt-get install python3-alembic; or pip install "
                "alembic in the project's virtualenv and set MIGRATE_PYTHON to its python)");
  if (!r.exited || r.code != 0)
    throw Error(dir + ": " +
                (r.err.empty() ? "the Alembic reader failed (" + r.status_text() + ")" : r.err));
  ImportedProject p;
  p.tool = "alembic";
  p.source = dir;
  try {
    nlohmann::json j = nlohmann::json::parse(r.out);
    for (const auto& rev : j.at("revisions")) {
      ImportedRevision ir;
      ir.id = rev.at("revision").get<std::string>();
      ir.down_revisions = strings(rev.at("down_revisions"));
      ir.branch_labels = strings(rev.at("branch_labels"));
      ir.depends_on = strings(rev.at("depends_on"));
      ir.message = rev.at("message").get<std::string>();
      ir.created = rev.at("created").get<std::string>();
      ir.origin = rev.at("path").get<std::string>();
      ir.upgrade = section(rev.at("upgrade"));
      ir.downgrade = section(rev.at("downgrade"));
      if (rev.at("upgrade").at("autocommit").get<bool>() ||
          rev.at("downgrade").at("autocommit").get<bool>()) {
        ir.transactional = false;
        ir.notes.push_back(
            "uses autocommit_block(): written with `transactional: false` (each statement "
            "commits on its own)");
      }
      p.revisions.push_back(std::move(ir));
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error(helper + " gave output migrate cannot read (" + e.what() + ")");
  }
  return p;
}

}  // namespace migrate::importer
