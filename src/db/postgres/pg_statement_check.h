// Statements PostgreSQL refuses inside a transaction block (CREATE INDEX
// CONCURRENTLY, VACUUM, CREATE DATABASE, ...) and transaction control
// (BEGIN, COMMIT, ROLLBACK), found in the parse tree libpg_query builds.
// A transactional step holding one is refused before anything runs, and so
// is any step holding COPY FROM STDIN or TO STDOUT.
#pragma once

#include <string>
#include <vector>

#include "db/database.h"

namespace migrate::db::postgres {

// What, if anything, keeps `sql` (one statement) out of a transactional
// step: e.g. "CREATE INDEX CONCURRENTLY cannot run inside a transaction
// block". Empty when it may run in one.
std::string transaction_conflict(const std::string& sql);

// Throws migrate::Error "FILE:LINE: ..." naming the first statement that
// cannot run in a migration step at all (COPY FROM STDIN / TO STDOUT), or,
// when `transactional`, that cannot run in a transaction, telling the user
// to declare `transactional: false`.
void check_statements(const std::vector<Statement>& statements, bool transactional,
                      const std::string& file);

}  // namespace migrate::db::postgres
