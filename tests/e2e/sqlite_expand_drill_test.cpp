// The drill on a real SQLite file: live writers of both application
// versions across the phases of an expand/contract change, each on its own
// connection with a busy_timeout. Old-version writers (inserts, updates,
// deletes of their own rows through email and amount_cents) run from before
// the expand until just before the contract; new-version writers (through
// email_address and amount) from the end of the expand until after the
// contract; the real backfill engine fills the rows in short batches
// meanwhile. No application statement may fail, no acknowledged write may
// be lost or changed, and in the window every row satisfies new = up(old)
// and old = down(new).
#include <sqlite3.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "e2e/drill_writer.h"
#include "e2e/sqlite_expand_window.h"

using e2e::SqliteWindow;
using testsupport::ExitedWith;

namespace {

constexpr int kBusyTimeoutMs = 5000;

// A writer on its own connection with a busy_timeout, 2 ms between writes.
class Writer : public e2e::DrillWriter {
 public:
  Writer(const std::string& path, bool new_version, int n)
      : DrillWriter(new_version, n, std::chrono::milliseconds(2)), path_(path) {
    start();
  }
  ~Writer() override { stop(); }

 private:
  void exec(const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    const std::string message = err ? err : "";
    sqlite3_free(err);
    if (rc != SQLITE_OK) throw std::runtime_error(sql + ": " + message);
  }
  void connect() override {
    if (sqlite3_open(path_.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("cannot open");
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  }
  long long insert(const std::string& email_col, const std::string& email,
                   const std::string& amount_col, const std::string& amount,
                   const std::string& note) override {
    exec("INSERT INTO users (" + email_col + ", " + amount_col + ", note) VALUES ('" + email +
         "', " + amount + ", '" + note + "')");
    return sqlite3_last_insert_rowid(db_);
  }
  bool update(long long id, const std::string& email_col, const std::string& email,
              const std::string& amount_col, const std::string& amount) override {
    exec("UPDATE users SET " + email_col + " = '" + email + "', " + amount_col + " = " + amount +
         " WHERE id = " + std::to_string(id));
    return sqlite3_changes(db_) == 1;
  }
  void remove(long long id) override { exec("DELETE FROM users WHERE id = " + std::to_string(id)); }
  void disconnect() override { sqlite3_close(db_); }

  std::string path_;
  sqlite3* db_ = nullptr;
};

void settle(std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }

const char* const kInStep =
    "SELECT count(*) FROM users WHERE email_address IS NOT email OR amount IS NOT amount_cents / "
    "100.0 OR amount_cents IS NOT CAST(round(amount * 100) AS INTEGER)";

// The drill for a plan of rename_column and change_type plus `more`
// operations; `columns`: the table's columns after the contract;
// `constraint`: of email and amount_cents (" NOT NULL").
void drill(const std::string& more, const std::string& columns,
           const std::string& constraint = "") {
  SqliteWindow w(
      "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT" + constraint +
          ", amount_cents INTEGER" + constraint +
          ", "
          "note TEXT);\n"
          "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 20000)\n"
          "INSERT INTO users (email, amount_cents, note) SELECT 'seed' || i || '@x', i, 'seed' "
          "FROM "
          "g;",
      "DROP TABLE users;");
  REQUIRE_THAT(
      w.plan("table: users\noperations:\n"
             "  - rename_column: {from: email, to: email_address}\n"
             "  - change_type: {column: amount_cents, to: amount, type: REAL, up: "
             "\"amount_cents / 100.0\", down: \"CAST(round(amount * 100) AS INTEGER)\"}\n" +
             more),
      ExitedWith(0));
  // Small batches: the engine's batches interleave with the writers.
  w.tune_backfill({"batch_rows: 200", "batch_time: 20ms"});

  // WAL, as an application sharing the file uses: readers never wait. (AUTOINCREMENT:
  // a deleted id is never given to another writer's insert.)
  REQUIRE(w.exec("PRAGMA journal_mode = WAL;") == "");
  e2e::DrillWriters old_writers, new_writers;
  for (int i = 0; i < 3; ++i) old_writers.push_back(std::make_unique<Writer>(w.p.db(), false, i));
  settle(std::chrono::milliseconds(300));
  // Expand and backfill under live old-version traffic.
  auto up = w.run({"upgrade", "heads"});
  REQUIRE_THAT(up, ExitedWith(0));
  for (int i = 0; i < 3; ++i) new_writers.push_back(std::make_unique<Writer>(w.p.db(), true, i));
  settle(std::chrono::milliseconds(800));
  e2e::wait_for_statements(old_writers, 11);
  e2e::wait_for_statements(new_writers, 6);
  for (auto& wr : old_writers) wr->stop();
  // Every row, whoever wrote it, holds both sides in step.
  CHECK(w.one(kInStep) == "0");
  const auto before_contract = e2e::statements_of(new_writers);
  auto contract = w.run({"upgrade", "heads", "--contract"});
  REQUIRE_THAT(contract, ExitedWith(0));
  settle(std::chrono::milliseconds(500));
  e2e::wait_for_statements(new_writers, 5, before_contract);
  for (auto& wr : new_writers) wr->stop();

  // No statement failed, every acknowledged write is there (through the new columns).
  e2e::check_ledger({&old_writers, &new_writers},
                    e2e::by_id(w.p.rows("SELECT id || '|' || email_address || '|' || "
                                        "CAST(round(amount * 100) AS INTEGER) FROM users WHERE "
                                        "note <> 'seed'")));
  CHECK(w.one("SELECT count(*) || ',' || sum(email_address = 'seed' || id || '@x') || ',' || "
              "sum(amount = id / 100.0) FROM users WHERE note = 'seed'") == "20000,20000,20000");
  CHECK(w.columns("users") == columns);
}

}  // namespace

TEST_CASE(
    "sqlite expand/contract drill: both versions write through every phase, nothing fails or "
    "is lost",
    "[e2e][expand][drill]") {
  drill("", "id,email_address,note,amount");
}

TEST_CASE("sqlite expand/contract drill with a table rebuild: the same, the table swapped",
          "[e2e][expand][drill]") {
  drill("  - add_check: {name: note_short, check: \"length(note) < 100\"}\n",
        "id,email_address,amount,note");
}

TEST_CASE(
    "sqlite expand/contract drill with NOT NULL columns without a default: nullable in the "
    "window, NOT NULL after",
    "[e2e][expand][drill]") {
  // The old writers' connections are open before the expand makes the old
  // columns nullable; the new writers never write them.
  drill("", "id,email_address,amount,note", " NOT NULL");
}
