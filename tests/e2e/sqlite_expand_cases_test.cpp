// End to end on real SQLite files: plans SQLite refuses (with the plan
// file's line, no file written), a contract refused while rows are not
// backfilled, a contract downgrade refused for lack of `down`, and offline
// --sql of the three phases.
#include <filesystem>

#include "test_paths.h"
#include "e2e/backfill_fixture.h"
#include "e2e/sqlite_expand_window.h"

using Catch::Matchers::Contains;
using e2e::SqliteWindow;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

namespace {

const char* const kBase =
    "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, phone TEXT, nick TEXT);\n"
    "CREATE TABLE nopk (a TEXT, b TEXT);\n"
    "INSERT INTO users (email, phone) VALUES ('a@x', '1'), ('b@x', NULL);";

std::size_t revision_files(const SqliteWindow& w) {
  std::size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(w.p.versions()))
    if (e.path().extension() == ".sql") ++n;
  return n;
}

void refused(const std::string& yaml, const std::string& message) {
  INFO(yaml);
  SqliteWindow w(kBase);
  auto r = w.plan(yaml);
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains(message));
  CHECK(revision_files(w) == 1);  // a1 only
}

// The backfill step of `upgrade --sql` output: from its note to the
// contract step's header.
std::string backfill_step(const std::string& out) {
  const auto at = out.find("-- phase: backfill.");
  REQUIRE(at != std::string::npos);
  const auto end = out.find("(contract)", at);
  REQUIRE(end != std::string::npos);
  return out.substr(at, end - at);
}

}  // namespace

TEST_CASE("sqlite expand: unsafe or unsupported plans are refused with the plan's line",
          "[e2e][expand]") {
  refused("table: nopk\noperations:\n  - rename_column: {from: a, to: c}\n",
          "plan.yaml:1: table main.nopk has no primary key and no unique key over NOT NULL "
          "columns");
  refused("table: users\noperations:\n  - change_type: {column: phone, to: p2, type: INTEGER}\n",
          "plan.yaml:3: change_type needs `up`");
  refused("table: users\noperations:\n  - rename_column: {from: phone, to: nick}\n",
          "plan.yaml:3: column nick already exists in main.users");
  refused("table: users\noperations:\n  - drop_column: {column: email}\n",
          "plan.yaml:3: drop_column of email needs `down`: the column is NOT NULL without a "
          "default, and the new version's inserts do not name it");
}

TEST_CASE("sqlite expand: the contract refuses while rows are not backfilled", "[e2e][expand]") {
  SqliteWindow w(kBase);
  REQUIRE_THAT(w.plan("table: users\noperations:\n  - rename_column: {from: phone, to: tel}\n"),
               ExitedWith(0));
  REQUIRE_THAT(w.run({"upgrade", "b_expand"}), ExitedWith(0));
  // The backfill is skipped (stamped): the old rows' new column is still NULL.
  REQUIRE_THAT(w.run({"stamp", "b_backfill"}), ExitedWith(0));
  auto c = w.run({"upgrade", "heads", "--contract"});
  CHECK_THAT(c, ExitedWith(1));
  CHECK_THAT(c.err, Contains("contract refused: rows of main.users are not backfilled yet"));
  CHECK_THAT(c.err, Contains("1 row(s)"));  // ('b@x', NULL) is in step
  CHECK(w.p.version() == V{"b_backfill"});
  CHECK(w.sync_triggers() == "2");  // the window is still open
  REQUIRE(w.exec("UPDATE users SET tel = phone;") == "");
  REQUIRE_THAT(w.run({"upgrade", "heads", "--contract"}), ExitedWith(0));
  CHECK(w.columns("users") == "id,email,tel,nick");
}

TEST_CASE("sqlite expand: a contract without `down` cannot be downgraded", "[e2e][expand]") {
  SqliteWindow w(kBase);
  w.plan_and_expand("table: users\noperations:\n  - drop_column: {column: nick}\n");
  REQUIRE_THAT(w.run({"upgrade", "heads", "--contract"}), ExitedWith(0));
  CHECK(w.columns("users") == "id,email,phone");
  auto d = w.run({"downgrade", "b_backfill"});
  CHECK_THAT(d, ExitedWith(1));
  CHECK_THAT(d.err, Contains("downgrade of the contract of main.users refused: drop_column "
                             "(plan.yaml:3) has no `down`"));
  CHECK(w.p.version() == V{"b_contract"});
  CHECK(w.columns("users") == "id,email,phone");
}

TEST_CASE("sqlite expand: offline --sql prints every phase", "[e2e][expand]") {
  SqliteWindow w(kBase);
  REQUIRE_THAT(w.plan("table: users\noperations:\n  - rename_column: {from: phone, to: tel}\n"
                      "  - create_index: {name: users_tel_idx, columns: [tel]}\n"),
               ExitedWith(0));
  auto sql = w.run({"upgrade", "a1:b_contract", "--sql"});
  REQUIRE_THAT(sql, ExitedWith(0));
  CHECK_THAT(sql.out, Contains("ALTER TABLE users ADD COLUMN tel text;"));
  CHECK_THAT(sql.out, Contains("CREATE TRIGGER migrate_sync_users_insert AFTER INSERT ON users"));
  // The backfill's rows need a live connection: said, and no UPDATE of them printed.
  CHECK_THAT(sql.out, Contains("-- phase: backfill. Its rows are filled by migrate's backfill "
                               "engine in short,\n-- resumable batches, which needs a live "
                               "connection: run `migrate upgrade` for\n-- this step."));
  CHECK_THAT(backfill_step(sql.out), !Contains("UPDATE users"));
  CHECK_THAT(sql.out, Contains("ALTER TABLE users RENAME COLUMN phone TO tel;"));
  CHECK_THAT(sql.out, Contains("CREATE INDEX IF NOT EXISTS users_tel_idx ON users (tel);"));
}

TEST_CASE("sqlite expand: offline --sql of a rebuild says the copy needs a live connection",
          "[e2e][expand]") {
  SqliteWindow w(kBase);
  REQUIRE_THAT(w.plan("table: users\noperations:\n  - rename_column: {from: email, to: mail}\n"),
               ExitedWith(0));
  auto sql = w.run({"upgrade", "a1:b_contract", "--sql"});
  REQUIRE_THAT(sql, ExitedWith(0));
  CHECK_THAT(sql.out, Contains("PRAGMA writable_schema = ON;"));
  CHECK_THAT(sql.out, Contains("CREATE TABLE migrate_new_users ("));
  CHECK_THAT(sql.out, Contains("which needs a live connection"));
  // Neither the fill nor the copy is printed as if it were done offline.
  CHECK_THAT(backfill_step(sql.out), !Contains("UPDATE users"));
  CHECK_THAT(backfill_step(sql.out), !Contains("INSERT INTO migrate_new_users"));
  CHECK_THAT(sql.out, Contains("ALTER TABLE migrate_new_users RENAME TO users;"));
}

TEST_CASE("sqlite expand: an offline script stops before recording a backfill it cannot do",
          "[e2e][expand]") {
  SqliteWindow w(kBase);
  REQUIRE_THAT(w.plan("table: users\noperations:\n  - rename_column: {from: phone, to: tel}\n"),
               ExitedWith(0));
  auto sql = w.run({"upgrade", "a1:b_contract", "--sql"});
  REQUIRE_THAT(sql, ExitedWith(0));
  testsupport::write_file(w.p.path("script.sql"), sql.out);
  auto bail = [&](const std::string& script) {
    return testsupport::run_program(w.p.dir.path(),
                                    {"sh", "-c", "sqlite3 -bail " + w.p.db() + " < " + script});
  };
  // Run as it is: the expand is done, the backfill refuses to be recorded
  // (the row ('a@x', '1') has no tel yet), the contract never starts.
  auto run = bail("script.sql");
  CHECK_THAT(run, ExitedWith(1));
  CHECK_THAT(run.err, Contains("backfill b_backfill needs a live connection: rows of main.users "
                               "are not filled yet; run `migrate upgrade b_backfill`"));
  CHECK_THAT(run.err, Contains("1 row(s)"));
  CHECK(w.p.version() == V{"b_expand"});
  CHECK(w.columns("users") == "id,email,phone,nick,tel");
  // Online, the engine fills the rows; the rest of the script then runs.
  REQUIRE_THAT(w.run({"upgrade", "b_backfill"}), ExitedWith(0));
  auto rest = w.run({"upgrade", "b_backfill:b_contract", "--sql"});
  REQUIRE_THAT(rest, ExitedWith(0));
  testsupport::write_file(w.p.path("rest.sql"), rest.out);
  REQUIRE_THAT(bail("rest.sql"), ExitedWith(0));
  CHECK(w.p.version() == V{"b_contract"});
  CHECK(w.columns("users") == "id,email,tel,nick");
}

TEST_CASE("docs/zero-downtime.md: the SQLite example plan runs as documented", "[e2e][expand]") {
  const std::string doc =
      testsupport::read_file(std::string(MIGRATE_REPO_DIR) + "/docs/zero-downtime.md");
  const auto mark = doc.find("checked by tests/e2e/sqlite_expand_cases_test.cpp");
  REQUIRE(mark != std::string::npos);
  const auto begin = doc.find("```yaml\n", mark) + 8;
  const std::string plan = doc.substr(begin, doc.find("```", begin) - begin);
  CHECK_THAT(plan, Contains("table: users"));

  SqliteWindow w(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL DEFAULT '', amount_cents "
      "INTEGER, legacy TEXT);\n"
      "INSERT INTO users (email, amount_cents, legacy) VALUES ('a@x', 150000, 'l'), ('b@x', 5, "
      "NULL);",
      "DROP TABLE users;");
  w.plan_and_expand(plan);
  REQUIRE(w.exec("INSERT INTO users (email, amount_cents) VALUES ('old@x', 7);") == "");
  REQUIRE(w.exec("INSERT INTO users (email_address, amount) VALUES ('new@x', 0.5);") == "");
  CHECK(w.one("SELECT group_concat(email || '/' || amount || '/' || legacy || '/' || currency, "
              "' ') FROM users WHERE id > 2") == "old@x/0.07/none/EUR new@x/0.5/none/EUR");
  REQUIRE_THAT(w.run({"upgrade", "heads", "--contract"}), ExitedWith(0));
  CHECK(w.columns("users") == "id,email_address,amount,currency");
  CHECK(w.one("SELECT group_concat(name) FROM (SELECT name FROM sqlite_schema WHERE type = "
              "'index' AND sql IS NOT NULL ORDER BY name)") == "users_email_key,users_rich_idx");
  REQUIRE_THAT(w.run({"downgrade", "a1"}), ExitedWith(0));
  CHECK(w.one("SELECT group_concat(name) FROM (SELECT name FROM pragma_table_info('users') ORDER "
              "BY name)") == "amount_cents,email,id,legacy");
}

TEST_CASE("sqlite expand: a SIGKILL mid-backfill, then a resumed run redoes no batch",
          "[e2e][expand]") {
  SqliteWindow w(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, phone TEXT, nick TEXT);\n"
      "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 3000)\n"
      "INSERT INTO users (email) SELECT 'u' || i FROM g;");
  REQUIRE_THAT(w.plan("table: users\noperations:\n  - rename_column: {from: email, to: mail}\n"),
               ExitedWith(0));
  w.tune_backfill({"batch_rows: 20", "batch_time: 10s", "pause: 30ms"});
  REQUIRE_THAT(w.run({"upgrade", "b_expand"}), ExitedWith(0));
  auto batches = [&] {
    return std::stoll(w.one("SELECT coalesce(max(batches), 0) FROM migrate_backfill"));
  };
  {
    e2e::BackgroundRun run(w.p.dir.path(), {"upgrade", "heads"});
    REQUIRE(e2e::wait_until([&] { return batches() >= 3; }));
    run.kill();
  }
  const long long walked = std::stoll(w.one("SELECT rows_walked FROM migrate_backfill"));
  CHECK(walked > 0);
  CHECK(walked < 3000);
  CHECK(w.p.version() == V{"b_expand"});
  CHECK(w.one("SELECT count(*) FROM users WHERE mail IS NOT NULL") == std::to_string(walked));

  auto r = w.p.run({"upgrade", "heads"}, {{"MIGRATE_BACKFILL_STATS", w.p.path("stats.jsonl")}});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(w.p.version() == V{"b_backfill"});
  CHECK(w.one("SELECT count(*) FROM users WHERE mail IS NOT email") == "0");
  // The resumed run walked exactly the rows the killed one had not committed.
  long long resumed = 0;
  const std::string stats = testsupport::read_file(w.p.path("stats.jsonl"));
  for (auto at = stats.find("\"rows\": "); at != std::string::npos;
       at = stats.find("\"rows\": ", at + 1))
    resumed += std::stoll(stats.substr(at + 8));
  CHECK(resumed == 3000 - walked);
}
