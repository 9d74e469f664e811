// make_dev_database: the dialect comes from the configured database's URL
// (a dev database must be of the same kind as the database it stands in for).
#include "schema/dev_database.h"

#include "config/url.h"
#include "schema/sqlite/sqlite_schema.h"
#include "util/error.h"

namespace migrate::schema {

namespace {

// PostgreSQL's dev database arrives with the PostgreSQL schema work
// (src/schema/postgres/): until make_postgres_dev_database is implemented
// there, this dispatch says so instead of failing to link. NOTE to the
// PostgreSQL engineer: replace this body with a call to
// make_postgres_dev_database(database_url, dev_url) from postgres_schema.h.
std::unique_ptr<DevDatabase> postgres_dev_database_not_yet(const std::string&, const std::string&) {
  throw Error("PostgreSQL schema diffs are not available yet");
}

}  // namespace

std::unique_ptr<DevDatabase> make_dev_database(const std::string& database_url,
                                               const std::string& dev_url,
                                               const std::string& base_dir) {
  const std::string& kind_url = dev_url.empty() ? database_url : dev_url;
  config::DatabaseUrl parsed = config::parse_database_url(kind_url, base_dir);
  if (parsed.kind == config::DatabaseUrl::kPostgres)
    return postgres_dev_database_not_yet(database_url, dev_url);
  return sqlite::make_sqlite_dev_database(dev_url, base_dir);
}

}  // namespace migrate::schema
