// The crash-consistency suite, for both backends (crash_sqlite_test.cpp,
// pg_crash_test.cpp): `migrate` is SIGKILLed at a random moment of an
// upgrade, downgrade, stamp or backfill, then invariants are checked:
//  - the version table agrees with the schema: table t_X exists exactly
//    for the revisions X at or below the stored heads;
//  - it agrees with the history: for each revision, the `ok` upgrade rows
//    minus the `ok` downgrade rows are 1 when it is applied, else 0 (so no
//    step was recorded, or applied, twice);
//  - a killed stamp leaves the version table as it was or as the stamp
//    leaves it, nothing in between;
//  - a rerun completes (`upgrade heads` exits 0 and applies the rest);
//  - a killed backfill resumes and fills every row exactly once (at most
//    the killed batch is redone, and it was rolled back).
// Rounds are drawn from a seed: MIGRATE_CRASH_SEED replays one, and
// MIGRATE_CRASH_ROUNDS sets how many (scripts/crash-suite.sh runs many).
// The seed is printed with every failure.
#pragma once

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "e2e/backfill_fixture.h"
#include "e2e/project_fixture.h"

namespace e2e::crash {

// The database under test, whatever the backend.
struct Backend {
  std::vector<std::string> global_args;  // e.g. {"--url", URL}
  std::function<std::vector<std::string>(const std::string&)> rows;
  std::string tables_sql;  // the t_% tables, one name a row, sorted
  // Waits until the killed run has no effect left in flight (PostgreSQL:
  // its server session may still be running the steps it was sent, and
  // commit them, until it notices the client is gone).
  std::function<void()> settle = [] {};
};

inline unsigned long long seed_from_env() {
  if (const char* s = std::getenv("MIGRATE_CRASH_SEED"); s && *s) return std::stoull(s);
  return std::random_device{}() ^ static_cast<unsigned long long>(
                                      std::chrono::steady_clock::now().time_since_epoch().count());
}

inline int rounds_from_env(int fallback) {
  if (const char* s = std::getenv("MIGRATE_CRASH_ROUNDS"); s && *s) return std::stoi(s);
  return fallback;
}

// The graph: a1 <- b2, a1 <- c3 (label side), merge d4 (b2, c3), e5 after
// d4. Every step is transactional and slow enough to be killed inside: it
// creates its table and fills it with `rows` rows.
inline const std::map<std::string, std::vector<std::string>>& parents() {
  static const std::map<std::string, std::vector<std::string>> p = {
      {"a1", {}}, {"b2", {"a1"}}, {"c3", {"a1"}}, {"d4", {"b2", "c3"}}, {"e5", {"d4"}}};
  return p;
}

inline void write_graph(const Project& p, int rows) {
  for (const auto& [id, down] : parents()) {
    const std::string t = "t_" + id;
    p.add({id, down,
           "CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, v TEXT);\n" +
               "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < " +
               std::to_string(rows) + ")\nINSERT INTO " + t + " (id, v) SELECT i, 'x' FROM s;",
           "DROP TABLE " + t + ";",
           id == "c3" ? std::vector<std::string>{"side"} : std::vector<std::string>{}});
  }
}

// The stored heads and everything below them.
inline std::set<std::string> closure(const std::vector<std::string>& heads) {
  std::set<std::string> out;
  std::vector<std::string> todo = heads;
  while (!todo.empty()) {
    std::string id = todo.back();
    todo.pop_back();
    if (!out.insert(id).second) continue;
    for (const auto& d : parents().at(id)) todo.push_back(d);
  }
  return out;
}

inline std::vector<std::string> version(const Backend& b) {
  return b.rows("SELECT version_num FROM migrate_version ORDER BY version_num");
}

// The invariants between the version table, the schema and the history.
inline void check_consistent(const Backend& b) {
  const auto heads = version(b);
  std::set<std::string> expected;
  for (const auto& id : closure(heads)) expected.insert("t_" + id);
  const auto tables = b.rows(b.tables_sql);
  CHECK(std::set<std::string>(tables.begin(), tables.end()) == expected);
  for (const auto& [id, down] : parents()) {
    auto n = b.rows(
        "SELECT coalesce(sum(CASE direction WHEN 'upgrade' THEN 1 WHEN 'downgrade' THEN -1 "
        "ELSE 0 END), 0) FROM migrate_history WHERE status = 'ok' AND revision = '" +
        id + "'");
    INFO("history of " << id);
    CHECK(n == std::vector<std::string>{expected.count("t_" + id) ? "1" : "0"});
  }
}

// The operations a round kills, each valid from some states and refused
// (exit 1, nothing done) from others.
inline std::vector<std::string> random_op(std::mt19937_64& rng) {
  static const std::vector<std::vector<std::string>> ops = {
      {"upgrade", "heads"},  {"upgrade", "b2"},   {"upgrade", "side@head"}, {"upgrade", "+2"},
      {"downgrade", "base"}, {"downgrade", "a1"}, {"downgrade", "-1"},      {"downgrade", "c3"},
      {"upgrade", "e5"},     {"downgrade", "b2"}};
  return ops[rng() % ops.size()];
}

inline std::vector<std::string> with(const Backend& b, std::vector<std::string> args) {
  args.insert(args.begin(), b.global_args.begin(), b.global_args.end());
  return args;
}

// Starts `args`, SIGKILLs it after a random 0..max_ms (when still running).
inline void kill_during(const Project& p, const Backend& b, const std::vector<std::string>& args,
                        std::mt19937_64& rng, int max_ms) {
  BackgroundRun run(p.dir.path(), with(b, args));
  std::this_thread::sleep_for(std::chrono::microseconds(rng() % (max_ms * 1000 + 1)));
  run.kill();
  b.settle();
}

// `rounds` rounds of: settle in a random state (an op run to its end),
// kill an op, check; kill a stamp, check it is all or nothing, restore;
// then a rerun completes.
inline void run_rounds(const Project& p, const Backend& b, int rounds, int max_ms) {
  const unsigned long long seed = seed_from_env();
  std::mt19937_64 rng(seed);
  INFO("crash suite seed " << seed << " (replay: MIGRATE_CRASH_SEED=" << seed << ")");
  for (int round = 0; round < rounds; ++round) {
    INFO("round " << round);
    auto settle = random_op(rng);
    p.run(with(b, settle));
    check_consistent(b);

    auto op = random_op(rng);
    INFO("killed: " << op[0] << " " << op[1]);
    kill_during(p, b, op, rng, max_ms);
    // The first command after the crash reads the database (on SQLite, a
    // read-only command meets the killed run's hot journal).
    REQUIRE_THAT(p.run(with(b, {"current"})), testsupport::ExitedWith(0));
    check_consistent(b);

    // A stamp killed mid-way: before or after, never between.
    const auto before = version(b);
    static const std::vector<std::string> stamp_targets = {"e5", "b2", "heads", "base", "c3"};
    const std::string target = stamp_targets[rng() % stamp_targets.size()];
    kill_during(p, b, {"stamp", target}, rng, max_ms / 4);
    const auto killed = version(b);
    p.run(with(b, {"stamp", target}));
    const auto after = version(b);
    INFO("stamp " << target);
    CHECK((killed == before || killed == after));
    // Back to the state the schema is in.
    std::vector<std::string> restore = {"stamp", "--purge"};
    if (before.empty()) restore.push_back("base");
    restore.insert(restore.end(), before.begin(), before.end());
    REQUIRE_THAT(p.run(with(b, restore)), testsupport::ExitedWith(0));
    REQUIRE(version(b) == before);
    check_consistent(b);
  }
  REQUIRE_THAT(p.run(with(b, {"upgrade", "heads"})), testsupport::ExitedWith(0));
  CHECK(version(b) == std::vector<std::string>{"e5"});
  check_consistent(b);
}

// A backfill of `n` rows killed at random moments, resumed each time:
// `count_hits` gives "rows|min(hits)|max(hits)|rows filled right".
inline void run_backfill_rounds(const Project& p, const Backend& b, int kills, int n,
                                const std::function<std::string()>& count_hits) {
  const unsigned long long seed = seed_from_env();
  std::mt19937_64 rng(seed);
  INFO("crash suite seed " << seed << " (replay: MIGRATE_CRASH_SEED=" << seed << ")");
  REQUIRE_THAT(p.run(with(b, {"upgrade", "a1"})), testsupport::ExitedWith(0));
  for (int i = 0; i < kills; ++i) {
    INFO("kill " << i);
    kill_during(p, b, {"upgrade", "heads"}, rng, 400);
    REQUIRE_THAT(p.run(with(b, {"status"})), testsupport::ExitedWith(0));
    // Rows done so far were each done once: a killed batch rolled back.
    auto rows = b.rows("SELECT count(*) FROM t WHERE hits > 1");
    CHECK(rows == std::vector<std::string>{"0"});
  }
  REQUIRE_THAT(p.run(with(b, {"upgrade", "heads"})), testsupport::ExitedWith(0));
  CHECK(count_hits() == std::to_string(n) + "|1|1|" + std::to_string(n));
  CHECK(version(b) == std::vector<std::string>{"b2"});
}

}  // namespace e2e::crash
