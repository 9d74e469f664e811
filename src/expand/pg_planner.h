// The PostgreSQL expand/contract planner: a checked change (expand/change.h)
// as three revisions. Pure: no connection; DDL rendered through the
// dialect's renderer (schema/render.h), trigger functions written here.
//
//  - expand (one short transaction under the step's lock_timeout): the new
//    columns (nullable, no default), a constant add_column default stored
//    once, a volatile one as the column default for new rows only; the sync
//    trigger (pg_sync.h); CHECK/FOREIGN KEY NOT VALID; NOT NULL as a helper
//    `CHECK (c IS NOT NULL) NOT VALID`. Its downgrade removes all of it.
//  - backfill (`transactional: false`): unique and plain indexes built
//    CONCURRENTLY, after dropping an INVALID leftover of a failed earlier
//    attempt; the `backfill:` header (BACKFILL-FORMAT.md) for the engine.
//    Its downgrade drops those indexes.
//  - contract (one transaction): refuses while a row is not filled
//    (new IS DISTINCT FROM up(old), a NULL where NOT NULL comes); validates
//    every NOT VALID constraint before taking the ACCESS EXCLUSIVE lock;
//    drops the trigger, function and old columns; SET NOT NULL through the
//    validated helper, which is then dropped; unique indexes become
//    constraints. Its downgrade re-expands (the old columns back, filled by
//    `down`) when every operation has a `down`, else raises, saying which.
#pragma once

#include <string>

#include "expand/change.h"
#include "expand/phases.h"
#include "schema/render.h"

namespace migrate::expand {

// `message`: the plan's message; each phase appends " (expand)", ...
Phases plan_postgres(const Change& change, const schema::Renderer& renderer,
                     const std::string& message);

}  // namespace migrate::expand
