// Facts the PostgreSQL rules take from the server when the database is
// reachable, over the `lint:` config's: the version (server_version_num)
// and each function's volatility (pg_proc.provolatile; an overloaded name
// counts as its most volatile form). A name the server does not know keeps
// the config's volatility, else the rules' built-in list.
#pragma once

#include "db/database.h"
#include "lint/linter.h"
#include "lint/settings.h"

namespace migrate::lint {

// Whether the dialect has such facts (PostgreSQL): whether to ask at all.
bool has_server_facts(Dialect dialect);

// Reads them through `db` (one read-only query outside a transaction: one
// round trip) into `settings`. Nothing for a dialect without such facts
// (SQLite). Throws migrate::Error naming the query when the server refuses
// it.
void apply_server_facts(Dialect dialect, db::Database& db, Settings& settings);

}  // namespace migrate::lint
