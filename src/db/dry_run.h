// What a dry run (`upgrade --dry-run`, `downgrade --dry-run`) saw: per
// statement, the rows it affected and, on PostgreSQL, the locks it took and
// the tables and indexes it rewrote. Values only; the backends fill them
// (Database::dry_run), the CLI prints them.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace migrate::db {

struct DryRunLock {
  std::string mode;      // "AccessExclusiveLock", ...
  std::string relation;  // "public.accounts"
};

struct DryRunStatement {
  int line = 0;      // 1-based file line
  std::string text;  // its first line, for display
  long long rows = 0;
  // PostgreSQL only: locks taken by this statement that the transaction
  // did not hold before it, on relations that existed before the dry run
  // (a relation the plan creates blocks nobody); and the relations whose
  // relfilenode it changed: "table public.accounts", "index public.a_pkey".
  std::vector<DryRunLock> locks;
  std::vector<std::string> rewrites;
};

struct DryRunStep {
  std::size_t index = 0;                    // in the plan
  bool skipped = false;                     // transactional: false (cannot be rolled back)
  std::vector<DryRunStatement> statements;  // those that ran
  // Why the step stopped (a statement's error or a violated row guard,
  // worded as a real run words it); empty when all of it ran.
  std::string error;
};

struct DryRunReport {
  std::vector<DryRunStep> steps;  // every step of the plan, in order
  bool reports_locks = false;     // the backend reports locks and rewrites
  std::size_t failures() const {
    std::size_t n = 0;
    for (const auto& s : steps) n += s.error.empty() ? 0 : 1;
    return n;
  }
};

}  // namespace migrate::db
