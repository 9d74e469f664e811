#include "db/sqlite/sqlite_version_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "util/error.h"

namespace migrate::db::sqlite {

std::string format_heads(const std::vector<std::string>& heads) {
  if (heads.empty()) return "[] (empty)";
  return fmt::format("[{}]", fmt::join(heads, ", "));
}

VersionStore::VersionStore(Connection& conn, const SqliteDialect& dialect, TableNames tables)
    : conn_(conn), dialect_(dialect), tables_(std::move(tables)) {
  for (auto kind :
       {graph::VersionOp::kInsert, graph::VersionOp::kUpdate, graph::VersionOp::kDelete}) {
    op_sql_[kind] = dialect_.version_op_template(tables_, kind);
    guarded_op_sql_[kind] = dialect_.guarded_version_op_template(tables_, kind);
  }
  history_insert_sql_ = dialect_.history_insert_template(tables_);
  select_heads_sql_ = dialect_.select_heads_sql(tables_);
}

bool VersionStore::table_exists(const std::string& name) {
  // sqlite_master rather than preparing a SELECT on the table: no error to
  // interpret, and nothing is created. Names compare case-insensitively, as
  // SQLite resolves them. main's: a TEMP table of the name is not ours.
  StmtUse q = conn_.cached(
      "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?1 COLLATE NOCASE");
  q.bind(1, name);
  return q.step();
}

bool VersionStore::version_table_exists() { return table_exists(tables_.version_table); }

bool VersionStore::history_table_exists() { return table_exists(tables_.history_table); }

void VersionStore::create_tables() {
  for (const auto& sql : dialect_.create_tables_sql(tables_)) conn_.exec(sql);
}

std::vector<std::string> VersionStore::heads() {
  std::vector<std::string> out;
  StmtUse q = conn_.cached(select_heads_sql_);
  while (q.step()) out.push_back(q.text(0));
  return out;
}

void VersionStore::check_heads(const std::vector<std::string>& expected,
                               const std::string& context) {
  std::vector<std::string> found = heads();
  if (std::set<std::string>(found.begin(), found.end()) ==
      std::set<std::string>(expected.begin(), expected.end()))
    return;
  std::vector<std::string> sorted_expected(expected.begin(), expected.end());
  std::sort(sorted_expected.begin(), sorted_expected.end());
  throw Error(fmt::format(
      "{}: the version table {} changed since this run read it (another migrate run?): expected "
      "{}, found {}; {} was not run",
      conn_.describe(), tables_.version_table, format_heads(sorted_expected), format_heads(found),
      context));
}

void VersionStore::apply(const graph::VersionOp& op, const std::string& context) {
  StmtUse q = conn_.cached(op_sql_[op.kind]);
  if (op.kind != graph::VersionOp::kInsert) q.bind(1, op.from);
  if (op.kind != graph::VersionOp::kDelete) q.bind(2, op.to);
  try {
    q.run();
  } catch (const Error& e) {
    throw Error(fmt::format("{}: {}", context, e.what()));
  }
  if (op.kind == graph::VersionOp::kInsert) return;
  int changed = sqlite3_changes(conn_.get());
  if (changed == 1) return;
  std::string what = op.kind == graph::VersionOp::kUpdate
                         ? fmt::format("UPDATE of version_num '{}' to '{}'", op.from, op.to)
                         : fmt::format("DELETE of version_num '{}'", op.from);
  throw Error(fmt::format(
      "{}: {}: {} in the version table {} touched {} rows, expected exactly 1; rolled back",
      conn_.describe(), context, what, tables_.version_table, changed));
}

void VersionStore::apply_checked(const std::vector<graph::VersionOp>& ops,
                                 const std::vector<std::string>& expected,
                                 const std::string& context) {
  using Kind = graph::VersionOp::Kind;
  const bool foldable =
      !ops.empty() &&
      ((expected.size() == 1 && ops[0].kind != Kind::kInsert && ops[0].from == expected[0]) ||
       (expected.empty() && ops[0].kind == Kind::kInsert));
  if (!foldable) {
    check_heads(expected, context);
    for (const auto& op : ops) apply(op, context);
    return;
  }
  const graph::VersionOp& first = ops[0];
  {
    StmtUse q = conn_.cached(guarded_op_sql_[first.kind]);
    if (first.kind != Kind::kInsert) q.bind(1, first.from);
    if (first.kind != Kind::kDelete) q.bind(2, first.to);
    try {
      q.run();
    } catch (const Error& e) {
      throw Error(fmt::format("{}: {}", context, e.what()));
    }
  }
  if (sqlite3_changes(conn_.get()) != 1) {
    // The table is not what this run read: say how (nothing was changed).
    check_heads(expected, context);
    apply(first, context);  // cannot succeed either; throws its own message
    throw Error(fmt::format("{}: {}: internal error: the version table check failed",
                            conn_.describe(), context));
  }
  for (std::size_t i = 1; i < ops.size(); ++i) apply(ops[i], context);
}

void VersionStore::record(const HistoryRecord& row) {
  StmtUse q = conn_.cached(history_insert_sql_);
  q.bind(1, row.revision).bind(2, row.direction);
  if (row.checksum.empty())
    q.bind_null(3);
  else
    q.bind(3, row.checksum);
  q.bind(4, row.started_at).bind(5, row.duration_ms).bind(6, row.applied_by).bind(7, row.status);
  q.run();
}

std::vector<HistoryEntry> VersionStore::history() {
  std::vector<HistoryEntry> out;
  Stmt stmt = conn_.prepare(dialect_.select_history_sql(tables_));
  StmtUse q(conn_, stmt.get());
  while (q.step()) {
    HistoryEntry e;
    e.id = q.int64(0);
    e.revision = q.text(1);
    e.direction = q.text(2);
    e.checksum = q.text(3);
    e.started_at = q.text(4);
    if (!q.is_null(5)) e.duration_ms = q.real(5);
    e.applied_by = q.text(6);
    e.status = q.text(7);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace migrate::db::sqlite
