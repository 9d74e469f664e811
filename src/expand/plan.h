// PLAN.yaml of `migrate revision --expand-contract` (contract: "Zero-downtime
// changes: expand/contract"): one table and the operations to make on it,
// read with yaml-cpp keeping each key's line, so that every refusal later
// (expand/pg_planner.h) names PLAN.yaml:LINE. Parsing checks the shape only
// (known operations and keys, required keys, value kinds); whether the plan
// fits the table's schema is the planner's job.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace migrate::expand {

enum class OpKind {
  kRenameColumn,   // from, to
  kChangeType,     // column, to, type, up, down
  kSetNotNull,     // column, fill
  kAddColumn,      // column, type, not_null, default
  kDropColumn,     // column, down
  kAddCheck,       // name, check
  kAddForeignKey,  // name, columns, references {table, columns}
  kAddUnique,      // name, columns
  kCreateIndex,    // name, columns, where, unique
};
const char* op_name(OpKind kind);  // "rename_column", ...

struct PlanOp {
  OpKind kind = OpKind::kRenameColumn;
  int line = 0;  // 1-based line of the operation's list item
  // Scalar keys as written (from, to, column, type, up, down, fill, default,
  // name, check, where, not_null, unique); absent keys are absent.
  std::map<std::string, std::string> values;
  std::map<std::string, int> lines;  // the line of each key (also columns, references)
  std::vector<std::string> columns;
  std::string ref_table;  // add_foreign_key: references.table
  std::vector<std::string> ref_columns;

  bool has(const std::string& key) const { return values.count(key) != 0; }
  // The value of `key`, "" when absent.
  std::string get(const std::string& key) const;
  // The line of `key`, else the operation's line.
  int line_of(const std::string& key) const;
  bool flag(const std::string& key) const;  // a YAML boolean, false when absent
};

struct Plan {
  std::string path;    // as given; in every message
  std::string schema;  // "" = the default (public)
  std::string table;
  int table_line = 0;
  std::vector<PlanOp> operations;

  // "PATH:LINE"
  std::string at(int line) const { return path + ":" + std::to_string(line); }
};

// Throws migrate::Error "PATH:LINE: what is wrong" for bad YAML, a missing
// `table` or `operations`, an unknown operation or key, a missing required
// key, or a value of the wrong kind.
Plan parse_plan(const std::string& text, const std::string& path);
Plan read_plan(const std::string& path);

}  // namespace migrate::expand
