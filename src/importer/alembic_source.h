// An Alembic project read by Alembic itself: helpers/alembic_export.py runs
// under Python (MIGRATE_PYTHON, else `python3` on PATH), loads the project's
// ScriptDirectory and runs each revision's upgrade() and downgrade() in
// Alembic's offline mode for the dialect, without the project's env.py.
#pragma once

#include <string>

#include "importer/imported.h"

namespace migrate::importer {

// `dialect` is "sqlite" or "postgresql". Throws migrate::Error when Python
// or Alembic is missing (saying how to get them), when the helper cannot be
// found, or when Alembic cannot read the project (its own message, with the
// file and line when it has them). Revisions come parents first.
ImportedProject read_alembic_project(const std::string& dir, const std::string& dialect);

// Where helpers/alembic_export.py is: $MIGRATE_HELPERS, the installed
// share/migrate/helpers, <executable's dir>/../share/migrate/helpers, the
// checkout's helpers/ (a build that was not installed).
std::string helper_path(const std::string& name);

}  // namespace migrate::importer
