// A live writer of the expand/contract drills (pg_expand_drill_test.cpp,
// sqlite_expand_drill_test.cpp): a thread doing inserts, updates and deletes
// of its own rows of `users` through one application version's columns
// (old: email, amount_cents as cents; new: email_address, amount as a
// decimal), recording every write the database acknowledged. The backend's
// part is four calls; check_ledger() compares the records with the table.
#pragma once

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace e2e {

class DrillWriter {
 public:
  // Per row: the last acknowledged (email, cents); cents -1 = deleted.
  using Ledger = std::map<long long, std::pair<std::string, long long>>;

  virtual ~DrillWriter() = default;
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int failures() const { return failures_; }
  long long statements() const { return statements_; }
  const std::string& first_error() const { return first_error_; }
  const Ledger& written() const { return written_; }

 protected:
  DrillWriter(bool new_version, int n, std::chrono::milliseconds pause)
      : new_(new_version),
        name_((new_version ? "new" : "old") + std::to_string(n)),
        pause_(pause) {}
  // Called by the derived class's constructor, once it can run the calls.
  void start() {
    thread_ = std::thread([this] { loop(); });
  }
  // The backend's part, run on the writer's thread; each throws on failure.
  virtual void connect() = 0;
  // INSERT INTO users (email, amount, note); the new row's id.
  virtual long long insert(const std::string& email_col, const std::string& email,
                           const std::string& amount_col, const std::string& amount,
                           const std::string& note) = 0;
  // UPDATE users SET email, amount WHERE id; whether a row was changed.
  virtual bool update(long long id, const std::string& email_col, const std::string& email,
                      const std::string& amount_col, const std::string& amount) = 0;
  virtual void remove(long long id) = 0;
  virtual void disconnect() {}

 private:
  void loop() {
    std::mt19937 rng(static_cast<unsigned>(std::hash<std::string>()(name_)));
    try {
      connect();
    } catch (const std::exception& e) {
      failures_ = 1;
      first_error_ = std::string("connect: ") + e.what();
      return;
    }
    const std::string email_col = new_ ? "email_address" : "email";
    const std::string amount_col = new_ ? "amount" : "amount_cents";
    std::vector<long long> mine;
    long long serial = 0;
    while (!stop_) {
      const int what = mine.size() < 5 ? 0 : static_cast<int>(rng() % 10);
      const long long cents = static_cast<long long>(rng() % 100000);
      const std::string value = name_ + "-" + std::to_string(++serial) + "@x";
      // The new version writes amount as a decimal; the old one as cents.
      const std::string amount = new_ ? decimal(cents) : std::to_string(cents);
      try {
        if (what < 4) {
          const long long id = insert(email_col, value, amount_col, amount, name_);
          mine.push_back(id);
          written_[id] = {value, cents};
        } else if (what < 8) {
          const long long id = mine[rng() % mine.size()];
          if (update(id, email_col, value, amount_col, amount)) written_[id] = {value, cents};
        } else {
          const std::size_t i = rng() % mine.size();
          remove(mine[i]);
          written_[mine[i]] = {"", -1};
          mine.erase(mine.begin() + static_cast<std::ptrdiff_t>(i));
        }
        ++statements_;
      } catch (const std::exception& e) {
        if (!failures_++) first_error_ = e.what();
      }
      if (pause_.count() > 0) std::this_thread::sleep_for(pause_);
    }
    disconnect();
  }
  static std::string decimal(long long cents) {
    return std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") +
           std::to_string(cents % 100);
  }

  bool new_;
  std::string name_;
  std::chrono::milliseconds pause_;
  std::atomic<bool> stop_{false};
  std::atomic<int> failures_{0};
  std::atomic<long long> statements_{0};
  std::string first_error_;
  Ledger written_;
  std::thread thread_;
};

using DrillWriters = std::vector<std::unique_ptr<DrillWriter>>;

// Waits until every writer of `group` has done at least `more` statements
// beyond `since` (statements() when the phase began; empty: from zero), or
// has failed, or 60 s have passed. The drills give each phase a fixed time
// first; on a loaded machine a writer may have done only a few statements in
// it, and check_ledger() needs each writer to have got work done in every
// phase it spans.
inline void wait_for_statements(const DrillWriters& group, long long more,
                                const std::vector<long long>& since = {}) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (std::size_t i = 0; i < group.size(); ++i) {
    const long long target = (i < since.size() ? since[i] : 0) + more;
    while (group[i]->statements() < target && group[i]->failures() == 0 &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

inline std::vector<long long> statements_of(const DrillWriters& group) {
  std::vector<long long> out;
  out.reserve(group.size());
  for (const auto& wr : group) out.push_back(wr->statements());
  return out;
}

// No application statement failed, each writer got work done, and every
// acknowledged write is in `now` (id -> "email|cents" read through the new
// columns) as last written, or absent when deleted. A row of one writer is
// never touched by another.
inline void check_ledger(const std::vector<const DrillWriters*>& groups,
                         std::map<long long, std::string> now) {
  std::size_t checked = 0;
  for (const auto* group : groups)
    for (const auto& wr : *group) {
      INFO(wr->first_error());
      CHECK(wr->failures() == 0);
      CHECK(wr->statements() > 10);
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
    }
  CHECK(checked > 0);
}

// id -> the rest of each "id|..." row.
inline std::map<long long, std::string> by_id(const std::vector<std::string>& rows) {
  std::map<long long, std::string> out;
  for (const auto& row : rows)
    out[std::stoll(row.substr(0, row.find('|')))] = row.substr(row.find('|') + 1);
  return out;
}

}  // namespace e2e
