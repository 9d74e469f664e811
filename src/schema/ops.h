// Typed schema operations: what a differ decides to do, before any SQL is
// written (after Alembic's alembic/operations/ops.py). A differ (one per
// dialect) matches two schemas and produces operations; the dialect's
// renderer (schema/render.h) turns each into SQL statements and into the
// human summary `check` prints. The expand/contract planner and the linter
// build, inspect and rewrite the same operations.
//
// Each operation carries the model objects it acts on (schema/model.h), so
// it can be built and rendered without a `from`
// schema: a hand-built AlterColumn from a column to the same column with
// not_null set renders as SET NOT NULL. Fields named `from`/`to` are the
// object as it is and as it becomes. Table names are the ones the statement
// addresses when it runs (before a rename that comes later in the plan).
// Whether an operation loses data, and why, is `data_loss` of its dialect's
// renderer, computed from these fields.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "schema/model.h"

namespace migrate::schema::ops {

// ---- schemas, extensions (PostgreSQL) ------------------------------------

struct CreateSchema {
  std::string name;
};
struct DropSchema {  // the server refuses unless it is empty
  std::string name;
};
struct CreateExtension {
  Extension extension;
};
struct AlterExtension {  // SET SCHEMA and/or UPDATE TO
  Extension from, to;
  // The server has no update path from `from.version` to `to.version` (a
  // downgrade, mostly): no UPDATE TO; the version is left and a warning says so.
  bool no_update_path = false;
};
struct DropExtension {
  Extension extension;
};

// ---- enum types (PostgreSQL) -----------------------------------------------

// Why an enum is rebuilt (renamed aside, created again, its columns converted
// through text, the old copy dropped) rather than altered with ADD VALUE.
struct EnumRebuild {
  std::vector<std::string> removed;  // labels it loses (first reason when any)
  std::string used_label;            // a new label the same script uses (ADD VALUE forbids it)
  // neither: its labels are reordered
};
struct CreateEnum {
  EnumType type;
  std::optional<EnumRebuild> rebuild;  // set: this is the new copy of a rebuilt enum
};
struct AddEnumValue {
  QualifiedName type;
  std::string label;
  std::string neighbour;  // the label it goes AFTER (or BEFORE when `before`)
  bool before = false;
};
struct RenameEnum {
  QualifiedName type;
  std::string new_name;
};
struct DropEnum {
  QualifiedName type;
  // Set when `type` is the old copy of the rebuilt enum `rebuilt`: dropping
  // it is where rows holding `removed_labels` fail to convert.
  QualifiedName rebuilt;
  std::vector<std::string> removed_labels;
};

// ---- sequences (PostgreSQL) ------------------------------------------------

struct CreateSequence {  // without OWNED BY (SetSequenceOwner, once the column exists)
  Sequence sequence;
};
struct AlterSequence {  // every option to `to`'s
  Sequence from, to;
};
struct SetSequenceOwner {
  QualifiedName sequence;
  std::string owned_by;  // as Sequence::owned_by; "" = OWNED BY NONE
};
struct DropSequence {
  Sequence sequence;
  // The server drops it with its owning column: no statement of its own.
  bool with_column = false;
};

// ---- functions (PostgreSQL) ------------------------------------------------

struct CreateFunction {  // Function::definition, a CREATE OR REPLACE
  Function function;
  bool replaces_body = false;  // an existing function gets a new body
  bool recreates = false;      // dropped just before (DropFunction::recreated)
};
struct DropFunction {
  Function function;
  bool recreated = false;  // created again with another signature
};

// ---- tables ----------------------------------------------------------------

struct CreateTable {  // PostgreSQL: every constraint but foreign keys; SQLite: Table::sql
  Table table;
};
struct DropTable {
  Table table;
};
struct RenameTable {  // PostgreSQL: RENAME TO and/or SET SCHEMA
  QualifiedName from, to;
};

struct AddColumn {
  QualifiedName table;
  Column column;
  // The column's definition as written (SQLite: from the stored CREATE
  // TABLE, byte for byte but squeezed); "" = composed from `column`.
  std::string definition;
  // Added again at once after a DropColumn of the same name (a generated
  // expression changes, or a column becomes or stops being generated).
  bool replaces = false;
};
struct DropColumn {
  QualifiedName table;
  Column column;
  bool replaced = false;  // added again at once (AddColumn::replaces)
  // PostgreSQL: ALTER TABLE ONLY: a child table that inherits the column
  // keeps it (as its own).
  bool only = false;
};
struct RenameColumn {
  QualifiedName table;
  std::string from, to;
};

// Everything about one column but its name and comment: type (USING),
// collation, NOT NULL, default, identity. Renders as the ALTER COLUMN
// subcommands that turn `from` into `to`, in an order the server accepts.
struct AlterColumn {
  QualifiedName table;
  Column from, to;  // `to.name` names the column
  // USING expression for a type change; "" = a cast when the types need one.
  std::string using_expr;
  // `to.type` is an enum the same plan rebuilds: the column is converted
  // (through text) even though the type's name does not change;
  // `rebuilt_type_loses_labels` when rows holding a removed label fail.
  bool rebuilt_type = false;
  bool rebuilt_type_loses_labels = false;
};

struct AddConstraint {
  QualifiedName table;
  Constraint constraint;
  bool not_valid = false;  // PostgreSQL: CHECK / FOREIGN KEY ... NOT VALID
};
struct ValidateConstraint {
  QualifiedName table;
  std::string name;
};
struct DropConstraint {
  QualifiedName table;
  Constraint constraint;
  // The constraint of the same name it makes room for (added later in the
  // plan): the summary says "change" rather than "drop".
  std::optional<Constraint> replacement;
  // The table's name once the plan has run, when a later RenameTable
  // renames it (the summary names the table so); empty = `table`.
  QualifiedName table_after;
};

struct CreateIndex {
  Index index;  // Index::table is the table or materialized view it is on
  bool concurrently = false;
  bool on_view = false;  // a materialized view's index (the summary says "of")
};
struct DropIndex {
  Index index;
  std::optional<Index> replacement;  // as DropConstraint::replacement
  QualifiedName table_after;         // as DropConstraint::table_after
  bool with_table = false;  // dropped with its table (SQLite: dropped or rebuilt): no statement
  bool concurrently = false;
};

// SQLite's documented table rebuild: CREATE TABLE under a temporary name
// with `to`'s definition, copy the kept columns, DROP TABLE, RENAME.
struct RebuildReason {
  enum class Kind {
    kColumnChanged,           // `column` (after in-place renames) differs from `column_to`
    kWithoutRowid,            // WITHOUT ROWID `added` or dropped
    kStrict,                  // STRICT `added` or dropped
    kColumnNotAddable,        // `column_to` cannot be added in place: `blocker`
    kColumnUsedByConstraint,  // `column` is dropped but `constraint` (a definition) uses it
    kColumnUsedByGenerated,   // `column` is dropped but generated column `column_to` uses it
    kConstraintDropped,       // `constraint`: its normalised definition
    kConstraintAdded,
  };
  enum class Blocker {
    kUnreadable,  // its definition cannot be read
    kPrimaryKey,
    kUnique,
    kStoredGenerated,
    kNonConstantDefault,  // a default that is an expression or CURRENT_*
    kNotNullWithoutDefault,
    kReferencesWithDefault,  // REFERENCES with a non-NULL default
  };
  Kind kind = Kind::kColumnChanged;
  Column column, column_to;
  bool added = false;
  Blocker blocker = Blocker::kUnreadable;
  std::string constraint;
};
struct RebuildTable {
  Table from, to;
  std::vector<std::pair<std::string, std::string>> kept;  // (from, to) column names
  std::vector<Column> dropped, added;
  std::vector<RebuildReason> reasons;
};

// ---- views, triggers ---------------------------------------------------------

// Why a view that exists on both sides is created again.
struct ViewRecreate {
  enum class Cause { kDefinition, kTable, kView, kFunction };
  Cause cause = Cause::kDefinition;
  // The table that changes under it / the view or function recreated.
  QualifiedName object;
};
struct CreateView {  // also a materialized view, with View::indexes as CreateIndex
  View view;
  bool or_replace = false;  // CREATE OR REPLACE VIEW
  std::optional<ViewRecreate> recreate;
};
struct DropView {
  View view;
};
struct CreateTrigger {
  Trigger trigger;
  bool recreated = false;  // it existed: dropped earlier in the plan
};
struct DropTrigger {
  Trigger trigger;
  bool replaced = false;  // created again with another definition later in the plan
};

// ---- comments (PostgreSQL) ---------------------------------------------------

struct Comment {
  enum class On {
    kTable,
    kColumn,      // member: the column
    kConstraint,  // member: the constraint
    kIndex,       // object: its table or view; member: the index
    kView,
    kMaterializedView,
    kEnum,
    kFunction,  // args: identity arguments
    kProcedure,
  };
  On on = On::kTable;
  QualifiedName object;
  std::string member;
  std::string args;
  std::string text;  // "" = remove the comment
};

// ---- table-level attributes (PostgreSQL) --------------------------------------

struct SetLogged {  // ALTER TABLE ... SET LOGGED | SET UNLOGGED
  QualifiedName table;
  bool unlogged = false;
};
// ALTER TABLE | INDEX | VIEW | MATERIALIZED VIEW ... RESET (...) and SET (...).
struct SetRelationOptions {
  enum class Kind { kTable, kIndex, kView, kMaterializedView };
  Kind kind = Kind::kTable;
  QualifiedName relation;             // an index: (schema, index name)
  std::vector<std::string> from, to;  // reloptions, "name=value"
};
// The SQL keyword of a SetRelationOptions' kind: "TABLE", "INDEX", "VIEW",
// "MATERIALIZED VIEW" (the summary prints it in lowercase).
inline const char* relation_keyword(SetRelationOptions::Kind kind) {
  using Kind = SetRelationOptions::Kind;
  return kind == Kind::kTable              ? "TABLE"
         : kind == Kind::kIndex            ? "INDEX"
         : kind == Kind::kMaterializedView ? "MATERIALIZED VIEW"
                                           : "VIEW";
}
// ALTER TABLE ... ALTER COLUMN c SET STATISTICS n, or for an index's column
// number: ALTER INDEX ... ALTER COLUMN 2 SET STATISTICS n.
struct SetStatistics {
  QualifiedName table;   // the table (of the index)
  std::string index;     // "" = a column of the table
  std::string column;    // the table's column
  int index_column = 0;  // the index's column number
  int target = -1;       // -1 = the server's default
};
// ALTER TABLE parent ATTACH PARTITION child FOR VALUES ..., or (table
// inheritance, `bound` "") ALTER TABLE child INHERIT parent.
struct AttachChild {
  QualifiedName parent, child;
  std::string bound;
  bool partition = false;
};
// DETACH PARTITION, or NO INHERIT.
struct DetachChild {
  QualifiedName parent, child;
  bool partition = false;
};
// PostgreSQL: a child's own column (attislocal) becomes inherited only, as
// its parent adds a column of that name. No ALTER makes a column stop being
// the table's own, and the parent's ADD COLUMN would merge into it, so the
// child's values are kept aside: kPark renames the column to `parked`
// before the parent's ADD COLUMN (which then adds the inherited one),
// kCopy right after it copies them over (UPDATE without ONLY: the rename
// reached the tables inheriting from the child too), and kDrop drops
// `parked` once its constraints and indexes are dropped.
struct InheritColumn {
  enum class Step { kPark, kCopy, kDrop };
  Step step = Step::kPark;
  QualifiedName table;   // the child
  QualifiedName parent;  // the parent that adds the column
  Column from;           // the child's own column
  Column to;             // the column as the parent adds it (its type)
  std::string parked;    // a name no column of the child or its children has
  std::string value;     // kCopy: the expression assigned (from `parked`, cast when needed)
};

// ---- row-level security, collations, domains (PostgreSQL) --------------------

struct SetRowSecurity {  // ENABLE/DISABLE and FORCE/NO FORCE ROW LEVEL SECURITY, as they change
  QualifiedName table;
  bool from_enabled = false, to_enabled = false;
  bool from_forced = false, to_forced = false;
};
struct CreatePolicy {
  Policy policy;
  bool recreated = false;  // it existed: dropped earlier in the plan
};
struct DropPolicy {
  Policy policy;
  bool replaced = false;  // created again later in the plan
};
struct CreateCollation {
  Collation collation;
};
struct DropCollation {
  Collation collation;
};
struct CreateDomain {  // with its default, NOT NULL and CHECK constraints
  Domain domain;
};
struct AlterDomain {  // default, NOT NULL and constraints to `to`'s (same base type)
  Domain from, to;
};
struct DropDomain {
  Domain domain;
};

// ---- event triggers, publications (PostgreSQL) ---------------------------------

struct CreateEventTrigger {  // with its ENABLE/DISABLE and comment when not the default
  EventTrigger trigger;
  bool recreated = false;  // it existed: dropped earlier in the plan
};
struct AlterEventTrigger {  // ENABLE/DISABLE and the comment, to `to`'s
  EventTrigger from, to;
};
struct DropEventTrigger {
  EventTrigger trigger;
  bool replaced = false;  // created again later in the plan
};
struct CreatePublication {  // with its comment
  Publication publication;
  bool recreated = false;  // it existed (FOR ALL TABLES changed): dropped earlier
};
// SET (publish options), SET the tables and schemas (DROP them when none is
// left), the comment: each to `to`'s when it differs, or `reset_objects`.
struct AlterPublication {
  Publication from, to;
  bool reset_objects = false;  // a table it names is dropped and created again
};
struct DropPublication {
  Publication publication;
  bool replaced = false;  // created again later in the plan
};

// ---- composite and range types (PostgreSQL) ------------------------------------

struct CreateCompositeType {  // with its comment
  CompositeType type;
};
// ADD / DROP / ALTER ATTRIBUTE ... TYPE, the comment: each to `to`'s.
struct AlterCompositeType {
  CompositeType from, to;
};
struct DropCompositeType {
  CompositeType type;
};
struct CreateRangeType {  // with its comment
  RangeType type;
  bool recreated = false;  // it existed: dropped just before
};
struct CommentRangeType {  // only the comment changes
  RangeType type;
};
struct DropRangeType {
  RangeType type;
  bool replaced = false;  // created again just after
};

// ---- owners and privileges (PostgreSQL, compared when inspected) ----------

struct SetOwner {  // ALTER ... OWNER TO object.owner
  Privileges object;
};
struct ChangePrivileges {  // REVOKE `revoke`, then GRANT `grant` (Privileges' items)
  Privileges object;
  std::vector<std::string> grant, revoke;
};

using Op =
    std::variant<CreateSchema, DropSchema, CreateExtension, AlterExtension, DropExtension,
                 CreateEnum, AddEnumValue, RenameEnum, DropEnum, CreateSequence, AlterSequence,
                 SetSequenceOwner, DropSequence, CreateFunction, DropFunction, CreateTable,
                 DropTable, RenameTable, AddColumn, DropColumn, RenameColumn, AlterColumn,
                 AddConstraint, ValidateConstraint, DropConstraint, CreateIndex, DropIndex,
                 RebuildTable, CreateView, DropView, CreateTrigger, DropTrigger, Comment, SetLogged,
                 SetRelationOptions, SetStatistics, AttachChild, DetachChild, InheritColumn,
                 SetRowSecurity, CreatePolicy, DropPolicy, CreateCollation, DropCollation,
                 CreateDomain, AlterDomain, DropDomain, CreateEventTrigger, AlterEventTrigger,
                 DropEventTrigger, CreatePublication, AlterPublication, DropPublication,
                 CreateCompositeType, AlterCompositeType, DropCompositeType, CreateRangeType,
                 CommentRangeType, DropRangeType, SetOwner, ChangePrivileges>;

struct Operation {
  Op op;
  // Whether the summary lists it. False for a step of a change that another
  // operation reports (a new table's indexes and comments, the ADD of a
  // constraint whose DROP said "change") or that follows from one (a
  // foreign key dropped and added again because its key's type changes).
  bool reported = true;
};

// Why an operation loses data when it runs on a table with rows.
enum class Loss {
  kNone,
  kTableRows,         // DropTable
  kColumnData,        // DropColumn
  kColumnReplaced,    // DropColumn of a column that becomes generated
  kNarrowing,         // AlterColumn to a type that may not hold every value
  kEnumLabels,        // a conversion to a rebuilt enum that lost labels
  kExtensionObjects,  // DropExtension
  kUncopiedColumns,   // RebuildTable that leaves columns behind
};

}  // namespace migrate::schema::ops
