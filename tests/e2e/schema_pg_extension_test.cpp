// Extension versions: ALTER EXTENSION ... UPDATE TO where the server has an
// update path, and where it has none (a downgrade) no statement that is
// bound to fail, but a warning that says so.
#include <algorithm>
#include <catch2/catch.hpp>

#include "e2e/schema_pg_roundtrip.h"

using Catch::Matchers::Contains;
using namespace schema_pg;

TEST_CASE("pg diff: an extension is updated along a path, never downgraded",
          "[schema][pg][extension]") {
  TempPgDatabase old_version, new_version;
  old_version.exec("CREATE EXTENSION pg_trgm VERSION '1.3'");
  new_version.exec("CREATE EXTENSION pg_trgm VERSION '1.4'");
  const Schema o = inspect(old_version), n = inspect(new_version);
  const migrate::schema::Extension* trgm = nullptr;
  for (const auto& e : o.extensions)
    if (e.name == "pg_trgm") trgm = &e;
  REQUIRE(trgm);
  REQUIRE(trgm->updates);
  CHECK(std::count(trgm->updates->begin(), trgm->updates->end(), "1.4") == 1);

  Diff up = migrate::schema::diff_postgres(o, n);
  CHECK_THAT(migrate::schema::render_script(up),
             Contains("ALTER EXTENSION pg_trgm UPDATE TO '1.4';"));
  CHECK(up.warnings.empty());

  Diff down = migrate::schema::diff_postgres(n, o);
  CHECK(down.statements.empty());
  REQUIRE(down.warnings.size() == 1);
  CHECK_THAT(down.warnings[0], Contains("pg_trgm is left at version 1.4"));
  CHECK_THAT(down.warnings[0], Contains("no update path to 1.3"));
  REQUIRE(down.changes.size() == 1);
  CHECK_THAT(down.changes[0], Contains("stays at version 1.4"));
}
