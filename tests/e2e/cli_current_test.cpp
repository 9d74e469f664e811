// End to end: `migrate current` (and `status`) show what Alembic's `current`
// shows when a revision was applied only as another branch's dependency.
#include <nlohmann/json.hpp>

#include "e2e/project_fixture.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

TEST_CASE("current lists a revision applied as a dependency, as Alembic does", "[e2e][current]") {
  e2e::Project p;
  p.add_table_rev("users", {});
  p.add_table_rev("sessions", {"users"}, {"crud"});
  p.add_table_rev("todos", {"sessions"});
  p.add_table_rev("accounts", {"users"}, {"payments"});
  p.add_table_rev("transfers", {"accounts"}, {}, {"sessions"});

  REQUIRE_THAT(p.run({"upgrade", "transfers"}), ExitedWith(0));
  CHECK(p.version() == V{"transfers"});  // the dependency is no stored head

  auto plain = p.run({"current"});
  REQUIRE_THAT(plain, ExitedWith(0));
  CHECK(plain.out == "transfers (head)\nsessions\n");

  auto verbose = p.run({"current", "-v"});
  REQUIRE_THAT(verbose, ExitedWith(0));
  CHECK_THAT(verbose.out, Contains("Rev: transfers (head)\n"));
  CHECK_THAT(verbose.out, Contains("Rev: sessions\nParent: users\n"));

  auto js = p.run({"current", "--json"});
  REQUIRE_THAT(js, ExitedWith(0));
  auto j = nlohmann::json::parse(js.out);
  REQUIRE(j["current"].size() == 2);
  CHECK(j["current"][0]["revision"] == "transfers");
  CHECK(j["current"][1]["revision"] == "sessions");
  CHECK(j["stored"] == nlohmann::json(V{"transfers"}));

  // status says the same.
  auto status = p.run({"status"});
  REQUIRE_THAT(status, ExitedWith(0));
  CHECK_THAT(status.out, Contains("Current:  transfers, sessions\n"));
  auto sj = nlohmann::json::parse(p.run({"status", "--json"}).out);
  CHECK(sj["current"] == nlohmann::json(V{"transfers", "sessions"}));
  CHECK(sj["stored"] == nlohmann::json(V{"transfers"}));

  // Once todos is applied above it, sessions is no longer shown.
  REQUIRE_THAT(p.run({"upgrade", "todos"}), ExitedWith(0));
  CHECK(p.run({"current"}).out == "transfers (head)\ntodos (head)\n");
}
