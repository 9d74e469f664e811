// The schema sources of a command (diff, check, revision --autogenerate),
// resolved against the project's configuration.
#pragma once

#include <string>

#include "backend/source.h"
#include "cli/context.h"
#include "schema/diff.h"

namespace migrate::cli {

// Config values for backend::load_source; `dev_url` overrides dev_url from
// the file when not empty. The script directory is loaded only when
// `with_revisions` (a rev: source), so a diff of two URLs needs no project.
backend::SourceContext source_context(Context& ctx, const std::string& dev_url,
                                      bool with_revisions);

// The configured schema_file, or an error saying to set it.
std::string required_schema_file(Context& ctx, const std::string& what);

// Prints each warning to `err` as "migrate: warning: ...".
void print_warnings(Context& ctx, const schema::Diff& diff);

}  // namespace migrate::cli
