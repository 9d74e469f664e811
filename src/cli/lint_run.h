// The linter wired to a project: its dialect (from the configured URL's
// kind), its settings (migrate.yaml's `lint:` section), and the sources
// it reads (revision files' upgrade sections, plain .sql files). Used by
// `migrate lint` (cmd_lint.cpp) and the upgrade gate (lint_gate.cpp).
#pragma once

#include <string>
#include <vector>

#include "cli/context.h"
#include "db/database.h"
#include "lint/linter.h"
#include "lint/source.h"

namespace migrate::cli {

// The dialect of the configured database URL (no connection).
lint::Dialect lint_dialect(Context& ctx);

// A file named on the command line: a revision file's upgrade section, or
// (when it has no `-- migrate:upgrade` line) the whole file as SQL in a
// transactional step. Throws migrate::Error for an unreadable file or a bad
// revision header.
lint::Source source_of_file(const std::string& path);

// The upgrade section of revision `id` of the project.
lint::Source source_of_revision(Context& ctx, const std::string& id);

// The upgrade steps of a runner's plan (downgrade steps are skipped), with
// each revision's `phase:` from the project's files.
std::vector<lint::Source> sources_of_plan(Context& ctx, const std::vector<db::PlannedStep>& steps);

}  // namespace migrate::cli
