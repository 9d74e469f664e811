#include "backend/source.h"

#include <chrono>

#include "backend/backend.h"
#include "config/url.h"
#include "runner/runner.h"
#include "schema/rename_hints.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace migrate::backend {

namespace {

schema::InspectOptions inspect_options(const SourceContext& ctx) {
  schema::InspectOptions o;
  o.exclude_tables = {ctx.tables.version_table, ctx.tables.history_table};
  return o;
}

}  // namespace

SourceKind source_kind(const std::string& source) {
  if (util::starts_with(source, "rev:")) return SourceKind::kRevision;
  if (source.find("://") != std::string::npos || util::starts_with(source, "sqlite:") ||
      util::starts_with(source, "postgres"))
    return SourceKind::kDatabase;
  if (util::ends_with(util::to_lower(source), ".sql")) return SourceKind::kSchemaFile;
  throw UsageError("'" + describe_source(source) +
                   "' is not a schema source: give a database URL (sqlite:///app.db, "
                   "postgresql://...), a .sql schema file, or rev:TARGET (e.g. rev:heads)");
}

std::string describe_source(const std::string& source) {
  if (source.find("://") != std::string::npos) return config::redact_secrets(source);
  return source;
}

schema::Schema load_source(const std::string& source, const SourceContext& ctx) {
  switch (source_kind(source)) {
    case SourceKind::kDatabase:
      return inspect_database(source, ctx.base_dir, inspect_options(ctx));
    case SourceKind::kSchemaFile: {
      std::string text = util::read_file(source);
      auto dev = make_dev_database(ctx.database_url, ctx.dev_url, ctx.base_dir);
      dev->apply_sql(text, source);
      schema::Schema wanted = inspect_database(dev->url(), ctx.base_dir, inspect_options(ctx));
      schema::apply_rename_hints(wanted, schema::parse_rename_hints(text, wanted.dialect), source);
      return wanted;
    }
    case SourceKind::kRevision: {
      std::string target = source.substr(4);
      if (target.empty()) throw UsageError("rev: needs a target, e.g. rev:heads");
      if (!ctx.scripts) throw Error("rev:" + target + " needs the project's revisions");
      auto dev = make_dev_database(ctx.database_url, ctx.dev_url, ctx.base_dir);
      if (!ctx.scripts->graph().empty() && target != "base") {
        auto db = open_database(dev->url(), ctx.tables, ctx.base_dir, true);
        runner::Runner runner(*db, *ctx.scripts, nullptr, std::chrono::milliseconds(60000));
        runner.upgrade(target);
      }
      return inspect_database(dev->url(), ctx.base_dir, inspect_options(ctx));
    }
  }
  throw Error("unreachable");
}

}  // namespace migrate::backend
