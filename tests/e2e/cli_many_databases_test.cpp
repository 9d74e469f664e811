// Issue 13: one command on many SQLite files (`databases:`, --db,
// --all-databases): prefixed whole lines, the summary, a failure on one
// database with and without --keep-going, a canary, --json, exit code 3 from
// a check, and --jobs with many lines per target.
#include <nlohmann/json.hpp>
#include <regex>

#include "e2e/project_fixture.h"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

// A project with four SQLite databases under `databases:` and two revisions.
struct Fleet {
  e2e::Project p;
  Fleet() {
    std::string cfg = testsupport::read_file(p.path("migrate.yaml"));
    cfg +=
        "databases:\n"
        "  tenant_a: sqlite:///a.db\n"
        "  tenant_b: sqlite:///b.db\n"
        "  tenant_c: sqlite:///c.db\n"
        "  other: sqlite:///o.db\n";
    testsupport::write_file(p.path("migrate.yaml"), cfg);
    p.add_table_rev("r1", {});
    p.add_table_rev("r2", {"r1"});
  }
  V version(const std::string& file) const {
    if (!std::filesystem::exists(p.path(file))) return {};
    return testsupport::sqlite_rows(p.path(file),
                                    "SELECT version_num FROM migrate_version ORDER BY 1");
  }
  // stdout up to the summary (which follows an empty line).
  static V body_lines(const std::string& out) {
    V lines;
    std::size_t start = 0;
    for (std::size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1) {
      std::string line = out.substr(start, nl - start);
      if (line.empty()) break;
      lines.push_back(line);
    }
    return lines;
  }
};

}  // namespace

TEST_CASE("many databases: --all-databases upgrades each, lines prefixed, then a summary",
          "[e2e][databases]") {
  Fleet f;
  auto up = f.p.run({"upgrade", "heads", "--all-databases"});
  REQUIRE_THAT(up, ExitedWith(0));
  for (const char* file : {"a.db", "b.db", "c.db", "o.db"}) CHECK(f.version(file) == V{"r2"});
  CHECK_FALSE(std::filesystem::exists(f.p.db()));  // database_url's app.db untouched
  // Names padded to the longest, then " | ", then the line a single run prints.
  CHECK_THAT(up.out, Contains("tenant_a | Running upgrade <base> -> r1, rev r1  ("));
  CHECK_THAT(up.out, Contains("other    | Running upgrade r1 -> r2, rev r2  ("));
  for (const auto& line : Fleet::body_lines(up.out))
    CHECK(
        std::regex_match(line, std::regex("(tenant_[abc]|other   ) \\| Running upgrade .*ms\\)")));
  CHECK_THAT(up.out, Contains("\ndatabase  from -> to    steps  time"));
  CHECK(std::regex_search(up.out, std::regex("\ntenant_b  <base> -> r2  2      [0-9.]+s +ok\n")));
  CHECK_THAT(up.out, Contains("\n4 databases: 4 ok\n"));

  // Again: nothing to do, each says so, from == to with 0 steps.
  auto again = f.p.run({"upgrade", "heads", "--all-databases"});
  REQUIRE_THAT(again, ExitedWith(0));
  CHECK_THAT(again.out, Contains("tenant_c | Nothing to do: the database is already at heads."));
  CHECK(std::regex_search(again.out, std::regex("\ntenant_c  r2 -> r2 +0 +[0-9.]+s +ok\n")));
}

TEST_CASE("many databases: --db with wildcards, and what it refuses", "[e2e][databases]") {
  Fleet f;
  auto up = f.p.run({"upgrade", "r1", "--db", "tenant_[ab]", "--db=other"});
  REQUIRE_THAT(up, ExitedWith(0));
  CHECK(f.version("a.db") == V{"r1"});
  CHECK(f.version("b.db") == V{"r1"});
  CHECK(f.version("o.db") == V{"r1"});
  CHECK_FALSE(std::filesystem::exists(f.p.path("c.db")));
  CHECK_THAT(up.out, Contains("3 databases: 3 ok"));

  auto cur = f.p.run({"current", "--db", "tenant_*"});
  REQUIRE_THAT(cur, ExitedWith(0));
  CHECK_THAT(cur.out, Contains("tenant_a | r1\n"));
  CHECK_THAT(cur.out, Contains("tenant_b | r1\n"));
  // tenant_c has no file: read-only commands say so and create none.
  CHECK_THAT(cur.err, Contains("tenant_c | migrate: note: "));
  CHECK_FALSE(std::filesystem::exists(f.p.path("c.db")));
  CHECK_THAT(cur.out, !Contains("other"));

  auto none = f.p.run({"current", "--db", "tenant_x*"});
  REQUIRE_THAT(none, ExitedWith(1));
  CHECK_THAT(none.err, Contains("--db 'tenant_x*' matches no configured database (known: "
                                "tenant_a, tenant_b, tenant_c, other)"));
  CHECK_THAT(f.p.run({"--url", "sqlite:///x.db", "current", "--db", "tenant_a"}), ExitedWith(2));
  CHECK_THAT(f.p.run({"upgrade", "heads", "--jobs", "2"}), ExitedWith(2));
  CHECK_THAT(f.p.run({"stamp", "heads", "--json"}), ExitedWith(2));
  CHECK_THAT(f.p.run({"upgrade", "heads", "--all-databases", "--jobs", "0"}), ExitedWith(2));
  // Without --db, database_url is the one target, as ever.
  REQUIRE_THAT(f.p.run({"upgrade", "r1"}), ExitedWith(0));
  CHECK(f.p.version() == V{"r1"});
}

TEST_CASE("many databases: a failing database stops the rest unless --keep-going",
          "[e2e][databases]") {
  Fleet f;
  REQUIRE_THAT(f.p.run({"upgrade", "heads", "--all-databases"}), ExitedWith(0));
  // r3 fails on tenant_b only: the table it creates is already there.
  f.p.add_table_rev("r3", {"r2"});
  REQUIRE_THAT(testsupport::run_program(f.p.dir.path(),
                                        {"sqlite3", f.p.path("b.db"), "CREATE TABLE t_r3 (x);"}),
               ExitedWith(0));

  auto stop = f.p.run({"upgrade", "heads", "--all-databases", "--jobs", "1"});
  REQUIRE_THAT(stop, ExitedWith(1));
  CHECK(f.version("a.db") == V{"r3"});
  CHECK(f.version("b.db") == V{"r2"});
  CHECK(f.version("c.db") == V{"r2"});  // never started
  CHECK(f.version("o.db") == V{"r2"});
  CHECK_THAT(stop.err, Contains("tenant_b | migrate: error: "));
  CHECK_THAT(stop.err, Contains("table t_r3 already exists"));
  CHECK(std::regex_search(stop.out,
                          std::regex("\ntenant_b  r2 -> \\? +0 +[0-9.]+s +failed \\(exit 1\\)\n")));
  CHECK(std::regex_search(stop.out, std::regex("\ntenant_c  - +- +- +skipped\n")));
  CHECK_THAT(stop.out, Contains("4 databases: 1 ok, 1 failed, 2 skipped (not started: tenant_b "
                                "failed (--keep-going runs the rest anyway))"));

  auto going = f.p.run({"upgrade", "heads", "--all-databases", "--keep-going"});
  REQUIRE_THAT(going, ExitedWith(1));
  CHECK(f.version("b.db") == V{"r2"});
  CHECK(f.version("c.db") == V{"r3"});
  CHECK(f.version("o.db") == V{"r3"});
  CHECK_THAT(going.out, Contains("4 databases: 3 ok, 1 failed\n"));
}

TEST_CASE("many databases: a canary runs first, alone, and a failed one stops the run",
          "[e2e][databases]") {
  Fleet f;
  REQUIRE_THAT(f.p.run({"upgrade", "r1", "--all-databases"}), ExitedWith(0));
  f.p.add_table_rev("r3", {"r2"});
  REQUIRE_THAT(testsupport::run_program(f.p.dir.path(),
                                        {"sqlite3", f.p.path("c.db"), "CREATE TABLE t_r3 (x);"}),
               ExitedWith(0));

  // The canary fails: nothing else starts, even with --keep-going.
  auto bad = f.p.run({"upgrade", "heads", "--all-databases", "--canary", "tenant_c", "--keep-going",
                      "--jobs", "4"});
  REQUIRE_THAT(bad, ExitedWith(1));
  for (const char* file : {"a.db", "b.db", "o.db"}) CHECK(f.version(file) == V{"r1"});
  CHECK(f.version("c.db") == V{"r2"});  // r2 committed before r3 failed
  CHECK_THAT(bad.out, Contains("tenant_c (canary)"));
  CHECK_THAT(bad.out, Contains("3 skipped (not started: the canary tenant_c failed)"));

  // --canary 2: the first two, one after the other, before the rest.
  auto good = f.p.run({"upgrade", "r2", "--all-databases", "--canary", "2", "--jobs", "4"});
  REQUIRE_THAT(good, ExitedWith(0));
  V lines = Fleet::body_lines(good.out);
  REQUIRE(lines.size() >= 4);
  CHECK_THAT(lines[0], StartsWith("tenant_a | "));
  CHECK_THAT(lines[1], StartsWith("tenant_b | "));  // tenant_a's one step, then tenant_b's
  CHECK_THAT(good.out, Contains("tenant_a (canary)"));
  CHECK_THAT(good.out, Contains("tenant_b (canary)"));
  CHECK_THAT(f.p.run({"upgrade", "r2", "--all-databases", "--canary", "nobody"}), ExitedWith(2));
}

TEST_CASE("many databases: --json gives one object per database", "[e2e][databases]") {
  Fleet f;
  REQUIRE_THAT(f.p.run({"upgrade", "r1", "--db", "tenant_a"}), ExitedWith(0));
  auto up = f.p.run({"upgrade", "heads", "--db", "tenant_*", "--json"});
  REQUIRE_THAT(up, ExitedWith(0));
  auto j = nlohmann::json::parse(up.out);
  REQUIRE(j["databases"].size() == 3);
  CHECK(j["exit_code"] == 0);
  const auto& a = j["databases"][0];
  CHECK(a["database"] == "tenant_a");
  CHECK(a["result"] == "ok");
  CHECK(a["exit_code"] == 0);
  CHECK(a["from"] == nlohmann::json(V{"r1"}));
  CHECK(a["to"] == nlohmann::json(V{"r2"}));
  CHECK(a["steps"] == 1);
  CHECK(a["canary"] == false);
  CHECK(a["seconds"].is_number());
  REQUIRE(a["output"].size() == 1);
  CHECK_THAT(a["output"][0].get<std::string>(), StartsWith("Running upgrade r1 -> r2, rev r2"));
  CHECK(j["databases"][1]["from"] == nlohmann::json::array());
  CHECK(j["databases"][1]["steps"] == 2);

  // A command with its own --json: each database's document, as is.
  auto st = f.p.run({"status", "--all-databases", "--json"});
  REQUIRE_THAT(st, ExitedWith(0));
  auto sj = nlohmann::json::parse(st.out);
  REQUIRE(sj["databases"].size() == 4);
  CHECK(sj["databases"][0]["output"]["current"] == nlohmann::json(V{"r2"}));
  CHECK(sj["databases"][3]["database"] == "other");
  CHECK(sj["databases"][3]["output"]["pending"].size() == 2);
  CHECK(sj["databases"][3]["output"]["up_to_date"] == false);
}

TEST_CASE("many databases: exit 3 when a check finds one behind, 1 when one fails",
          "[e2e][databases]") {
  Fleet f;
  REQUIRE_THAT(f.p.run({"upgrade", "heads", "--db", "tenant_*"}), ExitedWith(0));
  REQUIRE_THAT(f.p.run({"upgrade", "r1", "--db", "other"}), ExitedWith(0));
  auto check = f.p.run({"check", "--all-databases"});
  REQUIRE_THAT(check, ExitedWith(3));
  CHECK_THAT(check.out, Contains("tenant_a | OK: the database is at its heads"));
  CHECK_THAT(check.err, Contains("other    | migrate: check failed"));
  CHECK(std::regex_search(check.out,
                          std::regex("\nother     r1 +- +[0-9.]+s +behind \\(exit 3\\)\n")));
  CHECK_THAT(check.out, Contains("4 databases: 3 ok, 1 behind"));
  auto status = f.p.run({"status", "--exit-code", "--all-databases"});
  CHECK_THAT(status, ExitedWith(3));
  CHECK_THAT(f.p.run({"current", "--check-heads", "--db", "tenant_*"}), ExitedWith(0));

  // A failure outranks a check: exit 1.
  std::string cfg = testsupport::read_file(f.p.path("migrate.yaml"));
  testsupport::write_file(f.p.path("migrate.yaml"), cfg + "  broken: sqlite:///broken.db\n");
  testsupport::write_file(f.p.path("broken.db"), std::string(4096, 'x'));  // not SQLite
  auto mixed = f.p.run({"status", "--exit-code", "--all-databases", "--keep-going"});
  CHECK_THAT(mixed, ExitedWith(1));
  CHECK_THAT(mixed.out, Contains("5 databases: 3 ok, 1 behind, 1 failed"));
}

TEST_CASE("many databases: --jobs runs several at once, every line whole", "[e2e][databases]") {
  Fleet f;
  // 40 revisions: 40 lines per database, from 4 processes at once.
  std::string down = "r2";
  for (int i = 3; i <= 42; ++i) {
    const std::string id = "r" + std::to_string(i);
    f.p.add_table_rev(id, {down});
    down = id;
  }
  auto up = f.p.run({"upgrade", "heads", "--all-databases", "--jobs", "4"});
  REQUIRE_THAT(up, ExitedWith(0));
  std::map<std::string, int> per_db;
  for (const auto& line : Fleet::body_lines(up.out)) {
    std::smatch m;
    REQUIRE(std::regex_match(
        line, m,
        std::regex("(tenant_[abc]|other   ) \\| Running upgrade (<base>|r[0-9]+) -> r[0-9]+, rev "
                   "r[0-9]+  \\([0-9.]+ ms\\)")));
    ++per_db[m[1]];
  }
  CHECK(per_db == std::map<std::string, int>{
                      {"tenant_a", 42}, {"tenant_b", 42}, {"tenant_c", 42}, {"other   ", 42}});
  for (const char* file : {"a.db", "b.db", "c.db", "o.db"}) CHECK(f.version(file) == V{"r42"});
}

TEST_CASE("many databases: databases_file, relative to the config", "[e2e][databases]") {
  e2e::Project p;
  p.add_table_rev("r1", {});
  std::string cfg = testsupport::read_file(p.path("migrate.yaml"));
  testsupport::write_file(p.path("migrate.yaml"), cfg + "databases_file: fleet/tenants.txt\n");
  testsupport::write_file(p.path("fleet/tenants.txt"),
                          "# one tenant per line\nt1 sqlite:///t1.db\nt2 ${T2_URL}\n");
  auto up = p.run({"upgrade", "heads", "--all-databases"}, {{"T2_URL", "sqlite:///t2.db"}});
  REQUIRE_THAT(up, ExitedWith(0));
  CHECK(testsupport::sqlite_rows(p.path("t1.db"), "SELECT version_num FROM migrate_version") ==
        V{"r1"});
  CHECK(testsupport::sqlite_rows(p.path("t2.db"), "SELECT version_num FROM migrate_version") ==
        V{"r1"});
  // Unset, t2's URL is empty: only choosing it is an error.
  CHECK_THAT(p.run({"current", "--db", "t1"}), ExitedWith(0));
  auto unset = p.run({"current", "--db", "t2"});
  CHECK_THAT(unset, ExitedWith(1));
  CHECK_THAT(unset.err, Contains("fleet/tenants.txt:3: database `t2` has an empty URL"));
}

TEST_CASE("many databases: --sql writes one plain script for the one --db chosen",
          "[e2e][databases]") {
  Fleet f;
  auto one = f.p.run({"upgrade", "heads", "--sql", "--db", "tenant_b"});
  REQUIRE_THAT(one, ExitedWith(0));
  // A script to run as it is: no "name | " prefix, no summary.
  CHECK_THAT(one.out, StartsWith("-- Generated by migrate"));
  CHECK_THAT(one.out, !Contains(" | "));
  CHECK_THAT(one.out, Contains("CREATE TABLE t_r2"));
  CHECK_THAT(one.out, !Contains("databases:"));
  CHECK(f.version("b.db").empty());  // offline: nothing ran
  // Run by sqlite3's own library, it does what the online upgrade does.
  testsupport::sqlite_exec(f.p.path("b.db"), one.out);
  CHECK(f.version("b.db") == V{"r2"});
  // A wildcard choosing three is refused: which script would it be?
  auto stamp = f.p.run({"stamp", "r1", "--sql", "--db", "tenant_?"});
  CHECK_THAT(stamp, ExitedWith(2));
  CHECK_THAT(stamp.err, Contains("--sql writes one script for one database, and "
                                 "--db/--all-databases chose 3 (tenant_a, tenant_b, tenant_c)"));
  auto all = f.p.run({"upgrade", "heads", "--sql", "--all-databases"});
  CHECK_THAT(all, ExitedWith(2));
  CHECK(all.out.empty());
  auto jobs = f.p.run({"downgrade", "r2:r1", "--sql", "--db", "tenant_a", "--jobs", "2"});
  CHECK_THAT(jobs, ExitedWith(2));
  CHECK_THAT(jobs.err, Contains("do not apply to --sql"));
}
