// The row guards of a step (db/row_guards.h), read from its revision file:
// the header's `max_rows_affected` and the section's `-- migrate:expect-rows`
// directives, checked before anything runs or is printed. Online runs and
// offline `--sql` both take them from here.
#pragma once

#include "db/database.h"
#include "script/revision_file.h"

namespace migrate::runner {

// Throws migrate::Error "FILE:LINE: ..." for a malformed directive, one that
// is not on the line before exactly one statement, or any guard on a
// `transactional: false` revision. A section without a directive costs one
// substring search.
db::RowGuards step_guards(const script::RevisionFile& file, bool upgrade,
                          const db::Dialect& dialect);

}  // namespace migrate::runner
