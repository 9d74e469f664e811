// What a step that hit lock_timeout (SQLSTATE 55P03) was waiting for, and
// how long to pause before trying it again.
//
// PostgreSQL's message for an expired lock_timeout ("canceling statement due
// to lock timeout") does not name the lock, and once the step has rolled
// back its wait is gone from pg_locks. So the tables come from the failing
// statement itself (the relations its parse tree names), and the sessions
// holding locks on them are looked up afterwards (lock_holders, pg_lock.h):
// they are still there when someone sits on a lock, which is the case worth
// reporting. Nothing here needs a connection (this is in the core, not the
// PostgreSQL module).
#pragma once

#include <chrono>
#include <random>
#include <string>
#include <vector>

namespace migrate::db::postgres {

// A table a statement names: how the user wrote it and how to_regclass
// takes it.
struct NamedRelation {
  std::string display;   // "accounts", "billing.accounts"
  std::string regclass;  // "\"accounts\"", "\"billing\".\"accounts\""
};

// The relations `sql` names (FROM, INTO, ALTER TABLE, LOCK, ...), each once,
// in the order they appear; empty when it names none or does not parse.
std::vector<NamedRelation> relations_named(const std::string& sql);

// `a lock on table "a"`, `a lock on one of the tables "a", "b"`, or just
// `a lock` when there are none.
std::string describe_relations(const std::vector<NamedRelation>& relations);

// The pause before retry `n` (1-based): 500 ms doubling each time, capped
// at 30 s, times a random factor in [0.5, 1.5) so that runners started
// together do not retry in step.
std::chrono::milliseconds retry_delay(int n, std::mt19937& rng);

// "1.4s" / "250ms" for retry lines.
std::string format_delay(std::chrono::milliseconds d);

}  // namespace migrate::db::postgres
