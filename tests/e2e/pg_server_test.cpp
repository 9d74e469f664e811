// The test script must have started a private PostgreSQL server; these tests
// fail (never skip) when it did not, so CI cannot silently lose them.
#include <pqxx/pqxx>

#include "e2e/project_fixture.h"

TEST_CASE("the private PostgreSQL test server is up", "[e2e][postgres]") {
  std::string url = testsupport::pg_url();
  REQUIRE_FALSE(url.empty());
  pqxx::connection c(url);
  pqxx::work w(c);
  auto r = w.exec1("SELECT current_setting('server_version_num')::int");
  CHECK(r[0].as<int>() >= 150000);
}
