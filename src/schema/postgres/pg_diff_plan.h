// Internal to the PostgreSQL differ: the operations collected, each in its
// phase, and what one part of the diff tells the others (which tables change
// under the views, which foreign keys and triggers must be recreated, which
// enum types are rebuilt). diff_postgres (pg_diff.cpp) runs the parts in
// order and renders the operations, phase by phase.
//
// The phases are the order the server accepts: what depends on an object is
// dropped before it and created after it.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "schema/diff.h"
#include "schema/model.h"
#include "schema/ops.h"
#include "schema/render.h"

namespace migrate::schema::postgres {

enum Phase {
  kDropTriggers,     // triggers that go or change (recreated in kCreateTriggers)
  kDropViews,        // dependents first, with the functions ranked among them (drop_rank)
  kDropForeignKeys,  // before the keys/tables/columns they reference change
  kCreateSchemas,
  kCreateExtensions,
  kCreateTypes,        // new enums, ADD VALUE, the first half of a rebuild
  kCreateSequences,    // new sequences, ALTER SEQUENCE
  kCreateFunctions,    // non-SQL functions (bodies not checked against tables)
  kTables,             // CREATE TABLE, ALTER TABLE of kept tables
  kSequenceOwnership,  // OWNED BY, once the owning column exists
  kDropTables,
  kDropSequences,
  kDropFunctions,
  kDropTypes,
  kDropExtensions,
  kDropSchemas,
  kAddForeignKeys,  // every table exists by now
  kCreateViews,     // with the functions ordered among them (create_rank), each after what it uses
  kCreateIndexes,
  kAddForeignKeysOnIndexes,  // those whose referenced columns only a unique index covers
  kCreateTriggers,
  kComments,
  kPrivileges,  // owners and privileges, once every object is there
  kPhaseCount
};

struct Plan {
  OpPlan ops;

  // Per table (by its name in `to`), the columns (by their name in `from`)
  // that change under the views and triggers reading them: type or
  // collation change, drop, rename, rebuilt generated column. Views and
  // triggers that use them are recreated (so are views on renamed tables).
  std::map<QualifiedName, std::set<std::string>> reshaped_columns;
  // Tables of `from` that are dropped.
  std::set<QualifiedName> dropped_tables;
  // OWNED BY targets ("schema.table.column", as Sequence::owned_by) whose
  // column goes away: the server drops their sequences with the column.
  std::set<std::string> dropped_owners;
  // Old name -> new name for renamed tables.
  std::map<QualifiedName, QualifiedName> renamed_tables;
  // Enum types rebuilt (a label removed or reordered, or a new label used
  // in the same script), with whether they lose labels: their columns are
  // converted through text.
  std::map<QualifiedName, bool> rebuilt_enums;
  // Every enum type of either side, as format_type writes it: a column
  // moved from one enum to another is converted through text (the server
  // has no cast between two enums).
  std::set<std::string> enum_types;
  // Functions dropped and created again (signature change): triggers on
  // them are recreated.
  std::set<QualifiedName> recreated_functions;
  // Views dropped and created again: their triggers are recreated.
  std::set<QualifiedName> recreated_views;
  // Tables (by their name in `from`) whose rows an UPDATE of the script
  // rewrites to keep a column's values (ops::InheritColumn): their triggers
  // are dropped before and created again after it, so that it fires none.
  std::set<QualifiedName> rewritten_tables;
  // The differ's own warnings (what it leaves as it is, and why).
  std::vector<std::string> warnings;

  // Views and the functions ordered with them (ordered_with_views): the
  // position of each (code_key) in the dependency order of `to` for
  // kCreateViews, and of `from`, reversed, for kDropViews (pg_diff_order.cpp).
  std::map<std::string, int> create_rank, drop_rank;

  // An operation that runs in `phase`; `reported`: see ops::Operation.
  void add(Phase phase, ops::Op op, bool reported = true) {
    ops.add(phase, {std::move(op), reported});
  }
  // An operation placed by its rank within `phase` (create_rank, drop_rank).
  void add_ranked(Phase phase, const std::map<std::string, int>& ranks, const std::string& key,
                  ops::Op op, bool reported = true) {
    ops.add(phase, {std::move(op), reported}, rank(ranks, key));
  }
  static int rank(const std::map<std::string, int>& ranks, const std::string& key);
  // A comment that is part of another reported change (a new object's).
  void comment(ops::Comment c) { add(kComments, std::move(c), false); }
};

// The parts, in the order diff_postgres runs them (each may read what the
// earlier ones recorded in the plan).
// Whether `f` is created among the views (kCreateViews, by create_rank):
// the server checks it against tables or views (a LANGUAGE sql body, a
// relation's row type in its signature, a BEGIN ATOMIC body reading one) and
// no column default, CHECK or index of `s` calls it (then it comes before
// the tables, in kCreateFunctions, and may read only what exists by then).
bool ordered_with_views(const Function& f, const Schema& s);
std::string code_key(const Function& f);
std::string code_key(const View& v);
// Fills create_rank and drop_rank.
void rank_code(const Schema& from, const Schema& to, Plan& plan);

void diff_schemas_and_extensions(const Schema& from, const Schema& to, Plan& plan);
void diff_enums(const Schema& from, const Schema& to, Plan& plan);
void diff_sequences(const Schema& from, const Schema& to, Plan& plan);
void diff_functions(const Schema& from, const Schema& to, Plan& plan);
void diff_tables(const Schema& from, const Schema& to, Plan& plan);
void diff_views(const Schema& from, const Schema& to, Plan& plan);
void diff_triggers(const Schema& from, const Schema& to, Plan& plan);
// pg_diff_kinds.cpp. Collations and domains run before the enums' drops are
// placed (ranks within kCreateTypes / kDropTypes); row security after
// diff_tables (renamed, dropped and reshaped tables).
void diff_collations(const Schema& from, const Schema& to, Plan& plan);
void diff_domains(const Schema& from, const Schema& to, Plan& plan);
void diff_composite_types(const Schema& from, const Schema& to, Plan& plan);
void diff_range_types(const Schema& from, const Schema& to, Plan& plan);
void diff_row_security(const Schema& from, const Schema& to, Plan& plan);
// pg_diff_db_kinds.cpp; after diff_tables and diff_functions (dropped,
// renamed tables; recreated functions).
void diff_event_triggers(const Schema& from, const Schema& to, Plan& plan);
void diff_publications(const Schema& from, const Schema& to, Plan& plan);
// pg_diff_privileges.cpp; last (what the plan drops and creates again).
void diff_privileges(const Schema& from, const Schema& to, Plan& plan);

// Whether a view or trigger of `from` that uses `columns` of `table` (its
// name in `from`; "" = every column) uses one that the plan reshapes.
bool reads_reshaped(const Plan& plan, const QualifiedName& table,
                    const std::vector<std::string>& columns);

}  // namespace migrate::schema::postgres
