#include "db/sqlite/sqlite_foreign_keys.h"

#include <fmt/format.h>

#include <initializer_list>
#include <string_view>

#include "util/error.h"

namespace migrate::db::sqlite {

namespace {

constexpr int kShownViolations = 5;

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Whether `text` holds one of the lower-case `words`, in any case: one pass
// over the text for all of them (this runs on every step's SQL).
bool contains_any_nocase(const std::string& text, std::initializer_list<std::string_view> words) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = lower(text[i]);
    for (std::string_view word : words) {
      if (c != word[0] || text.size() - i < word.size()) continue;
      std::size_t k = 1;
      while (k < word.size() && lower(text[i + k]) == word[k]) ++k;
      if (k == word.size()) return true;
    }
  }
  return false;
}

}  // namespace

ForeignKeysOff::ForeignKeysOff(Connection& conn) : conn_(conn) {
  if (conn_.in_transaction())
    throw Error(conn_.describe() + ": internal error: foreign_keys cannot change in a transaction");
  // The C API reads the connection's flag without a statement (`PRAGMA
  // foreign_keys` is re-prepared after every step's schema change).
  int on = 0;
  if (sqlite3_db_config(conn_.get(), SQLITE_DBCONFIG_ENABLE_FKEY, -1, &on) != SQLITE_OK) {
    StmtUse q = conn_.cached("PRAGMA foreign_keys");
    on = q.step() && q.int64(0) != 0;
  }
  was_on_ = on != 0;
  // Most connections have it off already (SQLite's default): then nothing
  // needs to change, now or later.
  if (was_on_) conn_.cached("PRAGMA foreign_keys=OFF").run();
}

ForeignKeysOff::~ForeignKeysOff() {
  if (!was_on_) return;
  try {
    conn_.cached("PRAGMA foreign_keys=ON").run();
  } catch (...) {
    // Nothing sensible to do in a destructor; the connection only lives for
    // this run.
  }
}

std::string foreign_key_violations(Connection& conn) {
  StmtUse q = conn.cached("PRAGMA foreign_key_check");
  std::string shown;
  long long count = 0;
  while (q.step()) {
    if (++count > kShownViolations) continue;
    // Columns: table, rowid (NULL for WITHOUT ROWID tables), parent, fkid.
    std::string row = q.is_null(1) ? "a row" : "rowid " + q.text(1);
    if (!shown.empty()) shown += "; ";
    shown += fmt::format("{} {} references a missing row in {}", q.text(0), row, q.text(2));
  }
  if (count == 0) return {};
  if (count > kShownViolations) shown += fmt::format("; and {} more", count - kShownViolations);
  return fmt::format("{} foreign key violation{}: {}", count, count == 1 ? "" : "s", shown);
}

bool schema_may_have_foreign_keys(Connection& conn) {
  // LIKE is case-insensitive for ASCII. Run once per run, not per step.
  StmtUse q = conn.cached(
      "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%references%' "
      "UNION ALL SELECT 1 FROM sqlite_temp_schema WHERE type = 'table' AND sql LIKE "
      "'%references%' LIMIT 1");
  return q.step();
}

bool sql_may_add_foreign_keys(const std::string& sql) {
  return contains_any_nocase(sql, {"references", "writable_schema"});
}

}  // namespace migrate::db::sqlite
