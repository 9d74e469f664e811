// The PostgreSQL module (migrate_postgres.so): the PostgreSQL backend's
// connectors, built as a shared object that the program dlopen()s on the
// first call of postgres_connectors(), which only a postgresql:// URL makes.
// So libpq, and the ~20 libraries behind it, are loaded by PostgreSQL
// commands only (tests/e2e/cli_startup_test.cpp checks it).
//
// The module is built with the program and resolves its references to the
// core (migrate::Error, the model, the dialect, ...) against the program
// that loads it (CMakeLists.txt: migrate_host), so there is one copy of each.
//
// Where it is looked for, first found wins:
//   1. $MIGRATE_POSTGRES_MODULE, when set (an explicit choice: no fallback);
//   2. beside the executable (the build tree's `migrate`);
//   3. <executable's dir>/../lib/migrate/ (an installed `migrate`, any prefix);
//   4. the build tree, for a program inside it (the test executables);
//   5. <install prefix>/lib/migrate/ (CMAKE_INSTALL_PREFIX).
#pragma once

#include "backend/backend.h"

namespace migrate::backend {

// What the module's entry point returns. `version` comes first and is
// compared with the program's before anything else is read.
struct PostgresModule {
  const char* version;  // MIGRATE_VERSION of the module's build
  Connectors connectors;
};

// Loads the module once (thread-safe) and returns its connectors. Throws
// migrate::Error saying where it looked when it is missing, dlopen's reason
// when it cannot be loaded (libpq5 or libpqxx missing), and both versions
// when it is from another build of migrate.
const Connectors& postgres_connectors();

}  // namespace migrate::backend

// The module's one entry point (src/backend/postgres_module_entry.cpp).
extern "C" const migrate::backend::PostgresModule* migrate_postgres_module();
