// make_dev_database: the dialect comes from the configured database's URL
// (a dev database must be of the same kind as the database it stands in for).
#include "schema/dev_database.h"

#include "config/url.h"
#include "schema/postgres/postgres_schema.h"
#include "schema/sqlite/sqlite_schema.h"
#include "util/error.h"

namespace migrate::schema {

std::unique_ptr<DevDatabase> make_dev_database(const std::string& database_url,
                                               const std::string& dev_url,
                                               const std::string& base_dir) {
  const std::string& kind_url = dev_url.empty() ? database_url : dev_url;
  config::DatabaseUrl parsed = config::parse_database_url(kind_url, base_dir);
  if (parsed.kind == config::DatabaseUrl::kPostgres)
    return make_postgres_dev_database(database_url, dev_url);
  return sqlite::make_sqlite_dev_database(dev_url, base_dir);
}

}  // namespace migrate::schema
