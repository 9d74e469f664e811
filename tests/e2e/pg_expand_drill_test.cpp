// The drill: live writers of both application versions across the phases
// of an expand/contract change. Old-version writers (inserts, updates,
// deletes of their own rows through email and amount_cents) run from before
// the expand until just before the contract; new-version writers (through
// email_address and amount) from the end of the expand until after the
// contract; the rows are filled in short batches meanwhile. No application
// statement may fail, no acknowledged write may be lost or changed, and in
// the window every row satisfies new = up(old) and old = down(new).
#include <chrono>
#include <memory>
#include <pqxx/pqxx>
#include <thread>

#include "e2e/drill_writer.h"
#include "e2e/pg_expand_window.h"
#include "support/matchers.h"

using e2e::Window;
using testsupport::ExitedWith;

namespace {

// A writer on its own connection, one statement per transaction.
class Writer : public e2e::DrillWriter {
 public:
  Writer(const std::string& url, bool new_version, int n)
      : DrillWriter(new_version, n, std::chrono::milliseconds(0)), url_(url) {
    start();
  }
  ~Writer() override { stop(); }

 private:
  void connect() override { c_ = std::make_unique<pqxx::connection>(url_); }
  long long insert(const std::string& email_col, const std::string& email,
                   const std::string& amount_col, const std::string& amount,
                   const std::string& note) override {
    pqxx::nontransaction tx(*c_);
    auto r = tx.exec("INSERT INTO users (" + email_col + ", " + amount_col + ", note) VALUES (" +
                     tx.quote(email) + ", " + amount + ", " + tx.quote(note) + ") RETURNING id");
    return r[0][0].as<long long>();
  }
  bool update(long long id, const std::string& email_col, const std::string& email,
              const std::string& amount_col, const std::string& amount) override {
    pqxx::nontransaction tx(*c_);
    return tx.exec("UPDATE users SET " + email_col + " = " + tx.quote(email) + ", " + amount_col +
                   " = " + amount + " WHERE id = " + std::to_string(id))
               .affected_rows() == 1;
  }
  void remove(long long id) override {
    pqxx::nontransaction tx(*c_);
    tx.exec("DELETE FROM users WHERE id = " + std::to_string(id));
  }

  std::string url_;
  std::unique_ptr<pqxx::connection> c_;
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

  e2e::DrillWriters old_writers, new_writers;
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
  e2e::wait_for_statements(old_writers, 11);
  e2e::wait_for_statements(new_writers, 6);
  for (auto& wr : old_writers) wr->stop();
  // Every row, whoever wrote it, holds both sides in step.
  CHECK(w.one("SELECT count(*) FROM users WHERE email_address IS DISTINCT FROM email OR amount "
              "IS DISTINCT FROM amount_cents / 100.0 OR amount_cents IS DISTINCT FROM "
              "round(amount * 100)::bigint") == "0");
  const auto before_contract = e2e::statements_of(new_writers);
  auto contract = w.run({"upgrade", "heads", "--contract"});
  REQUIRE_THAT(contract, ExitedWith(0));
  settle(std::chrono::milliseconds(300));
  e2e::wait_for_statements(new_writers, 5, before_contract);
  for (auto& wr : new_writers) wr->stop();

  // No statement failed, every acknowledged write is there (through the new columns).
  e2e::check_ledger({&old_writers, &new_writers},
                    e2e::by_id(w.db.rows("SELECT id || '|' || email_address || '|' || (amount * "
                                         "100)::bigint FROM users WHERE note <> 'seed'")));
  CHECK(w.one("SELECT count(*) FROM users WHERE note = 'seed'") == "3000");
}
