// Fuzz target: the PostgreSQL statement splitter (db/postgres/pg_splitter.h,
// libpg_query's grammar) with the properties of split_properties.h.
#include <cstddef>
#include <cstdint>
#include <string>

#include "db/postgres/pg_splitter.h"
#include "split_properties.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  static const migrate::db::postgres::PostgresDialect dialect;
  migrate::fuzz::check_splitter(text, migrate::db::postgres::split_sql, dialect);
  return 0;
}
