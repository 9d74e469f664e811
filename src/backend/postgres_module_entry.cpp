// The PostgreSQL module's entry point: the connectors of the PostgreSQL
// backend (backend/postgres_module.h). Compiled into migrate_postgres.so
// only, with the other files that need libpqxx (CMakeLists.txt).
#include <cstdlib>
#include <memory>

#include "backend/postgres_module.h"
#include "db/postgres/pg_database.h"
#include "schema/postgres/postgres_schema.h"

namespace migrate::backend {

namespace {

// The URL's part, else the PG* variable libpq would use, else empty.
std::string part_or_env(const std::string& part, const char* var) {
  if (!part.empty()) return part;
  const char* v = std::getenv(var);
  return v ? v : "";
}

std::unique_ptr<db::Database> open(const config::DatabaseUrl& url, const db::TableNames& tables,
                                   bool /*create_if_missing*/, const db::SessionSettings& session) {
  db::postgres::OpenOptions options;
  // libpq gets the URL as is: every connection parameter and PG* variable
  // works as it does for psql.
  options.target.conninfo = url.libpq_conninfo();
  options.target.describe = url.redacted();
  options.target.host = part_or_env(url.host, "PGHOST");
  options.target.port = part_or_env(url.port, "PGPORT");
  options.target.dbname = part_or_env(url.dbname, "PGDATABASE");
  options.target.user = part_or_env(url.user, "PGUSER");
  options.tables = tables;
  options.session = session;
  return std::make_unique<db::postgres::PostgresDatabase>(std::move(options));
}

schema::Schema inspect(const config::DatabaseUrl& url, const schema::InspectOptions& options) {
  return schema::inspect_postgres(url.raw, options);
}

std::unique_ptr<schema::DevDatabase> dev_database(const std::string& database_url,
                                                  const std::string& dev_url,
                                                  const std::string& /*base_dir*/) {
  return schema::make_postgres_dev_database(database_url, dev_url);
}

const PostgresModule kModule = {MIGRATE_VERSION, {&open, &inspect, &dev_database}};

}  // namespace

}  // namespace migrate::backend

extern "C" const migrate::backend::PostgresModule* migrate_postgres_module() {
  return &migrate::backend::kModule;
}
