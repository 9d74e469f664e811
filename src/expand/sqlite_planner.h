// The SQLite expand/contract planner: a checked change (expand/change.h) as
// three revisions, with SQLite's in-place ALTER TABLE (ADD COLUMN, DROP
// COLUMN, RENAME COLUMN) and the sync triggers of expand/sqlite_sync.h, or,
// when the final shape needs it, the online table rebuild of
// expand/sqlite_rebuild.h. Pure: no connection.
//
//  - expand (one transaction): the new columns (nullable, no default), an
//    add_column with its constant default (NOT NULL allowed: SQLite stores
//    the default once), the sync triggers; for a rebuild also the shadow
//    table and its mirror triggers. Its downgrade drops all of it.
//  - backfill (`transactional: false`): in place, CREATE [UNIQUE] INDEX IF
//    NOT EXISTS for add_unique and create_index (SQLite builds an index
//    under the write lock; a unique index is SQLite's unique constraint);
//    the `backfill:` header for the engine (with `copy_to`/`copy` for a
//    rebuild). Its downgrade drops the indexes.
//  - contract (one transaction): refuses while a row is out of step (a
//    statement that fails with the count); drops the triggers; in place, a
//    rename drops the new copy and RENAMEs the old column into its place
//    (keeping its NOT NULL, default, indexes and references), change_type
//    and drop_column DROP COLUMN the old one, indexes over a renamed column
//    are built after the rename; a rebuild swaps the tables. Its downgrade
//    re-expands an in-place contract when every operation has `down`, else
//    (and after a rebuild) fails saying why.
//
// Refused with the plan's line: a rename_column, change_type or drop_column
// of a NOT NULL column without a default (the new version's inserts would
// fail on it before any AFTER trigger runs), a change_type or drop_column of
// a column a view reads.
#pragma once

#include <string>

#include "expand/change.h"
#include "expand/phases.h"

namespace migrate::expand {

// `message`: the plan's message; each phase appends " (expand)", ...
// Throws migrate::Error "PLAN:LINE: ..." for what SQLite cannot do in place.
Phases plan_sqlite(const Change& change, const schema::Schema& schema, const std::string& message);

}  // namespace migrate::expand
