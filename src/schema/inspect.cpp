// inspect_database: the one place that maps a URL's scheme to an inspector.
#include "schema/inspect.h"

#include "config/url.h"
#include "schema/postgres/postgres_schema.h"
#include "schema/sqlite/sqlite_schema.h"

namespace migrate::schema {

Schema inspect_database(const std::string& url, const std::string& base_dir,
                        const InspectOptions& options) {
  config::DatabaseUrl parsed = config::parse_database_url(url, base_dir);
  if (parsed.kind == config::DatabaseUrl::kPostgres) return inspect_postgres(url, options);
  return sqlite::inspect_sqlite(parsed.sqlite_path, parsed.redacted(), options);
}

}  // namespace migrate::schema
