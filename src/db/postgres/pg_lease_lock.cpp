#include "db/postgres/pg_lease_lock.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <random>

#include "db/postgres/pg_transaction.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/strings.h"

namespace migrate::db::postgres {

namespace {

std::string literal(const std::string& text) { return util::quote_doubled(text, '\''); }

std::string random_owner() {
  std::random_device rd;
  std::string out;
  for (int i = 0; i < 4; ++i) out += fmt::format("{:08x}", rd());
  return out;
}

// clock_timestamp() + the lease: the server's clock alone decides expiry,
// so clocks of different runners never need to agree.
std::string lease_end(std::chrono::milliseconds lease) {
  return fmt::format("clock_timestamp() + interval '{} milliseconds'", lease.count());
}

// How long a try waits for the row when a step of the holder has it locked
// (a fence): the row is busy, so the lock is held; try again later.
constexpr const char* kTryLockTimeout = "200ms";

}  // namespace

std::string create_run_lock_table_sql(const std::string& table) {
  return fmt::format(
      "CREATE TABLE IF NOT EXISTS {} (version_table text PRIMARY KEY, owner text NOT NULL, "
      "holder text NOT NULL, acquired_at timestamptz NOT NULL, expires_at timestamptz NOT NULL)",
      table);
}

LeaseRunLock::LeaseRunLock(Connection& conn, LeaseLockSpec spec, std::chrono::milliseconds wait,
                           std::function<void()> on_release)
    : conn_(conn),
      spec_(std::move(spec)),
      owner_(random_owner()),
      holder_(fmt::format("{} pid {}", util::user_at_host(), ::getpid())),
      on_release_(std::move(on_release)) {
  // Created at the first run that needs it. Two runners creating it at once
  // may collide in the catalog (unique violation on pg_type): the table is
  // there all the same.
  try {
    if (!conn_.exec(fmt::format("SELECT to_regclass({}) IS NOT NULL", literal(spec_.table)))[0][0]
             .as<bool>())
      conn_.exec(create_run_lock_table_sql(spec_.table));
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() != "23505" && e.sqlstate() != "42P07")
      throw Error(fmt::format("{}: cannot create the run lock table {}: {}", conn_.describe(),
                              spec_.table, format_server_error(e.what())));
  }

  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto deadline = start + wait;
  auto pause = std::chrono::milliseconds(5);
  bool said_waiting = false;
  while (!try_take()) {
    auto now = Clock::now();
    if (now >= deadline) {
      std::string who = holder();
      throw Error(fmt::format(
          "{}: another migrate run holds the run lock on {} ({}); gave up after waiting {:.1f} s "
          "(--lock-wait)",
          conn_.describe(), spec_.key, who.empty() ? "holder unknown" : "held by " + who,
          std::chrono::duration<double>(now - start).count()));
    }
    if (!said_waiting) {
      std::string who = holder();
      std::cerr << fmt::format(
                       "migrate: waiting for another migrate run to finish (the run lock on {} "
                       "is held{}{})",
                       spec_.key, who.empty() ? "" : " by ", who)
                << std::endl;
      said_waiting = true;
    }
    std::this_thread::sleep_for(
        std::min(pause, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now)));
    pause = std::min(pause * 2, std::chrono::milliseconds(200));
  }

  // From here the row is ours: give it back on every way out.
  try {
    renew_conn_ = std::make_unique<Connection>(spec_.target);
    renewer_ = std::thread([this] { renew_loop(); });
  } catch (...) {
    try {
      conn_.exec(fmt::format("DELETE FROM {} WHERE version_table = {} AND owner = {}", spec_.table,
                             literal(spec_.key), literal(owner_)));
    } catch (...) {
    }
    throw;
  }
}

bool LeaseRunLock::try_take() {
  // Free, or its lease over: ours. Busy (a step of the holder has the row
  // locked): held. In one short transaction.
  TransactionBatch tx(conn_);
  tx.begin();
  tx.add(fmt::format("SET LOCAL lock_timeout = '{}'", kTryLockTimeout));
  const std::size_t insert = tx.add(fmt::format(
      "INSERT INTO {0} AS l (version_table, owner, holder, acquired_at, expires_at) "
      "VALUES ({1}, {2}, {3}, clock_timestamp(), {4}) "
      "ON CONFLICT (version_table) DO UPDATE SET owner = excluded.owner, holder = "
      "excluded.holder, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at "
      "WHERE l.expires_at < clock_timestamp() RETURNING l.owner",
      spec_.table, literal(spec_.key), literal(owner_), literal(holder_), lease_end(spec_.lease)));
  tx.commit();
  std::vector<pqxx::result> results;
  if (auto failure = tx.send(&results)) {
    if (failure->sqlstate == "55P03") return false;
    throw Error(fmt::format("{}: cannot take the run lock on {}: {}", conn_.describe(), spec_.key,
                            failure->message));
  }
  return !results.at(insert).empty();
}

std::string LeaseRunLock::holder() {
  try {
    pqxx::result r = conn_.exec(
        fmt::format("SELECT holder, to_char(acquired_at AT TIME ZONE 'UTC', "
                    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                    "greatest(0, extract(epoch FROM expires_at - clock_timestamp()))::float8 "
                    "FROM {} WHERE version_table = {}",
                    spec_.table, literal(spec_.key)));
    if (r.empty()) return {};
    return fmt::format("{}, since {}; its lease ends in {:.1f} s unless renewed", r[0][0].c_str(),
                       r[0][1].c_str(), r[0][2].as<double>());
  } catch (...) {
    return {};
  }
}

std::string LeaseRunLock::fence_sql() const {
  return fmt::format(
      "DO $migrate$BEGIN UPDATE {0} SET expires_at = {1} WHERE version_table = {2} AND owner = "
      "{3}; IF NOT FOUND THEN RAISE EXCEPTION '%', {4}; END IF; END$migrate$",
      spec_.table, lease_end(spec_.lease), literal(spec_.key), literal(owner_),
      literal(fmt::format("migrate: this run no longer holds the run lock on {} (its lease ran "
                          "out and another run took it, or its row in {} was removed)",
                          spec_.key, spec_.table)));
}

void LeaseRunLock::renew_loop() {
  // A third of the lease between renewals: two may fail before it runs out.
  const auto every = std::max(spec_.lease / 3, std::chrono::milliseconds(1));
  bool said_failing = false;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, every, [this] { return stop_; })) {
    lock.unlock();
    std::string problem;
    try {
      if (!renew_conn_ || !renew_conn_->is_open())
        renew_conn_ = std::make_unique<Connection>(spec_.target);
      // A step of this run may hold the row (its fence): the wait is
      // bounded, and that step renews the lease itself.
      TransactionBatch tx(*renew_conn_);
      tx.begin();
      tx.add(fmt::format("SET LOCAL lock_timeout = '{}ms'", every.count()));
      const std::size_t update = tx.add(
          fmt::format("UPDATE {} SET expires_at = {} WHERE version_table = {} AND owner = "
                      "{} RETURNING 1",
                      spec_.table, lease_end(spec_.lease), literal(spec_.key), literal(owner_)));
      tx.commit();
      std::vector<pqxx::result> results;
      auto failure = tx.send(&results);
      if (!failure && results.at(update).empty()) {
        std::cerr << fmt::format(
                         "migrate: warning: this run lost the run lock on {} (its lease ran out "
                         "and another run took it); it stops before its next step",
                         spec_.key)
                  << std::endl;
        lock.lock();
        return;
      }
      if (failure && failure->sqlstate != "55P03") problem = failure->message;
    } catch (const std::exception& e) {
      problem = e.what();
    }
    if (!problem.empty() && !said_failing) {
      std::cerr << fmt::format(
                       "migrate: warning: cannot renew the run lock's lease on {} ({}); "
                       "trying again",
                       spec_.key, problem)
                << std::endl;
      said_failing = true;
    }
    lock.lock();
  }
}

void LeaseRunLock::stop_renewing() noexcept {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (renewer_.joinable()) renewer_.join();
}

LeaseRunLock::~LeaseRunLock() {
  stop_renewing();
  if (on_release_) on_release_();
  const std::string release = fmt::format("DELETE FROM {} WHERE version_table = {} AND owner = {}",
                                          spec_.table, literal(spec_.key), literal(owner_));
  // On the run's connection, else the renewing one; else the lease runs out.
  for (Connection* c : {&conn_, renew_conn_.get()}) {
    try {
      if (c && c->is_open()) {
        c->exec(release);
        return;
      }
    } catch (...) {
    }
  }
}

}  // namespace migrate::db::postgres
