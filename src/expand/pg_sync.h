// The PostgreSQL sync trigger of an expand/contract window: one BEFORE
// INSERT OR UPDATE row trigger per table, one plpgsql function, that keeps
// the old and new application's columns equal (new = up(old), old =
// down(new)) whichever version wrote. It only assigns NEW's fields, never
// runs a statement, so it cannot loop and costs a few comparisons per row.
//
// Which side wrote:
//  - INSERT: the new column is NULL -> the old version wrote (the new
//    column := up(row); the old column's default, which the window moves
//    into the trigger, first applies when the old column is NULL too);
//    else the new version wrote (old := down(row)).
//  - UPDATE: the new column changed (IS DISTINCT FROM OLD) -> the new version
//    wrote (old := down); else the old version wrote, or neither column
//    changed (another column `up` reads may have), and new := up(row).
//  - the backfill engine's UPDATE (`SET LOCAL migrate.backfill = 'on'`)
//    writes new := up(old) itself and is left alone: down(up(old)) must not
//    rewrite the old version's data.
//  - DELETE: one row in one table: nothing to keep in step.
// set_not_null: a NULL written by either version becomes `fill`.
// drop_column: the new version's inserts leave the column NULL: := down.
#pragma once

#include <string>

#include "expand/change.h"

namespace migrate::expand {

// CREATE FUNCTION ... (the whole statement, no `;`).
std::string pg_sync_function(const Change& change);
// CREATE TRIGGER ...
std::string pg_sync_trigger(const Change& change);
// The function's qualified name with "()", for DROP FUNCTION.
std::string pg_sync_function_name(const Change& change);

}  // namespace migrate::expand
