// The two entries of the registry, and the ways in that pick one by URL or by
// a schema's kind.
#include "backend/backend.h"

#include <memory>
#include <string>

#include "backend/postgres_module.h"
#include "db/postgres/pg_dialect.h"
#include "db/sqlite/sqlite_database.h"
#include "db/sqlite/sqlite_dialect.h"
#include "schema/postgres/pg_autogen.h"
#include "schema/postgres/pg_render.h"
#include "schema/postgres/postgres_schema.h"
#include "schema/rename_warnings.h"
#include "schema/sqlite/sqlite_render.h"
#include "schema/sqlite/sqlite_schema.h"
#include "util/error.h"

namespace migrate::backend {

namespace {

using config::DatabaseUrl;

// --- SQLite: all in the core ---

std::unique_ptr<db::Database> open_sqlite(const DatabaseUrl& url, const db::TableNames& tables,
                                          bool create_if_missing,
                                          const db::SessionSettings& /*session*/) {
  // SQLite has no lock_timeout or statement_timeout, and a file needs no
  // waiting for: `session` does not apply.
  db::sqlite::OpenOptions options;
  options.path = url.sqlite_path;
  options.describe = url.redacted();
  options.tables = tables;
  options.create_if_missing = create_if_missing;
  return std::make_unique<db::sqlite::SqliteDatabase>(std::move(options));
}

schema::Schema inspect_sqlite(const DatabaseUrl& url, const schema::InspectOptions& options) {
  return schema::sqlite::inspect_sqlite(url.sqlite_path, url.redacted(), options);
}

std::unique_ptr<schema::DevDatabase> sqlite_dev_database(const std::string& /*database_url*/,
                                                         const std::string& dev_url,
                                                         const std::string& base_dir) {
  return schema::sqlite::make_sqlite_dev_database(dev_url, base_dir);
}

const Connectors& sqlite_connectors() {
  static const Connectors connectors = {&open_sqlite, &inspect_sqlite, &sqlite_dev_database};
  return connectors;
}

std::unique_ptr<db::Dialect> sqlite_dialect(const db::SessionSettings& /*session*/) {
  return std::make_unique<db::sqlite::SqliteDialect>();
}

// --- PostgreSQL: dialect and differ in the core, connectors in the module ---

std::unique_ptr<db::Dialect> postgres_dialect(const db::SessionSettings& session) {
  return std::make_unique<db::postgres::PostgresDialect>(session);
}

// SQLite has no CONCURRENTLY or NOT VALID: the diff as it is, in one step.
schema::AutogenPlan sqlite_autogen_plan(const schema::Diff& up, const schema::Schema& /*from*/) {
  return schema::one_step_plan(up);
}

const Backend kSqlite = {
    DatabaseUrl::kSqlite,      "sqlite",
    &sqlite_dialect,           &schema::sqlite::diff_sqlite,
    &schema::sqlite::renderer, &sqlite_autogen_plan,
    &sqlite_connectors,
};
const Backend kPostgres = {
    DatabaseUrl::kPostgres,      "postgresql",
    &postgres_dialect,           &schema::diff_postgres,
    &schema::postgres::renderer, &schema::postgres::autogen_plan,
    &postgres_connectors,
};

}  // namespace

const Backend& backend_for(DatabaseUrl::Kind kind) {
  // A switch, so that a new kind without an entry is a compiler warning.
  switch (kind) {
    case DatabaseUrl::kSqlite:
      return kSqlite;
    case DatabaseUrl::kPostgres:
      return kPostgres;
  }
  throw Error("no backend for database kind " + std::to_string(static_cast<int>(kind)));
}

std::unique_ptr<db::Database> open_database(const std::string& url, const db::TableNames& tables,
                                            const std::string& base_dir, bool create_if_missing,
                                            const db::SessionSettings& session) {
  DatabaseUrl parsed = config::parse_database_url(url, base_dir);
  return backend_for(parsed.kind).connectors().open(parsed, tables, create_if_missing, session);
}

std::unique_ptr<db::Dialect> dialect_for_url(const std::string& url,
                                             const db::SessionSettings& session) {
  return backend_for(config::parse_database_url(url).kind).dialect(session);
}

schema::Schema inspect_database(const std::string& url, const std::string& base_dir,
                                const schema::InspectOptions& options) {
  DatabaseUrl parsed = config::parse_database_url(url, base_dir);
  return backend_for(parsed.kind).connectors().inspect(parsed, options);
}

std::unique_ptr<schema::DevDatabase> make_dev_database(const std::string& database_url,
                                                       const std::string& dev_url,
                                                       const std::string& base_dir) {
  const std::string& kind_url = dev_url.empty() ? database_url : dev_url;
  DatabaseUrl::Kind kind = config::parse_database_url(kind_url, base_dir).kind;
  return backend_for(kind).connectors().dev_database(database_url, dev_url, base_dir);
}

schema::Diff diff_schemas(const schema::Schema& from, const schema::Schema& to) {
  const Backend& b = backend_for(from.dialect);
  if (from.dialect != to.dialect)
    throw Error(std::string("cannot diff a ") + b.name + " schema against a " +
                backend_for(to.dialect).name +
                " schema: both sides must be of the same kind of database");
  schema::Diff diff = b.diff(from, to);
  for (auto& w : schema::probable_rename_warnings(from, to)) diff.warnings.push_back(std::move(w));
  return diff;
}

}  // namespace migrate::backend
