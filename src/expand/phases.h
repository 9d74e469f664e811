// The three revisions an expand/contract plan becomes (contract:
// "Zero-downtime changes: expand/contract"), as text for the revision
// writer: what goes in each one's header besides the usual keys, and its
// upgrade and downgrade sections.
#pragma once

#include <string>
#include <vector>

namespace migrate::expand {

struct PhaseText {
  std::string message;                    // "<message> (expand)"
  std::vector<std::string> header_lines;  // YAML lines, without "-- ": "phase: expand", ...
  std::string upgrade_sql, downgrade_sql;
};

struct Phases {
  PhaseText expand, backfill, contract;
  std::vector<std::string> warnings;  // for the user's eyes (stderr)
};

}  // namespace migrate::expand
