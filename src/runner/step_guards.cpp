#include "runner/step_guards.h"

namespace migrate::runner {

db::RowGuards step_guards(const script::RevisionFile& file, bool upgrade,
                          const db::Dialect& dialect) {
  db::RowGuards guards;
  guards.max_rows = file.max_rows_affected;
  const std::string& sql = upgrade ? file.upgrade_sql : file.downgrade_sql;
  const int first_line = upgrade ? file.upgrade_line : file.downgrade_line;
  if (db::may_have_expect_rows(sql)) {
    guards.expect = db::parse_expect_rows(sql, first_line, file.path);
    if (!guards.expect.empty())
      db::check_expect_rows_targets(guards.expect, dialect.split(sql, first_line, file.path),
                                    file.path);
  }
  if (!file.transactional)
    db::refuse_guards_outside_transaction(
        guards, file.path, "revision " + file.id + (upgrade ? " (upgrade)" : " (downgrade)"));
  return guards;
}

}  // namespace migrate::runner
