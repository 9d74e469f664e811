// The SQLite expand/contract planner: a checked change (expand/change.h) as
// three revisions, with SQLite's in-place ALTER TABLE only (ADD COLUMN,
// DROP COLUMN, RENAME COLUMN) and the sync triggers of expand/sqlite_sync.h.
// Pure: no connection.
//
//  - expand (one transaction): the new columns (nullable, no default), an
//    add_column with its constant default (NOT NULL allowed: SQLite stores
//    the default once), the two sync triggers. Its downgrade drops them.
//  - backfill (`transactional: false`): CREATE [UNIQUE] INDEX IF NOT EXISTS
//    for add_unique and create_index (SQLite builds an index under the write
//    lock; a unique index is SQLite's unique constraint), the `backfill:`
//    header for the engine. Its downgrade drops the indexes.
//  - contract (one transaction): refuses while a row is out of step (a
//    statement that fails with the count); drops the triggers; a rename
//    drops the new copy and RENAMEs the old column into its place (keeping
//    its NOT NULL, default, indexes and references); change_type and
//    drop_column DROP COLUMN the old one; indexes over a renamed column are
//    built after the rename. Its downgrade re-expands when every operation
//    has `down`, else fails saying which.
//
// What needs a table rebuild is refused with the plan's line: set_not_null,
// add_check, add_foreign_key, an add_column with a volatile default, a
// change_type or drop_column of a NOT NULL column or of one an index,
// constraint or view uses, a rename of a NOT NULL column without a default
// (the new version's inserts would fail before any AFTER trigger runs).
#pragma once

#include <string>

#include "expand/change.h"
#include "expand/phases.h"

namespace migrate::expand {

// `message`: the plan's message; each phase appends " (expand)", ...
// Throws migrate::Error "PLAN:LINE: ..." for what SQLite cannot do in place.
Phases plan_sqlite(const Change& change, const schema::Schema& schema, const std::string& message);

}  // namespace migrate::expand
