// Fuzz target: the SQLite statement splitter (db/sqlite/sqlite_splitter.h)
// with the properties of split_properties.h.
#include <cstddef>
#include <cstdint>
#include <string>

#include "db/sqlite/sqlite_splitter.h"
#include "split_properties.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  static const migrate::db::sqlite::SqliteDialect dialect;
  migrate::fuzz::check_splitter(text, migrate::db::sqlite::split_sql, dialect);
  return 0;
}
