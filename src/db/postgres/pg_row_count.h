// Row counts for row guards on PostgreSQL (db/row_guards.h). The server
// reports a statement's rows in its command tag ("DELETE 57", libpq's
// PQcmdTuples), except for TRUNCATE ("TRUNCATE TABLE"): under a guard its
// rows are counted by a query run just before it, in the same transaction.
// No connection here: offline `--sql` writes the same count.
#pragma once

#include <optional>
#include <string>

namespace migrate::db::postgres {

// The query counting the rows the TRUNCATE statement `sql` removes (one
// bigint: the named tables' rows, ONLY honoured; with CASCADE the rows of
// the tables it reaches through foreign keys are not included); nullopt
// when `sql` is not a TRUNCATE.
std::optional<std::string> truncate_count_sql(const std::string& sql);

// Whether the statement `sql` (trimmed to its first token) inserts, updates
// or deletes rows: INSERT, UPDATE, DELETE, MERGE, COPY, and WITH ... before
// one of the first four. (A SELECT's command tuples are the rows it
// returned, not rows it changed.)
bool statement_modifies_rows(const std::string& sql);

}  // namespace migrate::db::postgres
