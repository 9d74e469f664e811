// fanout/: whole lines out of a pipe's chunks, and the summary and exit code
// of a run on many databases from its outcomes.
#include <catch2/catch.hpp>

#include "fanout/line_buffer.h"
#include "fanout/summary.h"

using Catch::Matchers::Contains;
using migrate::fanout::LineBuffer;
using migrate::fanout::Outcome;
using migrate::fanout::State;
using V = std::vector<std::string>;

namespace {

Outcome outcome(const std::string& name, State state, int code, nlohmann::json report = {}) {
  Outcome o;
  o.name = name;
  o.started = state != State::kSkipped;
  o.state = state;
  o.exit_code = o.started ? code : -1;
  o.seconds = 0.5;
  if (!report.is_null()) o.report = report;
  return o;
}

}  // namespace

TEST_CASE("LineBuffer: lines split across chunks come out whole", "[fanout]") {
  LineBuffer b;
  CHECK(b.add("Running up").empty());
  CHECK(b.add("grade a -> b\nRunning") == V{"Running upgrade a -> b"});
  CHECK(b.add("\n\nlast") == V{"Running", ""});
  CHECK(b.finish() == V{"last"});
  CHECK(b.finish().empty());
}

TEST_CASE("summary: one row per database, counts, and the exit code", "[fanout]") {
  std::vector<Outcome> all = {
      outcome("tenant_a", State::kOk, 0, {{"from", V{}}, {"to", V{"r2"}}, {"steps", 2}}),
      outcome("tenant_b", State::kBehind, 3, {{"from", V{"r1"}}, {"to", V{"r1"}}}),
  };
  std::string table = migrate::fanout::summary_table(all);
  CHECK_THAT(table, Contains("database  from -> to    steps  time   result\n"));
  CHECK_THAT(table, Contains("tenant_a  <base> -> r2  2      0.50s  ok\n"));
  CHECK_THAT(table, Contains("tenant_b  r1            -      0.50s  behind (exit 3)\n"));
  CHECK_THAT(table, Contains("2 databases: 1 ok, 1 behind\n"));
  CHECK(migrate::fanout::exit_code(all) == 3);

  all.push_back(outcome("tenant_c", State::kFailed, 1, {{"from", V{"r1"}}, {"steps", 0}}));
  all.push_back(outcome("tenant_d", State::kSkipped, -1));
  all.back().why = "not started: tenant_c failed";
  table = migrate::fanout::summary_table(all);
  CHECK_THAT(table, Contains("tenant_c  r1 -> ?       0      0.50s  failed (exit 1)\n"));
  CHECK_THAT(table, Contains("tenant_d  -             -      -      skipped\n"));
  CHECK_THAT(table, Contains("4 databases: 1 ok, 1 behind, 1 failed, 1 skipped (not started: "
                             "tenant_c failed)\n"));
  CHECK(migrate::fanout::exit_code(all) == 1);

  auto j = migrate::fanout::outcomes_json(all);
  CHECK(j["exit_code"] == 1);
  REQUIRE(j["databases"].size() == 4);
  CHECK(j["databases"][2]["to"].is_null());
  CHECK(j["databases"][3]["exit_code"].is_null());
  CHECK(j["databases"][3]["reason"] == "not started: tenant_c failed");
  CHECK(j["databases"][1]["result"] == "behind");

  CHECK(migrate::fanout::exit_code({outcome("a", State::kOk, 0)}) == 0);
  CHECK(migrate::fanout::exit_code({outcome("a", State::kInterrupted, 130)}) == 1);
}
