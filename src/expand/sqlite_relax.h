// A NOT NULL column without a default that an expand/contract window keeps
// on SQLite (the old column of a rename_column or change_type, a dropped
// column): the new application's inserts do not write it, and SQLite checks
// NOT NULL before any AFTER trigger could fill it (a BEFORE trigger runs
// first but cannot assign NEW). So the expand makes it nullable for the
// window by sqlite.org's documented procedure for removing a NOT NULL
// constraint (https://www.sqlite.org/lang_altertable.html#otheralter:
// PRAGMA writable_schema, one UPDATE of sqlite_schema's text; no row changes,
// the schema cookie moves with the phase's other DDL so other connections
// reload). The rebuilt table keeps NOT NULL (expand/sqlite_rebuild.h), so a
// NULL either version writes still fails in the window, in the mirror.
#pragma once

#include <string>
#include <vector>

namespace migrate::expand {

// `create_table` (a stored CREATE TABLE text) with the NOT NULL constraint
// of each of `columns` (matched as SQLite folds names) removed: its `NOT`
// token is dropped, leaving SQLite's no-op `NULL` constraint (and any
// CONSTRAINT name or ON CONFLICT clause still valid). Only the column's own
// top-level constraints change; a CHECK (x IS NOT NULL) stays. `uncut`,
// when given, receives each of `columns` that had no NOT NULL to remove in
// the text (the caller must refuse: the column would stay NOT NULL in the
// window, and the new version's inserts would fail).
std::string relax_not_null(const std::string& create_table, const std::vector<std::string>& columns,
                           std::vector<std::string>* uncut = nullptr);

}  // namespace migrate::expand
