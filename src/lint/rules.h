// The catalogue of lint rules: one entry per stable id, with its category,
// default severity, whether it is on by default, a one-line summary and the
// help text that names the safe alternative. docs/safety.md documents every
// entry (tests/e2e/lint_docs_test.cpp checks that it names them all).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "lint/finding.h"

namespace migrate::lint {

enum class Category { data, locks, compatibility, transactions, style, lint };

const char* category_name(Category c);

// One id per rule; the catalogue (rules.cpp) is indexed by it.
enum class RuleId : std::size_t {
  // data
  delete_without_where,
  update_without_where,
  merge_without_condition,
  truncate_table,
  drop_table,
  drop_schema,
  drop_column,
  unique_on_existing_data,
  // transactions
  transaction_control,
  concurrently_in_transaction,
  // locks
  index_without_concurrently,
  drop_index_without_concurrently,
  reindex_without_concurrently,
  constraint_without_not_valid,
  validate_in_same_transaction,
  constraint_builds_index,
  set_not_null,
  add_column_not_null_without_default,
  volatile_default,
  stored_generated_column,
  column_type_change,
  vacuum_full,
  cluster,
  work_after_access_exclusive,
  // compatibility
  rename_table,
  rename_column,
  drop_not_null,
  drop_foreign_key,
  // style (off unless enabled)
  prefer_bigint,
  prefer_timestamptz,
  prefer_text,
  prefer_identity,
  // the linter's own
  bad_ignore,
  unused_ignore,
  not_converted,
  parse_error,
  count_
};

struct Rule {
  RuleId id;
  const char* name;  // the stable id: "delete-without-where"
  Category category;
  Severity severity;  // default
  bool on_by_default;
  bool postgres, sqlite;  // the dialects it checks
  const char* summary;    // what it catches, one line
  const char* help;       // the safe alternative
};

const std::vector<Rule>& all_rules();
const Rule& rule(RuleId id);
// nullptr when no rule has that id.
const Rule* find_rule(std::string_view name);

}  // namespace migrate::lint
