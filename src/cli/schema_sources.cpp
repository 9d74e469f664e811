#include "cli/schema_sources.h"

#include "backend/backend.h"
#include "util/error.h"

namespace migrate::cli {

backend::SourceContext source_context(Context& ctx, const std::string& dev_url,
                                      bool with_revisions) {
  const auto& c = ctx.config();
  backend::SourceContext sc;
  sc.database_url = c.database_url;
  sc.dev_url = dev_url.empty() ? c.dev_url : dev_url;
  sc.base_dir = c.dir;
  sc.tables = ctx.tables();
  if (with_revisions) sc.scripts = &ctx.scripts();
  return sc;
}

std::string required_schema_file(Context& ctx, const std::string& what) {
  const auto& c = ctx.config();
  if (c.schema_file.empty())
    throw Error(what + " needs the desired schema: set schema_file in " + c.file +
                " (e.g. `schema_file: schema.sql`)");
  return c.schema_file;
}

void print_warnings(Context& ctx, const schema::Diff& diff) { print_warnings(ctx, diff.warnings); }

void print_warnings(Context& ctx, const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) ctx.err << "migrate: warning: " << w << "\n";
}

void add_schema_filter_options(CLI::App* cmd, schema::SchemaFilter& filter) {
  cmd->add_option("--schema", filter.only,
                  "PostgreSQL: compare only the objects of schema NAME (repeatable; SQLite "
                  "accepts only main)")
      ->option_text("NAME")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--exclude-schema", filter.exclude,
                  "PostgreSQL: compare every schema but NAME (repeatable; not with --schema)")
      ->option_text("NAME")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

void check_schema_filter(Context& ctx, const schema::SchemaFilter& filter,
                         const std::vector<const schema::Schema*>& sides) {
  print_warnings(ctx, schema::check_filter(filter, sides));
}

schema::Diff filtered_diff(Context& ctx, const schema::SchemaFilter& filter,
                           const schema::Schema& from, const schema::Schema& to,
                           schema::Schema* narrowed_from, schema::Schema* narrowed_to) {
  if (filter.empty()) {
    if (narrowed_from) *narrowed_from = from;
    if (narrowed_to) *narrowed_to = to;
    return backend::diff_schemas(from, to);
  }
  print_warnings(ctx, schema::boundary_warnings(filter, from, to));
  schema::Schema f = schema::filtered(filter, from), t = schema::filtered(filter, to);
  schema::Diff diff = backend::diff_schemas(f, t);
  if (narrowed_from) *narrowed_from = std::move(f);
  if (narrowed_to) *narrowed_to = std::move(t);
  return diff;
}

}  // namespace migrate::cli
