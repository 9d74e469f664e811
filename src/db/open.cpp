// open_database / dialect_for_url: the one place that maps a URL's scheme to
// a backend.
#include <cstdlib>
#include <memory>

#include "config/url.h"
#include "db/database.h"
#include "db/postgres/pg_database.h"
#include "db/postgres/pg_dialect.h"
#include "db/sqlite/sqlite_database.h"
#include "db/sqlite/sqlite_dialect.h"
#include "util/error.h"

namespace migrate::db {

namespace {

// The URL's part, else the PG* variable libpq would use, else empty.
std::string part_or_env(const std::string& part, const char* var) {
  if (!part.empty()) return part;
  const char* v = std::getenv(var);
  return v ? v : "";
}

std::unique_ptr<Database> open_postgres(const config::DatabaseUrl& parsed, const TableNames& tables,
                                        const SessionSettings& session) {
  postgres::OpenOptions options;
  // libpq gets the URL as is: every connection parameter and PG* variable
  // works as it does for psql.
  options.target.conninfo = parsed.libpq_conninfo();
  options.target.describe = parsed.redacted();
  options.target.host = part_or_env(parsed.host, "PGHOST");
  options.target.port = part_or_env(parsed.port, "PGPORT");
  options.target.dbname = part_or_env(parsed.dbname, "PGDATABASE");
  options.target.user = part_or_env(parsed.user, "PGUSER");
  options.tables = tables;
  options.session = session;
  return std::make_unique<postgres::PostgresDatabase>(std::move(options));
}

}  // namespace

std::unique_ptr<Database> open_database(const std::string& url, const TableNames& tables,
                                        const std::string& base_dir, bool create_if_missing,
                                        const SessionSettings& session) {
  config::DatabaseUrl parsed = config::parse_database_url(url, base_dir);
  if (parsed.kind == config::DatabaseUrl::kPostgres) return open_postgres(parsed, tables, session);
  // SQLite has no lock_timeout or statement_timeout, and a file needs no
  // waiting for: `session` does not apply.
  sqlite::OpenOptions options;
  options.path = parsed.sqlite_path;
  options.describe = parsed.redacted();
  options.tables = tables;
  options.create_if_missing = create_if_missing;
  return std::make_unique<sqlite::SqliteDatabase>(std::move(options));
}

std::unique_ptr<Dialect> dialect_for_url(const std::string& url, const SessionSettings& session) {
  config::DatabaseUrl parsed = config::parse_database_url(url);
  if (parsed.kind == config::DatabaseUrl::kPostgres)
    return std::make_unique<postgres::PostgresDialect>(session);
  return std::make_unique<sqlite::SqliteDialect>();
}

}  // namespace migrate::db
