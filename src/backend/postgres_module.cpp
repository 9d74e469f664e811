#include "backend/postgres_module.h"

#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <string>
#include <vector>

#include "util/error.h"
#include "util/strings.h"

namespace migrate::backend {

namespace {

constexpr const char* kFileName = "migrate_postgres.so";
constexpr const char* kEnvVar = "MIGRATE_POSTGRES_MODULE";
constexpr const char* kPackages = "PostgreSQL needs the libpq5 and libpqxx-6.4 packages";

std::string executable_dir() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string exe(buf, static_cast<std::size_t>(n));
  return exe.substr(0, exe.rfind('/'));
}

// The places of postgres_module.h, in order (the variable aside).
std::vector<std::string> candidates() {
  std::vector<std::string> out;
  const std::string dir = executable_dir();
  if (!dir.empty()) {
    out.push_back(dir + "/" + kFileName);
    out.push_back(dir.substr(0, dir.rfind('/')) + "/lib/migrate/" + kFileName);
  }
#ifdef MIGRATE_BUILD_DIR
  // Only for the build tree's own programs: an installed migrate must not
  // pick up a module from a build tree that has moved on since.
  const std::string build = MIGRATE_BUILD_DIR;
  if (!dir.empty() && (dir == build || util::starts_with(dir, build + "/")))
    out.push_back(build + "/" + kFileName);
#endif
#ifdef MIGRATE_INSTALL_MODULE
  out.emplace_back(MIGRATE_INSTALL_MODULE);
#endif
  return out;
}

std::string find_module() {
  if (const char* env = std::getenv(kEnvVar); env && *env) return env;
  std::vector<std::string> looked = candidates();
  for (const auto& path : looked)
    if (::access(path.c_str(), R_OK) == 0) return path;
  throw Error(std::string("PostgreSQL URLs need the PostgreSQL module ") + kFileName +
              ", which is not installed (looked in: " + util::join(looked, ", ") +
              "); install migrate with `cmake --install`, or set " + kEnvVar +
              " to the module's path");
}

const Connectors& load() {
  const std::string path = find_module();
  // RTLD_NOW: a missing library or symbol fails here, with dlerror's text,
  // rather than at some later call. The module is never unloaded: objects it
  // made may live until exit.
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    // dlerror names the module when it is the file that failed, else only
    // the library behind it that is missing.
    std::string why = ::dlerror();
    if (why.find(path) == std::string::npos) why = path + ": " + why;
    throw Error("cannot load the PostgreSQL module: " + why + " (" + kPackages + ")");
  }
  using Entry = const PostgresModule* (*)();
  auto entry = reinterpret_cast<Entry>(::dlsym(handle, "migrate_postgres_module"));
  if (!entry) throw Error(path + " is not migrate's PostgreSQL module: " + ::dlerror());
  const PostgresModule* module = entry();
  if (std::string(module->version) != MIGRATE_VERSION)
    throw Error(path + " is from migrate " + module->version + ", this is migrate " +
                MIGRATE_VERSION + ": install both from the same build");
  return module->connectors;
}

}  // namespace

const Connectors& postgres_connectors() {
  // A function-local static: loaded once, also when inspection's threads
  // get here together; a failure is thrown again on the next call.
  static const Connectors& connectors = load();
  return connectors;
}

}  // namespace migrate::backend
