// The parts of PostgreSQL inspection for the database's own objects, in no
// schema: event triggers and publications (the rows of kEventTriggers and
// kPublications, pg_catalog_queries.h, into the model). Called by
// inspect_postgres (pg_inspect.cpp) in the same snapshot as the rest.
#pragma once

#include <pqxx/pqxx>
#include <vector>

#include "schema/model.h"

namespace migrate::schema::postgres {

std::vector<EventTrigger> event_triggers_of(const pqxx::result& rows);
std::vector<Publication> publications_of(const pqxx::result& rows);

}  // namespace migrate::schema::postgres
