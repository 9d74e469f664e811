// A search_path as migrate.yaml writes it (config/search_path.h), read as
// the server reads SET search_path: names folded or quoted, and anything
// that is not a list of names refused (it is quoted name by name into SQL).
#include <catch2/catch.hpp>

#include "config/search_path.h"
#include "util/error.h"

using Catch::Matchers::Contains;
using migrate::config::parse_search_path;
using V = std::vector<std::string>;

namespace {

std::string error_of(const std::string& text) {
  try {
    parse_search_path(text, "migrate.yaml:3");
  } catch (const migrate::Error& e) {
    return e.what();
  }
  FAIL_CHECK("expected an error for " << text);
  return "";
}

}  // namespace

TEST_CASE("search_path: names as the server reads them", "[unit][config]") {
  CHECK(parse_search_path("tenant_a", "w") == V{"tenant_a"});
  CHECK(parse_search_path(" Tenant_A ,public", "w") == V{"tenant_a", "public"});
  CHECK(parse_search_path("\"Tenant A\", \"$user\", x$1", "w") == V{"Tenant A", "$user", "x$1"});
  CHECK(parse_search_path("\"a\"\"b\"", "w") == V{"a\"b"});
  CHECK(parse_search_path("café", "w") == V{"café"});
}

TEST_CASE("search_path: what is not a list of names is refused with where", "[unit][config]") {
  CHECK_THAT(error_of(""), Contains("migrate.yaml:3: bad search_path '': it names no schema"));
  CHECK_THAT(error_of("a,,b"), Contains("a name is missing between commas"));
  CHECK_THAT(error_of("a,"), Contains("a name is missing between commas"));
  CHECK_THAT(error_of("a; DROP TABLE x"), Contains("unexpected ';' after 'a'"));
  CHECK_THAT(error_of("\"open"), Contains("a quoted name is not closed"));
  CHECK_THAT(error_of("\"\""), Contains("\"\" is not a schema name"));
  CHECK_THAT(error_of("1abc"), Contains("unexpected '1'"));
  CHECK_THAT(error_of("a b"), Contains("unexpected 'b' after 'a'"));
  CHECK_THAT(error_of(std::string(64, 'a')), Contains("longer than 63 bytes"));
  CHECK_THAT(error_of(std::string("a\0b", 3)), Contains("NUL byte"));
}
