// The PostgreSQL side of schema diffs: inspection from the catalogs, the
// differ/renderer, and the scratch database, reached through the registry
// (backend/backend.h). inspect_postgres and make_postgres_dev_database need
// libpq: they are compiled into the PostgreSQL module (CMakeLists.txt), and
// the core calls them only through it (backend/postgres_module.h);
// diff_postgres is pure and in the core.
//
// Conventions of the inspected model (PostgreSQL):
//  - inspection runs with search_path = pg_catalog, so every user object in
//    canonical texts (types, defaults, constraint/index/view/trigger
//    definitions) is schema-qualified and built-ins are not;
//  - Sequence::owned_by is the OWNED BY target as SQL ("public.t.id");
//  - objects owned by extensions, system schemas, pg_toast and temporary
//    schemas, and InspectOptions::exclude_tables are left out;
//  - owners and grants only with InspectOptions::privileges (`--privileges`);
//  - not modelled (left alone by diffs): what docs/reference.md "Schema
//    diffs" lists as not compared (subscriptions, base and shell types,
//    operator classes, roles, tablespaces, default privileges...).
#pragma once

#include <memory>
#include <string>

#include "schema/dev_database.h"
#include "schema/diff.h"
#include "schema/inspect.h"
#include "schema/model.h"

namespace migrate::schema {

// A handful of catalog queries in one REPEATABLE READ snapshot (never one
// query per table). Errors name the database (redacted) and the query.
Schema inspect_postgres(const std::string& url, const InspectOptions& options);

// The statements turning `from` into `to`, in an order the server accepts.
Diff diff_postgres(const Schema& from, const Schema& to);

// `dev_url` when given (a scratch database: diffs apply schema files to it;
// refused unless empty, emptied on destruction: pg_dev_contents.h; refused
// when it names `database_url`), else a database `migrate_dev_<random>`
// created on the server of `database_url` and dropped WITH (FORCE) by the
// destructor.
std::unique_ptr<DevDatabase> make_postgres_dev_database(const std::string& database_url,
                                                        const std::string& dev_url);

}  // namespace migrate::schema
