// The SQLite sync triggers of an expand/contract window: the old and the
// new application's columns of one table kept equal (new = up(old), old =
// down(new)) whichever version wrote. SQLite triggers cannot assign NEW, so
// each is an AFTER row trigger whose one statement UPDATEs the row it fired
// for (found by the key), and only when the row is out of step:
//
//  - `..._insert` (AFTER INSERT), WHEN a new column is not up(row) or a
//    dropped column is NULL: a NULL new column means the old version wrote
//    (new := up(row)); a non-NULL one the new version (old := down(row)).
//    A dropped column left NULL by the new version gets down(row); a NULL
//    in a set_not_null column its fill, in a volatile add_column its default.
//  - `..._update` (AFTER UPDATE), WHEN a new column is not up(row): the new
//    column changed (IS NOT OLD) -> the new version wrote (old := down);
//    else the old version wrote, or a column `up` reads did (new := up).
//    A NULL written to a set_not_null column becomes its fill.
//  - the backfill engine's UPDATE writes new := up(old): the row is in step,
//    the WHEN is false, nothing fires (the engine sets no flag on SQLite).
//  - DELETE: one row in one table: nothing to keep in step.
//
// Loops: the UPDATE a trigger runs leaves the row in step (up(down(x)) = x
// on the values the applications write), so every WHEN after it is false.
// SQLite's default recursive_triggers = OFF also keeps a trigger from firing
// itself; the insert trigger's UPDATE does fire the update trigger, which
// finds the row in step. Neither relies on a session setting.
#pragma once

#include <string>
#include <vector>

#include "expand/change.h"

namespace migrate::expand {

struct SqliteTrigger {
  std::string name;  // unqualified
  std::string sql;   // CREATE TRIGGER ... (no `;`)
};

// The triggers the change needs: insert, then update; either may be absent
// (a drop_column alone needs only the insert trigger, and only with `down`).
std::vector<SqliteTrigger> sqlite_sync_triggers(const Change& change);

}  // namespace migrate::expand
