// The drill: live writers of both application versions across the phases
// of an expand/contract change. Old-version writers (inserts, updates,
// deletes of their own rows through email and amount_cents) run from before
// the expand until just before the contract; new-version writers (through
// email_address and amount) from the end of the expand until after the
// contract; the rows are filled in short batches meanwhile. No application
// statement may fail, no acknowledged write may be lost or changed, and in
// the window every row satisfies new = up(old) and old = down(new).
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <pqxx/pqxx>
#include <random>
#include <thread>

#include "e2e/pg_expand_window.h"
#include "support/matchers.h"

using e2e::Window;
using testsupport::ExitedWith;

namespace {

// What a writer last had acknowledged for each of its rows (cents; -1 =
// deleted).
struct Written {
  std::map<long long, std::pair<std::string, long long>> rows;
};

class Writer {
 public:
  Writer(const std::string& url, bool new_version, int n)
      : url_(url), new_(new_version), name_((new_version ? "new" : "old") + std::to_string(n)) {
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
  const Written& written() const { return written_; }

 private:
  void loop() {
    std::mt19937 rng(static_cast<unsigned>(std::hash<std::string>()(name_)));
    pqxx::connection c(url_);
    const char* email = new_ ? "email_address" : "email";
    std::vector<long long> mine;
    long long serial = 0;
    while (!stop_) {
      const int what = mine.size() < 5 ? 0 : static_cast<int>(rng() % 10);
      ++serial;
      const long long cents = static_cast<long long>(rng() % 100000);
      const std::string value = name_ + "-" + std::to_string(serial) + "@x";
      // The new version writes amount as numeric; the old one as cents.
      const std::string amount = new_ ? fmt_amount(cents) : std::to_string(cents);
      const char* amount_col = new_ ? "amount" : "amount_cents";
      try {
        pqxx::nontransaction tx(c);
        if (what < 4) {
          auto r = tx.exec("INSERT INTO users (" + std::string(email) + ", " + amount_col +
                           ", note) VALUES (" + tx.quote(value) + ", " + amount + ", " +
                           tx.quote(name_) + ") RETURNING id");
          const long long id = r[0][0].as<long long>();
          mine.push_back(id);
          written_.rows[id] = {value, cents};
        } else if (what < 8) {
          const long long id = mine[rng() % mine.size()];
          auto r =
              tx.exec("UPDATE users SET " + std::string(email) + " = " + tx.quote(value) + ", " +
                      amount_col + " = " + amount + " WHERE id = " + std::to_string(id));
          if (r.affected_rows() == 1) written_.rows[id] = {value, cents};
        } else {
          const std::size_t i = rng() % mine.size();
          tx.exec("DELETE FROM users WHERE id = " + std::to_string(mine[i]));
          written_.rows[mine[i]] = {"", -1};
          mine.erase(mine.begin() + static_cast<std::ptrdiff_t>(i));
        }
        ++statements_;
      } catch (const std::exception& e) {
        if (!failures_++) first_error_ = e.what();
      }
    }
  }
  static std::string fmt_amount(long long cents) {
    return std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") +
           std::to_string(cents % 100);
  }

  std::string url_;
  bool new_;
  std::string name_;
  std::atomic<bool> stop_{false};
  std::atomic<int> failures_{0};
  std::atomic<long long> statements_{0};
  std::string first_error_;
  Written written_;
  std::thread thread_;
};

void settle(std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }

}  // namespace

TEST_CASE(
    "pg expand/contract drill: both versions write through every phase, nothing fails or "
    "is lost",
    "[e2e][postgres][expand][drill]") {
  Window w(
      "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT "
      "NULL, amount_cents bigint NOT NULL, note text);\n"
      "INSERT INTO users (email, amount_cents, note) SELECT 'seed' || g || '@x', g, 'seed' FROM "
      "generate_series(1, 3000) g;",
      "DROP TABLE users;");
  REQUIRE_THAT(
      w.plan("table: users\noperations:\n"
             "  - rename_column: {from: email, to: email_address}\n"
             "  - change_type: {column: amount_cents, to: amount, type: \"numeric(12,2)\", up: "
             "\"amount_cents / 100.0\", down: \"round(amount * 100)::bigint\"}\n"),
      ExitedWith(0));

  std::vector<std::unique_ptr<Writer>> old_writers, new_writers;
  for (int i = 0; i < 3; ++i) old_writers.push_back(std::make_unique<Writer>(w.db.url(), false, i));
  settle(std::chrono::milliseconds(300));
  // Expand and backfill revision under live old-version traffic.
  auto up = w.run({"upgrade", "heads"});
  REQUIRE_THAT(up, ExitedWith(0));
  for (int i = 0; i < 3; ++i) new_writers.push_back(std::make_unique<Writer>(w.db.url(), true, i));
  // The fill, in short batches over the key, as the engine runs it.
  const long long max_id = std::stoll(w.one("SELECT max(id) FROM users"));
  for (long long lo = 0; lo <= max_id; lo += 500)
    w.fill("UPDATE users SET email_address = email, amount = amount_cents / 100.0 WHERE id > " +
           std::to_string(lo) + " AND id <= " + std::to_string(lo + 500) +
           " AND (email_address IS DISTINCT FROM email OR amount IS DISTINCT FROM "
           "(amount_cents / 100.0))");
  settle(std::chrono::milliseconds(500));
  for (auto& wr : old_writers) wr->stop();
  // Every row, whoever wrote it, holds both sides in step.
  CHECK(w.one("SELECT count(*) FROM users WHERE email_address IS DISTINCT FROM email OR amount "
              "IS DISTINCT FROM amount_cents / 100.0 OR amount_cents IS DISTINCT FROM "
              "round(amount * 100)::bigint") == "0");
  auto contract = w.run({"upgrade", "heads", "--contract"});
  REQUIRE_THAT(contract, ExitedWith(0));
  settle(std::chrono::milliseconds(300));
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
  for (const auto& row : w.db.rows("SELECT id || '|' || email_address || '|' || (amount * "
                                   "100)::bigint FROM users WHERE note <> 'seed'")) {
    now[std::stoll(row.substr(0, row.find('|')))] = row.substr(row.find('|') + 1);
  }
  std::size_t checked = 0;
  for (const auto* group : {&old_writers, &new_writers})
    for (const auto& wr : *group)
      for (const auto& [id, last] : wr->written().rows) {
        // A row of one writer is never touched by another: the last
        // acknowledged write wins, unless it was deleted.
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
  CHECK(w.one("SELECT count(*) FROM users WHERE note = 'seed'") == "3000");
}
