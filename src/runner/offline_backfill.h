// Offline `--sql` of a backfill revision: its rows are filled by the
// backfill engine, which needs a live connection, so a script cannot fill
// them. What it can do is refuse to record the step as applied while they
// are not filled: a statement, printed after the revision's own SQL and
// before its version change, that fails (under `sqlite3 -bail` / `psql -v
// ON_ERROR_STOP=1`) while a row is left to fill, so the script stops with
// the version table at the expand, where `migrate upgrade` online takes
// over. A table with nothing to fill (empty, or filled by hand) passes.
#pragma once

#include <string>

#include "db/database.h"
#include "script/backfill_spec.h"

namespace migrate::runner {

// The check for `spec` ("" when the dialect has none). `file`, `revision`:
// for the message.
std::string offline_backfill_check_sql(const db::Dialect& dialect, const script::BackfillSpec& spec,
                                       const std::string& file, const std::string& revision);

}  // namespace migrate::runner
