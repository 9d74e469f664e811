// Internal to the PostgreSQL differ: a table's attributes that are no column,
// constraint or index of it (UNLOGGED, relation options, statistics
// targets), and what partitioning and inheritance decide for the columns
// of a child table (its parent's ALTER reaches them).
#pragma once

#include <vector>

#include "schema/model.h"
#include "schema/postgres/pg_diff_plan.h"

namespace migrate::schema::postgres {

// SET LOGGED/UNLOGGED, SET/RESET (options), SET STATISTICS of the columns
// of a kept table (`t` names it after any rename).
void diff_table_attributes(const Table& o, const Table& t, Plan& plan);
// SET STATISTICS of a new table's columns (CREATE TABLE says the rest).
void create_table_attributes(const Table& t, Plan& plan);
// SET STATISTICS of a new index's columns; of a kept one's when they change.
void create_index_statistics(const Index& i, Plan& plan);
void diff_index_statistics(const Index& o, const Index& i, Plan& plan);

// Whether two lists of reloptions hold the same options (in any order).
bool same_options(std::vector<std::string> a, std::vector<std::string> b);

// The tables a table inherits from: its INHERITS parents, or the table it
// is a partition of.
std::vector<QualifiedName> parents_of(const Table& t);

// `items` (tables) with every parent before its children.
std::vector<const Table*> parents_first(std::vector<const Table*> items);

}  // namespace migrate::schema::postgres
