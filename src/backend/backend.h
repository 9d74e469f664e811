// The backend registry: one entry per kind of database URL
// (config::DatabaseUrl::Kind) gives everything that differs by kind -- the
// database (open), the dialect (connection-free SQL rendering), inspection,
// the dev database and the differ. Nothing else picks a backend, by URL or by
// dialect name; the functions below are the ways in.
//
// Layer: above db/, runner/ and schema/ (an entry hands out both a
// db::Database and a schema inspector and differ, and schema sources need
// the runner), below cli/. DESIGN.md puts the registry in db/, but db/ cannot
// name schema/'s types without an import running back up.
//
// Which entries live where, and why:
//  - dialect and diff are pure (no connection) and are in the core for every
//    kind, so offline --sql, statement splitting and diffs of two inspected
//    schemas never load libpq;
//  - open, inspect and dev_database talk to a server. SQLite's are in the
//    core; PostgreSQL's need libpq, which pulls in ~20 libraries (~6 ms of
//    start-up), so they live in the PostgreSQL module, loaded by the first
//    call of connectors() (backend/postgres_module.h).
#pragma once

#include <memory>
#include <string>

#include "config/url.h"
#include "db/database.h"
#include "schema/autogen_plan.h"
#include "schema/dev_database.h"
#include "schema/diff.h"
#include "schema/inspect.h"
#include "schema/model.h"
#include "schema/render.h"

namespace migrate::backend {

// The entries that connect to a database. A table of plain functions so that
// the PostgreSQL module can hand its own over through one C entry point.
struct Connectors {
  // `url` parsed (relative SQLite paths resolved); see open_database().
  std::unique_ptr<db::Database> (*open)(const config::DatabaseUrl& url,
                                        const db::TableNames& tables, bool create_if_missing,
                                        const db::SessionSettings& session);
  schema::Schema (*inspect)(const config::DatabaseUrl& url, const schema::InspectOptions& options);
  // See make_dev_database(); `database_url` may be empty when `dev_url` is
  // given.
  std::unique_ptr<schema::DevDatabase> (*dev_database)(const std::string& database_url,
                                                       const std::string& dev_url,
                                                       const std::string& base_dir);
};

struct Backend {
  config::DatabaseUrl::Kind kind;
  const char* name;  // "sqlite", "postgresql": db::Dialect::name(), messages
  std::unique_ptr<db::Dialect> (*dialect)(const db::SessionSettings& session);
  // Both schemas of this kind.
  schema::Diff (*diff)(const schema::Schema& from, const schema::Schema& to);
  // Typed operations (schema/ops.h) as this kind's SQL and summary, for
  // operations built without a differ (the expand/contract planner).
  const schema::Renderer& (*renderer)();
  // What `revision --autogenerate` writes for `up` (the diff from `from`):
  // its steps and the changes offered as expand/contract plans instead
  // (schema/autogen_plan.h).
  schema::AutogenPlan (*autogen_plan)(const schema::Diff& up, const schema::Schema& from);
  // Throws migrate::Error when they cannot be loaded (PostgreSQL: the module
  // or libpq is missing).
  const Connectors& (*connectors)();
};

const Backend& backend_for(config::DatabaseUrl::Kind kind);

// Opens the backend the URL names. A relative SQLite path is relative to
// `base_dir`. With `create_if_missing` false, a missing SQLite file is not
// created: the returned database reads as empty (no heads, no history), and
// writing to it is an error. `session` carries the per-step timeouts, lock
// retries and how long to wait for the server (PostgreSQL; SQLite has no
// lock_timeout or statement_timeout, and a file needs no waiting for).
std::unique_ptr<db::Database> open_database(const std::string& url, const db::TableNames& tables,
                                            const std::string& base_dir = "",
                                            bool create_if_missing = true,
                                            const db::SessionSettings& session = {});

// The dialect of a URL, without connecting (offline --sql). Its
// step_settings_sql() renders `session`'s timeouts.
std::unique_ptr<db::Dialect> dialect_for_url(const std::string& url,
                                             const db::SessionSettings& session = {});

// Inspects the database at `url` (relative SQLite paths against base_dir).
// Errors name the database (redacted) and the failing query.
schema::Schema inspect_database(const std::string& url, const std::string& base_dir,
                                const schema::InspectOptions& options);

// A dev database of the kind of `dev_url` when given, else of
// `database_url` (a dev database stands in for the configured database):
// `dev_url` used as is (it must be empty: see docs), else for SQLite a
// private temporary database and for PostgreSQL a temporary database created
// on the server of `database_url` and dropped afterwards.
std::unique_ptr<schema::DevDatabase> make_dev_database(const std::string& database_url,
                                                       const std::string& dev_url,
                                                       const std::string& base_dir);

// The differ of the schemas' kind (both must be of the same kind), plus the
// kind-neutral probable-rename warnings (schema/rename_warnings.h).
schema::Diff diff_schemas(const schema::Schema& from, const schema::Schema& to);

}  // namespace migrate::backend
