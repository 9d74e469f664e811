// The SQLite side of schema diffs: inspection through the pragmas and the
// stored SQL, the differ (ALTER TABLE in place where SQLite allows it, else
// the documented table rebuild), and the private dev database. Reached
// through the registry (backend/backend.h).
#pragma once

#include <memory>
#include <string>

#include "schema/dev_database.h"
#include "schema/diff.h"
#include "schema/inspect.h"
#include "schema/model.h"

namespace migrate::schema::sqlite {

// `path` is a file path or ":memory:"; `describe` names it in messages. A
// missing file reads as an empty schema (inspection never creates a file).
Schema inspect_sqlite(const std::string& path, const std::string& describe,
                      const InspectOptions& options);

Diff diff_sqlite(const Schema& from, const Schema& to);

// `dev_url` empty or sqlite:///:memory: gives a private temporary file,
// deleted on destruction (":memory:" cannot be shared by the several
// connections a diff opens). Any other dev_url must name an empty database;
// everything created in it is dropped on destruction.
std::unique_ptr<DevDatabase> make_sqlite_dev_database(const std::string& dev_url,
                                                      const std::string& base_dir);

// Canonical text of the parts of a schema that a diff compares, one line per
// fact, sorted: two schemas that differ in no compared way dump the same
// text. For tests and for explaining a difference.
std::string dump_sqlite(const Schema& schema);

}  // namespace migrate::schema::sqlite
