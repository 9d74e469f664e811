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

#include <atomic>
#include <chrono>
#include <map>
#include <random>
#include <thread>

#include "e2e/sqlite_expand_window.h"

using e2e::SqliteWindow;
using testsupport::ExitedWith;

namespace {

constexpr int kBusyTimeoutMs = 5000;

class Writer {
 public:
  Writer(const std::string& path, bool new_version, int n)
      : path_(path), new_(new_version), name_((new_version ? "new" : "old") + std::to_string(n)) {
    thread_ = std::thread([this] { loop(); });
  }
  ~Writer() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int failures() const { return failures_; }
  long long statements() const { return statements_; }
  const std::string& first_error() const { return first_error_; }
  // The last acknowledged (email, cents) of each of its rows; cents -1 = deleted.
  const std::map<long long, std::pair<std::string, long long>>& written() const { return written_; }

 private:
  bool exec(sqlite3* db, const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK && !failures_++) first_error_ = sql + ": " + (err ? err : "?");
    sqlite3_free(err);
    if (rc == SQLITE_OK) ++statements_;
    return rc == SQLITE_OK;
  }

  void loop() {
    std::mt19937 rng(static_cast<unsigned>(std::hash<std::string>()(name_)));
    sqlite3* db = nullptr;
    if (sqlite3_open(path_.c_str(), &db) != SQLITE_OK) {
      failures_ = 1;
      first_error_ = "cannot open";
      return;
    }
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    const std::string email = new_ ? "email_address" : "email";
    const std::string amount_col = new_ ? "amount" : "amount_cents";
    std::vector<long long> mine;
    long long serial = 0;
    while (!stop_) {
      const int what = mine.size() < 5 ? 0 : static_cast<int>(rng() % 10);
      const long long cents = static_cast<long long>(rng() % 100000);
      const std::string value = name_ + "-" + std::to_string(++serial) + "@x";
      // The new version writes amount as a decimal; the old one as cents.
      const std::string amount = new_ ? decimal(cents) : std::to_string(cents);
      if (what < 4) {
        if (exec(db, "INSERT INTO users (" + email + ", " + amount_col + ", note) VALUES ('" +
                         value + "', " + amount + ", '" + name_ + "')")) {
          const long long id = sqlite3_last_insert_rowid(db);
          mine.push_back(id);
          written_[id] = {value, cents};
        }
      } else if (what < 8) {
        const long long id = mine[rng() % mine.size()];
        if (exec(db, "UPDATE users SET " + email + " = '" + value + "', " + amount_col + " = " +
                         amount + " WHERE id = " + std::to_string(id)))
          written_[id] = {value, cents};
      } else {
        const std::size_t i = rng() % mine.size();
        if (exec(db, "DELETE FROM users WHERE id = " + std::to_string(mine[i]))) {
          written_[mine[i]] = {"", -1};
          mine.erase(mine.begin() + static_cast<std::ptrdiff_t>(i));
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    sqlite3_close(db);
  }
  static std::string decimal(long long cents) {
    return std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") +
           std::to_string(cents % 100);
  }

  std::string path_;
  bool new_;
  std::string name_;
  std::atomic<bool> stop_{false};
  std::atomic<int> failures_{0};
  std::atomic<long long> statements_{0};
  std::string first_error_;
  std::map<long long, std::pair<std::string, long long>> written_;
  std::thread thread_;
};

void settle(std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }

const char* const kInStep =
    "SELECT count(*) FROM users WHERE email_address IS NOT email OR amount IS NOT amount_cents / "
    "100.0 OR amount_cents IS NOT CAST(round(amount * 100) AS INTEGER)";

}  // namespace

TEST_CASE(
    "sqlite expand/contract drill: both versions write through every phase, nothing fails or "
    "is lost",
    "[e2e][expand][drill]") {
  SqliteWindow w(
      "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT, amount_cents INTEGER, "
      "note TEXT);\n"
      "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 20000)\n"
      "INSERT INTO users (email, amount_cents, note) SELECT 'seed' || i || '@x', i, 'seed' FROM "
      "g;",
      "DROP TABLE users;");
  REQUIRE_THAT(
      w.plan("table: users\noperations:\n"
             "  - rename_column: {from: email, to: email_address}\n"
             "  - change_type: {column: amount_cents, to: amount, type: REAL, up: "
             "\"amount_cents / 100.0\", down: \"CAST(round(amount * 100) AS INTEGER)\"}\n"),
      ExitedWith(0));
  // Small batches: the engine's batches interleave with the writers.
  w.tune_backfill({"batch_rows: 200", "batch_time: 20ms"});

  // WAL, as an application sharing the file uses: readers never wait. (AUTOINCREMENT:
  // a deleted id is never given to another writer's insert.)
  REQUIRE(w.exec("PRAGMA journal_mode = WAL;") == "");
  std::vector<std::unique_ptr<Writer>> old_writers, new_writers;
  for (int i = 0; i < 3; ++i) old_writers.push_back(std::make_unique<Writer>(w.p.db(), false, i));
  settle(std::chrono::milliseconds(300));
  // Expand and backfill under live old-version traffic.
  auto up = w.run({"upgrade", "heads"});
  REQUIRE_THAT(up, ExitedWith(0));
  for (int i = 0; i < 3; ++i) new_writers.push_back(std::make_unique<Writer>(w.p.db(), true, i));
  settle(std::chrono::milliseconds(800));
  for (auto& wr : old_writers) wr->stop();
  // Every row, whoever wrote it, holds both sides in step.
  CHECK(w.one(kInStep) == "0");
  auto contract = w.run({"upgrade", "heads", "--contract"});
  REQUIRE_THAT(contract, ExitedWith(0));
  settle(std::chrono::milliseconds(500));
  for (auto& wr : new_writers) wr->stop();

  // No application statement failed; each writer got work done.
  for (const auto* group : {&old_writers, &new_writers})
    for (const auto& wr : *group) {
      INFO(wr->first_error());
      CHECK(wr->failures() == 0);
      CHECK(wr->statements() > 10);
    }
  // Every acknowledged write is there, as written (through the new columns).
  std::map<long long, std::string> now;
  for (const auto& row :
       w.p.rows("SELECT id || '|' || email_address || '|' || CAST(round(amount * 100) AS "
                "INTEGER) FROM users WHERE note <> 'seed'"))
    now[std::stoll(row.substr(0, row.find('|')))] = row.substr(row.find('|') + 1);
  std::size_t checked = 0;
  for (const auto* group : {&old_writers, &new_writers})
    for (const auto& wr : *group)
      for (const auto& [id, last] : wr->written()) {
        INFO("row " << id);
        if (last.second < 0) {
          CHECK(now.count(id) == 0);
        } else {
          REQUIRE(now.count(id) == 1);
          CHECK(now[id] == last.first + "|" + std::to_string(last.second));
        }
        ++checked;
      }
  CHECK(checked > 0);
  CHECK(w.one("SELECT count(*) || ',' || sum(email_address = 'seed' || id || '@x') || ',' || "
              "sum(amount = id / 100.0) FROM users WHERE note = 'seed'") == "20000,20000,20000");
  CHECK(w.columns("users") == "id,email_address,note,amount");
}
