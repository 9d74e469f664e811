// Inspection of table-level attributes (PostgreSQL): UNLOGGED, relation
// options, partitioning, inheritance, statistics targets, comments on view
// columns. The rows of their catalog queries (pg_catalog_queries.h) are
// added to the tables and views inspect_postgres has assembled.
#pragma once

#include <functional>
#include <pqxx/pqxx>
#include <string>

#include "schema/model.h"

namespace migrate::schema::postgres {

struct TableAttributeRows {
  const pqxx::result& attributes;            // kTableAttributes
  const pqxx::result& columns;               // kColumnAttributes
  const pqxx::result& index_statistics;      // kIndexStatistics
  const pqxx::result& view_column_comments;  // kViewColumnComments
};

// `table_of` / `view_of`: the table or view of an oid (nullptr when it is
// not inspected, e.g. an excluded table).
void add_table_attributes(const TableAttributeRows& rows,
                          const std::function<Table*(const std::string& oid)>& table_of,
                          const std::function<View*(const std::string& oid)>& view_of);

}  // namespace migrate::schema::postgres
