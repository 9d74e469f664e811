// `--adopt URL`: a database that Alembic or Flyway migrated becomes one that
// `migrate` carries on from, without running anything. In one transaction:
// the other tool's record is read (alembic_version's rows; the successful
// rows of flyway_schema_history), checked against the imported revision
// graph, and written as migrate's version rows, with one history row per
// applied revision (direction "adopt", the file's checksum, so `validate`
// checks them like applied ones). The other tool's table is left as it was.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "db/database.h"
#include "script/script_directory.h"

namespace migrate::importer {

struct AdoptResult {
  std::string table;               // what was read, e.g. "alembic_version"
  std::vector<std::string> heads;  // migrate's version rows now; empty: nothing applied
  std::size_t applied = 0;         // revisions recorded as applied
};

// `tool` is "alembic" or "flyway"; `table` the other tool's table (may be
// schema-qualified: `schema.table`); `wait` the run lock's wait. Refuses
// (migrate::Error, nothing written) when migrate's version table already has
// rows, when the other tool's table cannot be read, or when what it records
// does not fit the graph: an unknown revision or version, a failed Flyway
// migration, versions applied out of order.
AdoptResult adopt(db::Database& db, const script::ScriptDirectory& scripts, const std::string& tool,
                  const std::string& table, std::chrono::milliseconds wait);

}  // namespace migrate::importer
