// The PostgreSQL renderer: each operation's statements
// (pg_render_sql.cpp), summary lines, warnings and data loss
// (pg_render_summary.cpp); and the SQL text helpers they share, over the
// server's canonical definitions (pg_render.cpp).
#pragma once

#include <string>
#include <vector>

#include "schema/model.h"
#include "schema/ops.h"
#include "schema/render.h"

namespace migrate::schema::postgres {

const Renderer& renderer();

// Renderer::statements and Renderer::data_loss, without the object.
void render_statements(const ops::Operation& op, std::vector<DiffStatement>& out);
ops::Loss data_loss(const ops::Operation& op);
ops::Loss alter_column_loss(const ops::AlterColumn& op);
// The copy of an InheritColumn that narrows the type (kNarrowing), else kNone.
ops::Loss inherit_column_loss(const ops::InheritColumn& op);

// Whether the AlterColumn changes the column's type or collation (or
// converts it to a rebuilt enum): the server rewrites it, and views and
// foreign keys over it must be recreated.
bool retypes(const ops::AlterColumn& op);

// "FUNCTION public.f(integer)" / "PROCEDURE public.p()": how DROP and
// COMMENT name a function.
std::string function_signature(const Function& f);

// `name type [COLLATE c] [GENERATED ...] [DEFAULT e] [NOT NULL]`.
std::string column_definition(const Column& c);

// CREATE TABLE with its columns and every constraint but foreign keys
// (added once every table exists).
std::string create_table(const Table& t);

// An index definition without its "CREATE [UNIQUE] INDEX name ON table"
// head: what two indexes of the same name are compared on, so that a table
// rename alone does not recreate them.
std::string index_shape(const Index& index);

// Whether `old_type` -> `new_type` may fail or lose data (anything but a
// known widening, e.g. integer -> bigint, varchar(n) -> varchar(m >= n) or text).
bool narrowing(const std::string& old_type, const std::string& new_type);

// Whether ALTER COLUMN ... TYPE needs USING (no assignment cast between the
// types): true unless both are in the same family (numbers, strings) or the
// new one is a string type.
bool needs_using(const std::string& old_type, const std::string& new_type);

// The statements of the database-level kinds (pg_render_db_kinds.cpp).
std::vector<std::string> db_kind_sql(const ops::CreateEventTrigger& op);
std::vector<std::string> db_kind_sql(const ops::AlterEventTrigger& op);
std::vector<std::string> db_kind_sql(const ops::DropEventTrigger& op);
std::vector<std::string> db_kind_sql(const ops::CreatePublication& op);
std::vector<std::string> db_kind_sql(const ops::AlterPublication& op);
std::vector<std::string> db_kind_sql(const ops::DropPublication& op);

// The statements of composite and range types (pg_render_types.cpp).
std::vector<std::string> type_sql(const ops::CreateCompositeType& op);
std::vector<std::string> type_sql(const ops::AlterCompositeType& op);
std::vector<std::string> type_sql(const ops::DropCompositeType& op);
std::vector<std::string> type_sql(const ops::CreateRangeType& op);
std::vector<std::string> type_sql(const ops::CommentRangeType& op);
std::vector<std::string> type_sql(const ops::DropRangeType& op);

// Owners and privileges (pg_render_privileges.cpp): statements, summary.
std::vector<std::string> privilege_sql(const ops::SetOwner& op);
std::vector<std::string> privilege_sql(const ops::ChangePrivileges& op);
std::string privilege_summary(const ops::SetOwner& op);
std::string privilege_summary(const ops::ChangePrivileges& op);

}  // namespace migrate::schema::postgres
