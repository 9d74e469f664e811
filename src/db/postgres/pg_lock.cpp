#include "db/postgres/pg_lock.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <thread>

#include "util/error.h"
#include "util/strings.h"

namespace migrate::db::postgres {

AdvisoryRunLock::AdvisoryRunLock(Connection& conn, std::int64_t key, std::chrono::milliseconds wait,
                                 const std::string& what)
    : conn_(conn), key_(key) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto deadline = start + wait;
  const std::string try_sql = fmt::format("SELECT pg_try_advisory_lock({})", key_);
  auto pause = std::chrono::milliseconds(5);
  bool said_waiting = false;
  while (true) {
    bool got = false;
    try {
      got = conn_.exec(try_sql)[0][0].as<bool>();
    } catch (const pqxx::sql_error& e) {
      throw Error(fmt::format("{}: cannot take the run lock: {}", conn_.describe(),
                              format_server_error(e.what())));
    }
    if (got) return;
    auto now = Clock::now();
    if (now >= deadline) {
      std::string who = holder();
      double waited = std::chrono::duration<double>(now - start).count();
      throw Error(fmt::format(
          "{}: another migrate run holds the run lock on {} ({}); gave up after waiting {:.1f} s "
          "(--lock-wait)",
          conn_.describe(), what, who.empty() ? "holder unknown" : "held by " + who, waited));
    }
    if (!said_waiting) {
      std::string who = holder();
      std::cerr << fmt::format(
                       "migrate: waiting for another migrate run to finish (the run lock on {} "
                       "is held{}{})",
                       what, who.empty() ? "" : " by ", who)
                << std::endl;
      said_waiting = true;
    }
    // Short pauses first (the holder is often about to finish), growing to
    // 200 ms so a long wait costs the server little.
    std::this_thread::sleep_for(
        std::min(pause, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now)));
    pause = std::min(pause * 2, std::chrono::milliseconds(200));
  }
}

AdvisoryRunLock::~AdvisoryRunLock() {
  try {
    conn_.exec(fmt::format("SELECT pg_advisory_unlock({})", key_));
  } catch (...) {
    // The session's end releases it anyway.
  }
}

std::string AdvisoryRunLock::holder() {
  // A bigint key is stored as classid (high 32 bits) and objid (low 32 bits).
  auto hi = static_cast<std::uint32_t>(static_cast<std::uint64_t>(key_) >> 32);
  auto lo = static_cast<std::uint32_t>(static_cast<std::uint64_t>(key_) & 0xffffffffu);
  try {
    pqxx::result r = conn_.exec(fmt::format(
        "SELECT l.pid, coalesce(nullif(a.application_name, ''), '?'), "
        "coalesce(host(a.client_addr), 'local'), "
        "coalesce(to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
        "'?') "
        "FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
        "AND l.classid::text = '{}' AND l.objid::text = '{}' LIMIT 1",
        hi, lo));
    if (r.empty()) return {};
    return fmt::format("server pid {} ({}, {}, connected since {})", r[0][0].c_str(),
                       r[0][1].c_str(), r[0][2].c_str(), r[0][3].c_str());
  } catch (...) {
    return {};
  }
}

std::string lock_holders(Connection& conn, const std::vector<NamedRelation>& relations) {
  if (relations.empty()) return {};
  std::vector<std::string> names;
  names.reserve(relations.size());
  for (const auto& r : relations)
    names.push_back("to_regclass(" + util::quote_doubled(r.regclass, '\'') + ")");
  try {
    pqxx::result rows = conn.exec(
        fmt::format("SELECT l.pid, coalesce(nullif(a.application_name, ''), '?'), "
                    "coalesce(a.state, '?'), l.mode, l.relation::regclass::text "
                    "FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid() "
                    "AND l.relation = ANY (ARRAY[{}]) ORDER BY l.pid, l.mode LIMIT 5",
                    util::join(names, ", ")));
    std::vector<std::string> out;
    for (const auto& row : rows)
      out.push_back(fmt::format("server pid {} ({}, {}, {} on {})", row[0].c_str(), row[1].c_str(),
                                row[2].c_str(), row[3].c_str(), row[4].c_str()));
    return util::join(out, "; ");
  } catch (...) {
    return {};
  }
}

}  // namespace migrate::db::postgres
