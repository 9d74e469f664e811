// The parts of PostgreSQL inspection for row-level security, collations,
// domains, composite and range types, aggregates and operators: the rows of their catalog queries
// (pg_catalog_queries.h) into the model. Called by inspect_postgres
// (pg_inspect.cpp) in the same snapshot as the rest.
#pragma once

#include <functional>
#include <pqxx/pqxx>
#include <string>
#include <unordered_map>
#include <vector>

#include "schema/model.h"

namespace migrate::schema::postgres {

// kRowSecurity and kPolicies onto the tables, found by oid (null: left out).
void add_row_security(const pqxx::result& flags, const pqxx::result& policies,
                      const std::function<Table*(const std::string& oid)>& table_of);

std::vector<Collation> collations_of(const pqxx::result& rows);
std::vector<Domain> domains_of(const pqxx::result& rows);
std::vector<CompositeType> composite_types_of(const pqxx::result& rows);
std::vector<RangeType> range_types_of(const pqxx::result& rows);

// kAggregates / kOperators as Functions of kind "aggregate" / "operator",
// appended to `functions`; `by_oid` maps each one's oid to its index (an
// operator's oid in pg_operator's space: a map of its own).
void add_aggregates(const pqxx::result& rows, std::vector<Function>& functions,
                    std::unordered_map<std::string, std::size_t>& by_oid);
void add_operators(const pqxx::result& rows, std::vector<Function>& functions,
                   std::unordered_map<std::string, std::size_t>& by_oid);

}  // namespace migrate::schema::postgres
