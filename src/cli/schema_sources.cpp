#include "cli/schema_sources.h"

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

void print_warnings(Context& ctx, const schema::Diff& diff) {
  for (const auto& w : diff.warnings) ctx.err << "migrate: warning: " << w << "\n";
}

}  // namespace migrate::cli
