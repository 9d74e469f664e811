// What a PostgreSQL dev database the user names (--dev-url / dev_url) holds
// of its own, and emptying it. The sides of a diff (or rev:heads and
// schema_file of `check`) are applied to it one after the other, so each use
// must find it empty and leave it so: one side's objects under the next
// would fail it ("already exists") or, worse, merge into it and give a wrong
// diff.
//
// "Its own" is what a schema file or a revision can leave: schemas other
// than public and the system ones; relations, routines, types and domains
// (not the implicit array, multirange and row types), collations,
// operators, operator families and text search objects in public;
// extensions other than plpgsql; event triggers; publications. Extension
// members and objects that go with another (an identity or serial
// sequence, a partition, a range type's constructors) are not listed on
// their own. The public schema itself stays (in PostgreSQL 15 its owner and
// privileges are pg_database_owner's, which a re-creation would not give
// back); changes made to it (its comment, its privileges) and database-wide
// settings are not undone.
#pragma once

#include <string>
#include <vector>

#include "db/postgres/pg_connection.h"

namespace migrate::schema::postgres {

struct DevObject {
  std::string kind;     // for messages: "table", "schema", "function", ...
  std::string keyword;  // what follows DROP: "TABLE", "SCHEMA", "ROUTINE", ...
  std::string name;     // as SQL, qualified: "public.t", "public.f(integer)"
};

// The objects, in an order in which dropping them (with CASCADE) works:
// event triggers first (they could fire on the drops), then extensions,
// schemas, relations, routines, operators, types. One catalog query, run
// with search_path = pg_catalog so that every name in it is qualified.
std::vector<DevObject> dev_objects(db::postgres::Connection& conn);

// "schema app, table public.t, function public.f(integer) and 3 more".
std::string describe_dev_objects(const std::vector<DevObject>& objects, std::size_t shown);

// Best effort: drops every object dev_objects() lists (each kind in one
// statement, else one by one), a few rounds while that makes progress.
// Never throws; what is left, the next use's check reports.
void empty_dev_database(db::postgres::Connection& conn) noexcept;

}  // namespace migrate::schema::postgres
