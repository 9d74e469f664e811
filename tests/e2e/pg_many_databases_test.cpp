// Issue 13 on the real PostgreSQL servers: several databases created on
// two clusters (and an SQLite file) in one config, their URLs from ${VAR}s; a revision
// that fails on one database only; --jobs running steps at the same moment
// (a barrier only passed when every target's step is running); SIGINT to the
// parent (the running target finishes, no new one starts), twice to the
// parent (the second is passed on) and to the whole process group (the
// running step rolls back).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "e2e/backfill_fixture.h"
#include "e2e/pg_fixture.h"
#include "test_paths.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

// Three databases, two on the test server and one on the second cluster
// scripts/test.sh starts, and one SQLite file, under `databases:` with their
// URLs from the environment (env()).
// `one_server`: all three on the test server (the tests that watch the
// runs in its pg_stat_activity).
struct PgFleet {
  e2e::Project p;
  e2e::TempPgDatabase a, b, c;
  explicit PgFleet(bool one_server = false)
      : c(one_server ? testsupport::pg_url() : testsupport::pg2_url()) {
    std::string cfg = testsupport::read_file(p.path("migrate.yaml"));
    cfg +=
        "databases:\n"
        "  pg_a: ${FANOUT_A_URL}\n"
        "  pg_b: ${FANOUT_B_URL}\n"
        "  pg_c: ${FANOUT_C_URL}\n"
        "  lite: sqlite:///lite.db\n";
    testsupport::write_file(p.path("migrate.yaml"), cfg);
  }
  std::map<std::string, std::string> env() const {
    return {{"FANOUT_A_URL", a.url()}, {"FANOUT_B_URL", b.url()}, {"FANOUT_C_URL", c.url()}};
  }
  testsupport::RunResult run(const std::vector<std::string>& args) const {
    return p.run(args, env());
  }
  V lite_version() const {
    if (!std::filesystem::exists(p.path("lite.db"))) return {};
    return testsupport::sqlite_rows(p.path("lite.db"), "SELECT version_num FROM migrate_version");
  }
};

// `migrate ARGS...` in the background, in its own process group (as a shell
// runs a job), its output to files: a test can send SIGINT to it alone or
// to the group (what Ctrl-C on a terminal does), then wait for its result.
class Job {
 public:
  Job(const std::string& cwd, const std::vector<std::string>& args,
      const std::map<std::string, std::string>& env)
      : out_(cwd + "/job.out"), err_(cwd + "/job.err") {
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      setpgid(0, 0);
      if (chdir(cwd.c_str()) != 0) _exit(127);
      setenv("DATABASE_URL", "", 1);
      setenv("MIGRATE_CONFIG", "", 1);
      for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
      if (!freopen(out_.c_str(), "w", stdout) || !freopen(err_.c_str(), "w", stderr)) _exit(127);
      std::vector<char*> argv{const_cast<char*>(MIGRATE_BINARY)};
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(MIGRATE_BINARY, argv.data());
      _exit(127);
    }
    setpgid(pid_, pid_);  // either side may run first
  }
  ~Job() {
    if (pid_ > 0) {
      kill(-pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;

  void interrupt_parent() const { kill(pid_, SIGINT); }
  void interrupt_group() const { kill(-pid_, SIGINT); }
  testsupport::RunResult wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    testsupport::RunResult r;
    r.command = "migrate (background job)";
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = testsupport::read_file(out_);
    r.err = testsupport::read_file(err_);
    return r;
  }

 private:
  pid_t pid_ = -1;
  std::string out_, err_;
};

// Sessions on the server whose running statement holds `marker`.
int sessions_running(const e2e::TempPgDatabase& any, const std::string& marker) {
  return std::stoi(
      any.rows("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND "
               "query LIKE '%" +
               marker + "%' AND pid <> pg_backend_pid()")[0]);
}

}  // namespace

TEST_CASE("pg many databases: two servers' databases and an SQLite file in one run",
          "[e2e][databases]") {
  PgFleet f;
  f.p.add_table_rev("r1", {});
  f.p.add_table_rev("r2", {"r1"});
  auto up = f.run({"upgrade", "heads", "--all-databases", "--jobs", "4"});
  REQUIRE_THAT(up, ExitedWith(0));
  for (const auto* db : {&f.a, &f.b, &f.c}) {
    CHECK(db->version() == V{"r2"});
    CHECK(db->tables() == V{"t_r1", "t_r2"});
    CHECK(db->history_count() == 2);
  }
  CHECK(f.lite_version() == V{"r2"});
  CHECK_THAT(up.out, Contains("pg_b | Running upgrade r1 -> r2, rev r2  ("));
  CHECK_THAT(up.out, Contains("4 databases: 4 ok"));
  // The URLs (with the server's password, if any) never show: names only.
  CHECK_THAT(up.out, !Contains("postgresql://"));

  auto cur = f.run({"current", "--all-databases", "--json"});
  REQUIRE_THAT(cur, ExitedWith(0));
  auto j = nlohmann::json::parse(cur.out);
  REQUIRE(j["databases"].size() == 4);
  for (const auto& d : j["databases"]) {
    CHECK(d["output"]["stored"] == nlohmann::json(V{"r2"}));
    CHECK(d["result"] == "ok");
  }
  CHECK(j["databases"][1]["output"]["database"].get<std::string>().find(f.b.name()) !=
        std::string::npos);

  // Down again on two of them, by wildcard.
  REQUIRE_THAT(f.run({"downgrade", "r1", "--db", "pg_[ab]"}), ExitedWith(0));
  CHECK(f.a.version() == V{"r1"});
  CHECK(f.b.version() == V{"r1"});
  CHECK(f.c.version() == V{"r2"});
  auto status = f.run({"status", "--exit-code", "--all-databases"});
  CHECK_THAT(status, ExitedWith(3));
  CHECK_THAT(status.out, Contains("4 databases: 2 ok, 2 behind"));
}

TEST_CASE("pg many databases: a revision failing on one database, with and without --keep-going",
          "[e2e][databases]") {
  PgFleet f;
  f.p.add_table_rev("r1", {});
  f.p.add_table_rev("r2", {"r1"});
  f.b.exec("CREATE TABLE t_r2 (x int)");  // r2 fails here only
  auto stop = f.run({"upgrade", "heads", "--all-databases", "--jobs", "1"});
  REQUIRE_THAT(stop, ExitedWith(1));
  CHECK(f.a.version() == V{"r2"});
  CHECK(f.b.version() == V{"r1"});  // r1 committed, r2 rolled back
  CHECK(f.b.history_count("revision = 'r2'") == 0);
  CHECK(f.c.version().empty());  // never started
  CHECK(f.lite_version().empty());
  CHECK_THAT(stop.err, Contains("pg_b | migrate: error: "));
  CHECK_THAT(stop.err, Contains("\"t_r2\" already exists"));
  CHECK_THAT(stop.out, Contains("4 databases: 1 ok, 1 failed, 2 skipped"));

  auto going = f.run({"upgrade", "heads", "--all-databases", "--keep-going", "--jobs", "2"});
  REQUIRE_THAT(going, ExitedWith(1));
  CHECK(f.b.version() == V{"r1"});
  CHECK(f.c.version() == V{"r2"});
  CHECK(f.lite_version() == V{"r2"});
  CHECK_THAT(going.out, Contains("4 databases: 3 ok, 1 failed"));

  // A canary that fails stops the rest before they start.
  f.p.add_table_rev("r3", {"r2"});
  f.b.exec("DROP TABLE t_r2");
  f.c.exec("CREATE TABLE t_r3 (x int)");
  auto canary = f.run({"upgrade", "heads", "--all-databases", "--canary", "pg_c"});
  REQUIRE_THAT(canary, ExitedWith(1));
  CHECK(f.a.version() == V{"r2"});
  CHECK(f.b.version() == V{"r1"});
  CHECK_THAT(canary.out, Contains("3 skipped (not started: the canary pg_c failed)"));
}

TEST_CASE("pg many databases: --jobs 3 runs three databases' steps at the same moment",
          "[e2e][databases]") {
  PgFleet f(/*one_server=*/true);
  // Each database's step waits (up to 30 s) until it sees all three running
  // it (pg_stat_activity, its snapshot cleared on each look), then stays a
  // moment so that the others, looking every 50 ms, see it too: it passes
  // only if the three runs overlap.
  f.p.add({"r1",
           {},
           "DO $$ DECLARE n int; BEGIN -- fanout_barrier_7f3\n"
           "  FOR i IN 1..600 LOOP\n"
           "    PERFORM pg_stat_clear_snapshot();\n"
           "    SELECT count(*) INTO n FROM pg_stat_activity WHERE state = 'active'\n"
           "      AND query LIKE '%fanout_barrier' || '_7f3%';\n"
           "    EXIT WHEN n >= 3;\n"
           "    PERFORM pg_sleep(0.05);\n"
           "  END LOOP;\n"
           "  IF n < 3 THEN RAISE EXCEPTION 'only % of 3 databases at the barrier', n; END IF;\n"
           "  PERFORM pg_sleep(0.5);\n"
           "END $$;\n"
           "CREATE TABLE t_r1 (id int);",
           "DROP TABLE t_r1;"});
  auto up = f.run({"upgrade", "heads", "--db", "pg_*", "--jobs", "3"});
  REQUIRE_THAT(up, ExitedWith(0));
  for (const auto* db : {&f.a, &f.b, &f.c}) CHECK(db->version() == V{"r1"});
  CHECK_THAT(up.out, Contains("3 databases: 3 ok"));
}

TEST_CASE("pg many databases: SIGINT stops new databases, the running one finishes or rolls back",
          "[e2e][databases]") {
  PgFleet f(/*one_server=*/true);
  f.p.add({"r1",
           {},
           "SELECT pg_sleep(3) AS sigint_marker_4c1; CREATE TABLE t_r1 (id int);",
           "DROP TABLE t_r1;"});

  SECTION("SIGINT to migrate alone: pg_a's step finishes, nothing else starts") {
    Job job(f.p.dir.path(), {"upgrade", "heads", "--db", "pg_*", "--jobs", "1"}, f.env());
    REQUIRE(e2e::wait_until([&] { return sessions_running(f.a, "sigint_marker_4c1") == 1; }));
    job.interrupt_parent();
    auto r = job.wait();
    CHECK_THAT(r, ExitedWith(1));
    CHECK(f.a.version() == V{"r1"});
    CHECK(f.a.tables() == V{"t_r1"});
    CHECK(f.b.version().empty());
    CHECK(f.c.version().empty());
    CHECK_THAT(r.out, Contains("3 databases: 1 ok, 2 skipped (not started: interrupted (SIGINT))"));
  }
  SECTION("a second SIGINT to migrate is passed on: pg_a's step rolls back") {
    Job job(f.p.dir.path(), {"upgrade", "heads", "--db", "pg_*", "--jobs", "1"}, f.env());
    REQUIRE(e2e::wait_until([&] { return sessions_running(f.a, "sigint_marker_4c1") == 1; }));
    job.interrupt_parent();
    // Two signals sent at once may arrive as one: the second a moment later.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    job.interrupt_parent();
    auto r = job.wait();
    CHECK_THAT(r, ExitedWith(1));
    REQUIRE(e2e::wait_until([&] { return sessions_running(f.a, "sigint_marker_4c1") == 0; }));
    CHECK(f.a.version().empty());
    CHECK(f.a.tables().empty());
    CHECK(f.b.version().empty());
    CHECK_THAT(r.out, Contains("3 databases: 1 interrupted, 2 skipped"));
  }
  SECTION("SIGINT to the process group (Ctrl-C): pg_a's step rolls back") {
    Job job(f.p.dir.path(), {"upgrade", "heads", "--db", "pg_*", "--jobs", "1"}, f.env());
    REQUIRE(e2e::wait_until([&] { return sessions_running(f.a, "sigint_marker_4c1") == 1; }));
    job.interrupt_group();
    auto r = job.wait();
    CHECK_THAT(r, ExitedWith(1));
    REQUIRE(e2e::wait_until([&] { return sessions_running(f.a, "sigint_marker_4c1") == 0; }));
    CHECK(f.a.version().empty());
    CHECK(f.a.tables().empty());
    CHECK(f.b.version().empty());
    CHECK_THAT(r.out, Contains("3 databases: 1 interrupted, 2 skipped"));
    // Nothing was left half done: the next run does all three.
    REQUIRE_THAT(f.run({"upgrade", "heads", "--db", "pg_*"}), ExitedWith(0));
    for (const auto* db : {&f.a, &f.b, &f.c}) CHECK(db->version() == V{"r1"});
  }
}

TEST_CASE("pg many databases: a backfill runs on each database of the run", "[e2e][databases]") {
  PgFleet f;
  // Valid on both backends: a recursive CTE, not generate_series.
  f.p.add({"r1",
           {},
           "CREATE TABLE items (id integer PRIMARY KEY, a integer NOT NULL, b integer);\n"
           "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 2500)\n"
           "INSERT INTO items (id, a) SELECT i, i FROM s;",
           "DROP TABLE items;"});
  e2e::add_backfill_rev(f.p, "r2", "r1",
                        {"table: items", "key: [id]", "set: {b: a * 2}", "batch_rows: 400"});
  auto up = f.run({"upgrade", "heads", "--all-databases", "--jobs", "4"});
  INFO(up.out << up.err);
  REQUIRE_THAT(up, ExitedWith(0));
  CHECK_THAT(up.out, Contains("4 databases: 4 ok"));
  const std::string filled = "SELECT count(*) FROM items WHERE b = a * 2";
  for (const auto* db : {&f.a, &f.b, &f.c}) {
    CHECK(db->version() == V{"r2"});
    CHECK(db->rows(filled) == V{"2500"});
  }
  CHECK(testsupport::sqlite_rows(f.p.path("lite.db"), filled) == V{"2500"});
  // Each database kept its own progress row, and each is done.
  CHECK(f.c.rows("SELECT count(*) FROM migrate_backfill") == V{"0"});
}
