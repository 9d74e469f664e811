// The online table rebuild of the SQLite expand/contract planner, for what
// SQLite's ALTER TABLE cannot do in place (NOT NULL on a column, CHECK,
// FOREIGN KEY, a volatile default, a new type that must be NOT NULL, a
// column an index or constraint uses going away, a NOT NULL column without
// a default that the window keeps and makes nullable, expand/sqlite_relax.h):
//
//  - expand: besides the in-place window (new columns on the live table,
//    the sync triggers), a shadow table `migrate_new_<table>` in the final
//    shape (final names, types, NOT NULL, defaults, constraints), and three
//    mirror triggers on the live table (AFTER INSERT, UPDATE, DELETE) that
//    upsert the written row's final projection into it by key, or delete
//    it. The projection fills what the sync triggers fill too (COALESCE(new,
//    up(row)), COALESCE(col, fill)), so the order in which SQLite fires the
//    triggers does not matter: the sync trigger's own UPDATE mirrors again.
//    A write the final shape refuses (a CHECK, a NOT NULL, a foreign key
//    with foreign_keys on) fails in the window already.
//  - backfill: the engine's copy batches (`copy_to`, `copy`) insert the
//    rows not mirrored yet, by key, ON CONFLICT (key) DO NOTHING.
//  - contract (one transaction; the runner turns foreign_keys off around
//    it and commits only if PRAGMA foreign_key_check passes): refuse while
//    a row of either table lacks its twin; drop the triggers; drop the views
//    and other tables' triggers that name the table; DROP TABLE, RENAME the
//    shadow; create the indexes again (the table's own, renamed columns
//    followed, those over dropped columns gone, and the plan's), the
//    table's triggers, the views.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "expand/change.h"
#include "expand/sqlite_sync.h"

namespace migrate::expand {

class SqliteRebuild {
 public:
  SqliteRebuild(const Change& change, const schema::Schema& schema);

  // Why the change needs a rebuild ("set_not_null (plan.yaml:4)"); empty = it does not.
  const std::string& reason() const { return reason_; }
  const std::string& shadow() const { return shadow_; }

  std::string create_shadow() const;  // CREATE TABLE (no `;`)
  std::vector<SqliteTrigger> mirror_triggers() const;
  // Shadow column -> expression over the live row (the engine's `copy`).
  const std::vector<std::pair<std::string, std::string>>& copy() const { return copy_; }
  // The contract's statements after the sync and mirror triggers are gone.
  std::vector<std::string> swap() const;
  // A condition on the live table `t` true for a row without its shadow
  // twin, and on the shadow `s` for a row without its live twin.
  std::string live_missing() const;
  std::string shadow_missing() const;

 private:
  std::string renamed(const std::string& sql) const;         // renamed columns followed
  bool gone(const std::vector<std::string>& columns) const;  // uses a column the swap drops

  const Change& c_;
  const schema::Schema& schema_;
  std::string reason_, shadow_;
  std::vector<std::string> definitions_;  // the shadow's columns and table constraints
  std::vector<std::pair<std::string, std::string>> copy_;
};

}  // namespace migrate::expand
