// open_database / dialect_for_url: the one place that maps a URL's scheme to
// a backend.
#include <memory>

#include "config/url.h"
#include "db/database.h"
#include "db/sqlite/sqlite_database.h"
#include "db/sqlite/sqlite_dialect.h"
#include "util/error.h"

namespace migrate::db {

namespace {

[[noreturn]] void no_postgres() { throw Error("PostgreSQL support is not built yet"); }

}  // namespace

std::unique_ptr<Database> open_database(const std::string& url, const TableNames& tables,
                                        const std::string& base_dir, bool create_if_missing) {
  config::DatabaseUrl parsed = config::parse_database_url(url, base_dir);
  if (parsed.kind != config::DatabaseUrl::kSqlite) no_postgres();
  sqlite::OpenOptions options;
  options.path = parsed.sqlite_path;
  options.describe = parsed.redacted();
  options.tables = tables;
  options.create_if_missing = create_if_missing;
  return std::make_unique<sqlite::SqliteDatabase>(std::move(options));
}

std::unique_ptr<Dialect> dialect_for_url(const std::string& url) {
  config::DatabaseUrl parsed = config::parse_database_url(url);
  if (parsed.kind != config::DatabaseUrl::kSqlite) no_postgres();
  return std::make_unique<sqlite::SqliteDialect>();
}

}  // namespace migrate::db
