// The PostgreSQL rules, one family per file (pg_rules_data.cpp,
// pg_rules_txn.cpp, pg_rules_locks.cpp, pg_rules_compat.cpp,
// pg_rules_style.cpp), over one statement's parse tree at a time. What they
// need to know about the run so far (tables created, checks added) lives in
// RunState; what only matters within one step (its transaction) in
// StepState. pg_linter.cpp drives them and records each statement's effects
// after the rules have looked at it.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "lint/pg_tree.h"
#include "lint/section_linter.h"

namespace migrate::lint::pg {

// A CHECK (col IS NOT NULL) seen in the run.
struct NotNullCheck {
  std::string table, column;
  bool validated = false;
};

// Hashed where only looked up: a run of 10,000 revisions holds tens of
// thousands of tables and columns.
struct RunState {
  std::unordered_set<std::string> new_tables;                // created in this run
  std::unordered_map<std::string, std::string> new_indexes;  // index -> its (new) table
  std::unordered_set<std::string> foreign_keys;              // constraint names known to be FKs
  std::map<std::string, NotNullCheck> not_null_checks;       // by name; iterated in order
  // "table.column" -> type name (as type_of gives it) and modifiers, for
  // columns whose type the run has seen (created or changed).
  std::unordered_map<std::string, std::pair<std::string, std::vector<long long>>> column_types;
};

struct StepState {
  bool transactional = true;
  // The first statement of the step that took an ACCESS EXCLUSIVE lock on
  // an existing table: what it locked, and whether the rule has fired.
  std::string exclusive_table;
  bool exclusive_reported = false;
  std::set<std::string> not_valid_added;  // constraint names added NOT VALID in this step
  // Tables this step created (a copy of RunState::new_tables per step
  // would make a long run quadratic).
  std::set<std::string> created;
  bool pending_on_database = false;  // Source::pending_on_database
};

// One statement, as the rules see it.
struct Statement {
  Value node;  // {"Kind": {...}}
  std::string_view kind;
  Value body;
  std::size_t begin;  // byte offset of its first token in the section
  int postgres_version;
  const Settings& settings;  // function volatility (Settings::volatility)
  RunState& run;
  StepState& step;
  std::vector<Hit>& hits;

  void hit(RuleId id, std::size_t offset, std::string message, std::string help = {}) const {
    hits.push_back({id, offset, std::move(message), std::move(help)});
  }
  bool is_new(const std::string& table) const { return run.new_tables.count(table) != 0; }
  // Whether every row of `table` is one this run wrote (Source::pending_on_database).
  bool rows_are_the_runs(const std::string& table) const {
    return is_new(table) && (step.pending_on_database || step.created.count(table) != 0);
  }
  // Location of a node, else the statement's start.
  std::size_t at(Value n) const { return location_in(n, begin); }
};

void check_data(const Statement& s);
// The DELETE/UPDATE/MERGE rules on one DML node's body (kind: "DeleteStmt"),
// wherever it sits (a CTE, a function body); `context` is added to the
// message: " (in function f)".
void check_dml(const Statement& s, Value body, std::string_view kind, std::size_t at,
               const std::string& context);
void check_transactions(const Statement& s);
void check_locks(const Statement& s);
void check_compatibility(const Statement& s);
void check_style(const Statement& s);
// DML in function bodies (BEGIN ATOMIC, LANGUAGE sql, LANGUAGE plpgsql).
void check_function_body(const Statement& s, const std::string& sql);

// Whether the statement takes an ACCESS EXCLUSIVE lock on an existing
// table; the table's name, or "".
std::string access_exclusive_table(const Statement& s);
// Remembers what the statement did for later ones (new tables, checks...).
void record_effects(const Statement& s);

}  // namespace migrate::lint::pg
