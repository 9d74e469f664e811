// libpg_query's parse result, owned: freed with pg_query_free_parse_result
// when it goes. Made (empty) before the parse and filled by it, so that no
// allocation can fail between the parse and its owner and leak the result.
// For the files that call pg_query_parse (parse.cpp, lint/pg_tree_reader.cpp).
#pragma once

#include <pg_query.h>

namespace migrate::sql::postgres {

struct OwnedParse {
  PgQueryParseResult r{};
  OwnedParse() = default;
  OwnedParse(const OwnedParse&) = delete;
  OwnedParse& operator=(const OwnedParse&) = delete;
  ~OwnedParse() { pg_query_free_parse_result(r); }
};

}  // namespace migrate::sql::postgres
