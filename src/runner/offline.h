// Offline mode (`--sql`): the script a DBA can review and run by hand. It
// holds the same statements and version-table changes an online run would
// execute, one BEGIN/COMMIT per transactional step, and touches no database.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "db/database.h"
#include "script/script_directory.h"

namespace migrate::runner {

class OfflineWriter {
 public:
  OfflineWriter(const db::Dialect& dialect, const db::TableNames& tables,
                const script::ScriptDirectory& scripts, std::ostream& out);

  // How `current` in a range's FROM reads the database's version table
  // (the command sets it when the database is reachable; it may throw).
  // Unset, `current` is refused.
  using CurrentHeads = std::function<std::vector<std::string>()>;
  void set_current(CurrentHeads current) { current_ = std::move(current); }

  // What a script was written for: the version table's rows it starts from
  // (FROM, resolved) and how many steps it holds (0: it changes nothing).
  struct Written {
    std::vector<std::string> from;
    std::size_t steps = 0;
  };
  // `range` is TARGET or FROM:TO. Without FROM, an upgrade starts from an
  // empty version table; a downgrade needs FROM (nothing is read from the
  // database unless FROM says `current`).
  Written upgrade(const std::string& range);
  Written downgrade(const std::string& range);
  void stamp(const std::vector<std::string>& targets, bool purge,
             const std::vector<std::string>& from_heads);
  // A range's FROM as the version table's rows: comma-separated revisions
  // or targets (`A,B`, as a database on two branches is), `current` read
  // through set_current().
  std::vector<std::string> from_heads(const std::string& from) const;

 private:
  std::size_t write_plan(bool upgrade, const std::vector<std::string>& from_heads,
                         const std::string& target);
  void write_preamble();

  const db::Dialect& dialect_;
  db::TableNames tables_;
  const script::ScriptDirectory& scripts_;
  std::ostream& out_;
  CurrentHeads current_;
};

// Splits "FROM:TO" (FROM may be empty). A plain target gives from = nullopt.
struct Range {
  std::optional<std::string> from;
  std::string to;
};
Range parse_range(const std::string& text);

}  // namespace migrate::runner
