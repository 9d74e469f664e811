#include "schema/postgres/pg_target.h"

#include <cstdlib>

#include "config/url.h"

namespace migrate::schema::postgres {

namespace {

// The URL's part, else the PG* variable libpq would use, else empty.
std::string part_or_env(const std::string& part, const char* var) {
  if (!part.empty()) return part;
  const char* v = std::getenv(var);
  return v ? v : "";
}

}  // namespace

db::postgres::ConnectTarget connect_target(const std::string& url) {
  config::DatabaseUrl parsed = config::parse_database_url(url);
  db::postgres::ConnectTarget t;
  t.conninfo = parsed.libpq_conninfo();
  t.describe = parsed.redacted();
  t.host = part_or_env(parsed.host, "PGHOST");
  t.port = part_or_env(parsed.port, "PGPORT");
  t.dbname = part_or_env(parsed.dbname, "PGDATABASE");
  t.user = part_or_env(parsed.user, "PGUSER");
  return t;
}

}  // namespace migrate::schema::postgres
