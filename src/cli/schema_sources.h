// The schema sources of a command (diff, check, revision --autogenerate),
// resolved against the project's configuration.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "backend/source.h"
#include "cli/context.h"
#include "schema/diff.h"
#include "schema/schema_filter.h"

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
void print_warnings(Context& ctx, const std::vector<std::string>& warnings);

// The help of --privileges (diff, check, revision --autogenerate).
constexpr const char* kPrivilegesHelp =
    "PostgreSQL: compare owners and privileges too (GRANT/REVOKE, OWNER TO on tables, views, "
    "sequences, functions, procedures, schemas, types and columns)";

// --schema NAME and --exclude-schema NAME (each repeatable) on `cmd`.
void add_schema_filter_options(CLI::App* cmd, schema::SchemaFilter& filter);

// Checks `filter` against every schema a command compares (throws for one
// it cannot take) and prints its warnings.
void check_schema_filter(Context& ctx, const schema::SchemaFilter& filter,
                         const std::vector<const schema::Schema*>& sides);

// The diff `from` -> `to` (both whole) under `filter`: the warnings about
// references across its boundary are printed first; `narrowed_from` and
// `narrowed_to`, when given, receive the filtered sides (copies: pass them
// only when needed).
schema::Diff filtered_diff(Context& ctx, const schema::SchemaFilter& filter,
                           const schema::Schema& from, const schema::Schema& to,
                           schema::Schema* narrowed_from = nullptr,
                           schema::Schema* narrowed_to = nullptr);

}  // namespace migrate::cli
