// How the runner runs `phase: backfill` revisions (docs/zero-downtime.md).
//
// Upgrade (of a revision with a `backfill:` section; one without runs as an
// ordinary step): the revision's upgrade SQL runs in the transaction that
// starts the backfill, or with `transactional: false` statement by statement
// just before it (a resumed run does not run it again), then the backfill
// engine (backfill/engine.h) fills the table in batches, then one last short
// transaction moves the version table, records the history row and deletes
// the checkpoint. The step reports its whole duration.
//
// Downgrade of a revision R deletes, in R's own step, the checkpoint of R
// and of R's backfill children: a backfill stopped part-way must not resume
// from a stale position once its columns have been dropped and added again.
#pragma once

#include "backfill/engine.h"
#include "db/database.h"
#include "script/script_directory.h"

namespace migrate::runner {

// What the command line sets for backfills: tuning and the events (progress
// lines, retry notes, batch statistics).
struct BackfillSettings {
  backfill::Options options;
  backfill::Events events;
};

// Whether a plan step needs the checkpoint table (and so the runner creates
// it before the run).
bool touches_backfill(const script::ScriptDirectory& scripts, const std::string& revision,
                      bool upgrade);

// For a downgrade step of `revision`: the statements deleting the
// checkpoints it makes stale, to run at the start of the step ("" if none).
std::string stale_checkpoints_sql(db::Database& db, const script::ScriptDirectory& scripts,
                                  const std::string& revision);

// Runs a backfill revision's upgrade step (see above). Returns its duration
// in ms.
double run_backfill_step(db::Database& db, const script::RevisionFile& file,
                         const db::PlannedStep& planned, const BackfillSettings& settings);

}  // namespace migrate::runner
