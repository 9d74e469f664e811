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
//  - backfill (`transactional: false`): CREATE [UNIQUE] INDEX IF NOT
//    EXISTS for add_unique and create_index (SQLite builds an index under
//    the write lock; a unique index is SQLite's unique constraint): on the
//    live table in place, on the shadow table of a rebuild (the swap keeps
//    it); the `backfill:` header for the engine (with `copy_to`/`copy` for a
//    rebuild). Its downgrade drops the indexes.
//  - contract (one transaction): refuses while a row is out of step (a
//    statement that fails with the count); drops the triggers; in place, a
//    rename drops the new copy and RENAMEs the old column into its place
//    (keeping its NOT NULL, default, indexes and references), change_type
//    and drop_column DROP COLUMN the old one, indexes over a renamed column
//    are built after the rename; a rebuild swaps the tables. Its downgrade
//    re-expands when every operation has `down` (after a rebuild by the swap
//    run backwards: two copies of the table under the write lock), else
//    fails saying why.
//
// A rename_column, change_type or drop_column of a NOT NULL column without
// a default (the new version's inserts do not write it, and SQLite checks
// NOT NULL before an AFTER trigger could fill it) rebuilds the table, and
// the expand makes that column nullable in the live table for the window
// (expand/sqlite_relax.h); the expand's downgrade makes it NOT NULL again.
// Refused with the plan's line: a change_type or drop_column of a column a
// view reads.
#pragma once

#include <string>

#include "expand/change.h"
#include "expand/phases.h"

namespace migrate::expand {

// `message`: the plan's message; each phase appends " (expand)", ...
// Throws migrate::Error "PLAN:LINE: ..." for what SQLite cannot do in place.
Phases plan_sqlite(const Change& change, const schema::Schema& schema, const std::string& message);

}  // namespace migrate::expand
