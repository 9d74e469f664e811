// Internal to the PostgreSQL differ: the operations for one column kept
// under the same (or a hinted) name.
#pragma once

#include "schema/model.h"
#include "schema/postgres/pg_diff_plan.h"

namespace migrate::schema::postgres {

// Whether `type` is (an array of) an enum type being rebuilt.
bool uses_rebuilt_enum(const std::string& type, const Plan& plan);
// The entry of Plan::rebuilt_enums for `type`, or nullptr.
const std::pair<const QualifiedName, bool>* rebuilt_enum_of(const std::string& type,
                                                            const Plan& plan);

// Whether the column must be dropped and added again (PostgreSQL cannot
// alter a generated column's expression, nor turn a column into or out of
// a generated one in place).
bool needs_rebuild(const Column& from, const Column& to);

// The AlterColumn (phase kTables) turning column `from` into `to` of table
// `table` (its name after any rename), and its comment. Returns true when
// the column's type or collation changes (views on it must be recreated,
// foreign keys over it re-added).
bool alter_column(const QualifiedName& table, const Column& from, const Column& to, Plan& plan);

// `expr`, a value of column `from`'s type, as a value of `to`'s: converted
// as ALTER COLUMN ... TYPE would convert the column (through text between
// enum types or to a rebuilt enum, a cast where no assignment cast exists).
std::string converted(const std::string& expr, const Column& from, const Column& to,
                      const Plan& plan);

}  // namespace migrate::schema::postgres
