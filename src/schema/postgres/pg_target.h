// A database URL as a db::postgres::ConnectTarget, for the schema side's own
// connections (inspection, the dev database). Same rules as db/open.cpp:
// libpq gets the URL as is; messages get the redacted URL and endpoint.
#pragma once

#include <string>

#include "db/postgres/pg_connection.h"

namespace migrate::schema::postgres {

db::postgres::ConnectTarget connect_target(const std::string& url);

}  // namespace migrate::schema::postgres
