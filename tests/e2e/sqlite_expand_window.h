// A project on a real SQLite file for expand/contract tests: a base
// revision a1, a plan written as the revisions b_expand, b_backfill and
// b_contract by `migrate revision --expand-contract`, the application's
// statements run from the test's own connection, and the database read back.
#pragma once

#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <vector>

#include "e2e/project_fixture.h"
#include "support/matchers.h"

namespace e2e {

struct SqliteWindow {
  Project p;

  explicit SqliteWindow(const std::string& base_sql, const std::string& drop_sql = "") {
    p.add({"a1", {}, base_sql, drop_sql});
    REQUIRE_THAT(p.run({"upgrade", "a1"}), testsupport::ExitedWith(0));
  }
  testsupport::RunResult run(const std::vector<std::string>& args) const { return p.run(args); }
  // Writes plan.yaml and the three revisions b_expand, b_backfill, b_contract.
  testsupport::RunResult plan(const std::string& yaml) const {
    testsupport::write_file(p.path("plan.yaml"), yaml);
    return run({"revision", "--expand-contract", "plan.yaml", "-m", "change", "--rev-id", "b"});
  }
  // plan(), then `upgrade heads`: expand and the backfill engine, then a stop.
  void plan_and_expand(const std::string& yaml) const {
    REQUIRE_THAT(plan(yaml), testsupport::ExitedWith(0));
    auto up = run({"upgrade", "heads"});
    REQUIRE_THAT(up, testsupport::ExitedWith(0));
    CHECK_THAT(up.out, Catch::Matchers::Contains("Stopped before contract b_contract"));
    REQUIRE(p.version() == std::vector<std::string>{"b_backfill"});
  }
  // Adds tuning lines ("batch_rows: 20") to the planned backfill's header.
  void tune_backfill(const std::vector<std::string>& lines) const {
    const std::string path = p.versions() + "/b_backfill_change_backfill.sql";
    std::string text = testsupport::read_file(path);
    std::string add;
    for (const auto& l : lines) add += "--   " + l + "\n";
    text.insert(text.find("\n", text.find("--   key:")) + 1, add);
    testsupport::write_file(path, text);
  }
  // An application's statements, from a connection of the test's own;
  // returns SQLite's error message ("" when they ran).
  std::string exec(const std::string& sql) const {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(p.db().c_str(), &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    char* err = nullptr;
    sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string message = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    return message;
  }
  // The first row of a query (columns joined by "|"), read with a
  // busy_timeout: application writers may hold the lock.
  std::string one(const std::string& sql) const {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(p.db().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    sqlite3_stmt* st = nullptr;
    std::string row = "<no row>";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      row = std::string("<error: ") + sqlite3_errmsg(db) + ">";
    } else if (sqlite3_step(st) == SQLITE_ROW) {
      row.clear();
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const unsigned char* t = sqlite3_column_text(st, i);
        row += (i ? "|" : "") + std::string(t ? reinterpret_cast<const char*>(t) : "NULL");
      }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return row;
  }
  // Column names of `table`, in order, comma-separated.
  std::string columns(const std::string& table) const {
    return one("SELECT group_concat(name, ',') FROM pragma_table_info('" + table + "')");
  }
  // Every row of `table`, each column quote()d, the rows sorted: equal
  // snapshots mean equal contents.
  std::string snapshot(const std::string& table) const {
    std::string cols = columns(table), expr;
    for (std::size_t at = 0; at <= cols.size();) {
      std::size_t end = std::min(cols.find(',', at), cols.size());
      expr += (expr.empty() ? "" : " || ',' || ") + std::string("quote(\"") +
              cols.substr(at, end - at) + "\")";
      at = end + 1;
    }
    return one("SELECT group_concat(r, ';') FROM (SELECT " + expr + " AS r FROM \"" + table +
               "\" ORDER BY 1)");
  }
  // How many sync triggers (migrate_sync_*) the database holds.
  std::string sync_triggers() const {
    return one(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE "
        "'migrate_sync_%'");
  }
};

}  // namespace e2e
