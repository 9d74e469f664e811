// Walk-through s24, findings 8 and 9, on SQLite: `migrate log` tells a
// revision a stamp removed ("unstamp") from one it stamped, online and in an
// offline script; and a row without a duration (an offline script's) shows
// "-" in the table and null in JSON, not a made-up 0.0 ms.
#include <nlohmann/json.hpp>

#include "e2e/project_fixture.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

V history(const e2e::Project& p) {
  return p.rows(
      "SELECT revision || ' ' || direction || ' ' || status FROM migrate_history "
      "ORDER BY id");
}

std::string util_join(const V& v) {
  std::string out;
  for (const auto& s : v) out += s + "\n";
  return out;
}

// Two branches from a1: b2 and c2.
void branches(const e2e::Project& p) {
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"}, {"left"});
  p.add_table_rev("c2", {"a1"}, {"right"});
}

}  // namespace

TEST_CASE("log: a revision removed by stamp is logged as unstamp, online", "[e2e][log][stamp]") {
  e2e::Project p;
  branches(p);
  REQUIRE_THAT(p.run({"stamp", "b2", "c2"}), ExitedWith(0));
  // An update (b2 -> a1) removes b2 and stamps a1; the delete removes c2.
  REQUIRE_THAT(p.run({"stamp", "a1"}), ExitedWith(0));
  REQUIRE_THAT(p.run({"stamp", "base"}), ExitedWith(0));
  CHECK(p.version().empty());
  const V rows = history(p);
  REQUIRE(rows.size() == 6);
  CHECK_THAT(util_join(V(rows.begin(), rows.begin() + 2)),
             Contains("b2 stamp ok") && Contains("c2 stamp ok"));
  // The order of the delete and the update within one stamp is the graph's.
  CHECK_THAT(util_join(V(rows.begin() + 2, rows.begin() + 5)),
             Contains("b2 unstamp ok") && Contains("c2 unstamp ok") && Contains("a1 stamp ok"));
  CHECK(rows[5] == "a1 unstamp ok");

  auto text = p.run({"log", "-n", "1"});
  REQUIRE_THAT(text, ExitedWith(0));
  CHECK_THAT(text.out, Contains("  unstamp    a1  "));
  auto j = nlohmann::json::parse(p.run({"log", "--json"}).out);
  REQUIRE(j.size() == 6);
  CHECK(j[0]["direction"] == "unstamp");
  CHECK(j[0]["revision"] == "a1");
  CHECK(j[5]["direction"] == "stamp");
  // A stamp's duration is measured online.
  CHECK(j[0]["duration_ms"].is_number());
}

TEST_CASE("log: an offline stamp's removals are unstamp rows, and offline rows have no duration",
          "[e2e][log][stamp][offline]") {
  e2e::Project p;
  branches(p);
  REQUIRE_THAT(p.run({"stamp", "b2", "c2"}), ExitedWith(0));
  auto sql = p.run({"stamp", "b2,c2:base", "--sql"});
  REQUIRE_THAT(sql, ExitedWith(0));
  testsupport::write_file(p.path("script.sql"), sql.out);
  REQUIRE_THAT(
      testsupport::run_program(p.dir.path(), {"sh", "-c", "sqlite3 -bail app.db < script.sql"}),
      ExitedWith(0));
  CHECK(p.version().empty());
  const V rows = history(p);
  REQUIRE(rows.size() == 4);
  CHECK_THAT(util_join(V(rows.begin() + 2, rows.end())),
             Contains("b2 unstamp ok") && Contains("c2 unstamp ok"));

  // An offline upgrade's row: duration NULL.
  auto up = p.run({"upgrade", "a1", "--sql"});
  REQUIRE_THAT(up, ExitedWith(0));
  testsupport::write_file(p.path("up.sql"), up.out);
  REQUIRE_THAT(
      testsupport::run_program(p.dir.path(), {"sh", "-c", "sqlite3 -bail app.db < up.sql"}),
      ExitedWith(0));
  REQUIRE(p.rows("SELECT duration_ms IS NULL FROM migrate_history ORDER BY id DESC LIMIT 1") ==
          V{"1"});

  auto text = p.run({"log", "-n", "2"});
  REQUIRE_THAT(text, ExitedWith(0));
  CHECK(text.out.find("0.0 ms") == std::string::npos);
  CHECK_THAT(text.out, Contains("  upgrade    a1            ok                -  offline  "));
  auto j = nlohmann::json::parse(p.run({"log", "--json"}).out);
  REQUIRE(j.size() == 5);
  CHECK(j[0]["revision"] == "a1");
  CHECK(j[0]["duration_ms"].is_null());
  CHECK(j[1]["direction"] == "unstamp");
  CHECK(j[1]["duration_ms"].is_null());
  // An online row keeps its number.
  CHECK(j[4]["duration_ms"].is_number());
}
