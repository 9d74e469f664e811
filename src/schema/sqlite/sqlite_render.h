// The SQLite renderer: each operation's statements, summary lines, warnings
// and data loss. SQLite alters little in place (RENAME, ADD COLUMN, DROP
// COLUMN); everything else is a RebuildTable. Definitions are the stored
// text (Table::sql, Index::definition, ...), written back as they were; an
// operation built by hand without one gets a composed text where that is
// simple (CREATE TABLE, CREATE INDEX on plain columns, ADD COLUMN).
// Operations SQLite has no statement for (schemas, enums, sequences,
// functions, ALTER COLUMN, constraints, comments) throw migrate::Error.
#pragma once

#include <string>
#include <vector>

#include "schema/ops.h"
#include "schema/render.h"

namespace migrate::schema::sqlite {

const Renderer& renderer();

// Why a table is rebuilt, in words ("column n: type integer -> text").
std::string describe(const ops::RebuildReason& reason);

}  // namespace migrate::schema::sqlite
