// The schema model: what inspection produces (per dialect, src/schema/<dialect>/)
// and what the diff engine compares (src/schema/diff.*). Dialect-neutral: every
// field holds the server's own canonical text (PostgreSQL: format_type,
// pg_get_expr, pg_get_constraintdef, pg_get_indexdef, pg_get_viewdef,
// pg_get_functiondef, pg_get_triggerdef; SQLite: the pragmas and the stored SQL
// in sqlite_schema), so two schemas are compared object by object, never as
// SQL text written by a person. Both sides of a diff always come from the same
// dialect (a desired-state .sql file is applied to a dev database and
// inspected), so canonical forms are comparable.
//
// What an object uses (Uses, View::columns_read) comes from the server too
// (PostgreSQL: pg_depend; SQLite: the tokens of the stored text), so the
// differ never searches definitions for words: `CHECK (kind <> 'status')`
// does not use a column `status`.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/url.h"

namespace migrate::schema {

// A schema-qualified name. SQLite: schema is "main".
struct QualifiedName {
  std::string schema;
  std::string name;
  bool operator==(const QualifiedName& o) const { return schema == o.schema && name == o.name; }
  bool operator!=(const QualifiedName& o) const { return !(*this == o); }
  bool operator<(const QualifiedName& o) const {
    return schema != o.schema ? schema < o.schema : name < o.name;
  }
};

// What an expression or definition uses: for deciding what a change
// disturbs (a constraint over a column whose type changes is recreated) and
// in which order objects are created.
struct Uses {
  // Columns of the object's own table, in the table's column order.
  std::vector<std::string> columns;
  std::vector<QualifiedName> functions;  // user functions called (by name)
  std::vector<QualifiedName> types;      // user types (an array type as its element type)
};

// A column of a table or view; `column` "" = the whole row (every column).
struct ColumnRef {
  QualifiedName table;
  std::string column;
  bool operator==(const ColumnRef& o) const { return table == o.table && column == o.column; }
};

struct Column {
  std::string name;
  std::string type;  // canonical, with modifiers: "character varying(20)", "numeric(12,2)"
  bool not_null = false;
  std::optional<std::string> default_expr;  // canonical expression text
  std::string identity;                     // PostgreSQL: "" | "always" | "by default"
  std::string generated;                    // expression of a STORED generated column; "" if none
  bool generated_virtual = false;           // SQLite: GENERATED ... VIRTUAL
  std::string collation;                    // "" = the type's default
  std::string comment;
  // From a desired-state file's `-- migrate:renamed-from OLD` hint (never
  // set by inspecting a live database).
  std::string renamed_from;
  // What its default or generation expression uses (never the column itself).
  Uses uses;
  // PostgreSQL: declared by a parent only (INHERITS or PARTITION OF; not
  // attislocal): CREATE TABLE leaves it to the parent, and the parent's
  // ALTER reaches it.
  bool inherited = false;
  int statistics = -1;  // SET STATISTICS target; -1 = the server's default
};

enum class ConstraintKind { PrimaryKey, Unique, Check, ForeignKey, Exclusion };

struct Constraint {
  std::string name;  // SQLite: may be "" for unnamed constraints
  ConstraintKind kind = ConstraintKind::Check;
  std::vector<std::string> columns;  // PK/unique/FK local columns, in order
  // The full canonical definition (PostgreSQL: pg_get_constraintdef, e.g.
  // "CHECK ((balance >= 0))", "FOREIGN KEY (a) REFERENCES t(id) ON DELETE CASCADE").
  // Equality of two constraints is equality of kind + definition.
  std::string definition;
  // Foreign keys, for ordering (create the referenced table first) and for
  // finding the FKs that point at a table being dropped or rebuilt.
  QualifiedName ref_table;
  std::vector<std::string> ref_columns;
  bool deferrable = false;
  bool initially_deferred = false;
  std::string comment;
  Uses uses;  // keys: their columns; CHECK and EXCLUDE: what the expressions use
};

struct Index {
  std::string name;
  QualifiedName table;
  bool unique = false;
  std::string method;                // "btree", "gin", ... ("" on SQLite)
  std::vector<std::string> columns;  // key columns when plain columns; may be empty
  std::string where;                 // partial index predicate, "" if none
  // Canonical CREATE INDEX statement (PostgreSQL: pg_get_indexdef; SQLite:
  // the stored sql). Equality of two indexes is equality of this text with
  // the index name substituted.
  std::string definition;
  std::string comment;
  Uses uses;  // key and INCLUDE columns, and what expressions and the predicate use
  // PostgreSQL: SET STATISTICS targets of its columns (an expression's),
  // as (column number from 1, target). The definition holds WITH (...).
  std::vector<std::pair<int, int>> statistics;
  // PostgreSQL: a partition's index that is a partition of its parent's
  // index: the parent's CREATE INDEX (or ATTACH PARTITION) makes it.
  bool attached = false;
};

// PostgreSQL: a row-level security policy of a table (CREATE POLICY).
struct Policy {
  std::string name;
  QualifiedName table;
  bool permissive = true;          // AS RESTRICTIVE when false
  std::string command = "ALL";     // ALL | SELECT | INSERT | UPDATE | DELETE
  std::vector<std::string> roles;  // as TO lists them (quoted), sorted; "PUBLIC" for everyone
  std::string using_expr;          // canonical (pg_get_expr); "" = none
  std::string check_expr;          // WITH CHECK; "" = none
};

struct Table {
  QualifiedName name;
  std::vector<Column> columns;  // in ordinal order
  std::vector<Constraint> constraints;
  // Indexes that back no constraint (PK/unique/exclusion indexes belong to
  // their constraint).
  std::vector<Index> indexes;
  std::string comment;
  std::string renamed_from;    // desired-state hint, see Column::renamed_from
  std::string sql;             // SQLite: the stored CREATE TABLE text; PostgreSQL: ""
  bool without_rowid = false;  // SQLite
  bool strict = false;         // SQLite
  // PostgreSQL's table-level attributes (pg_class, pg_inherits,
  // pg_partitioned_table).
  bool unlogged = false;
  // reloptions as stored ("fillfactor=70"), in the server's order (pg_dump
  // shows it): compared as a set (same_options in the differ).
  std::vector<std::string> options;
  std::string partition_by;     // pg_get_partkeydef: "RANGE (logdate)"; "" = not partitioned
  QualifiedName partition_of;   // the partitioned table it is a partition of; empty = none
  std::string partition_bound;  // "FOR VALUES FROM ('2006-02-01') TO (...)", "DEFAULT"
  std::vector<QualifiedName> inherits;  // INHERITS parents, in order (a partition has none)
  bool is_partition() const { return !partition_of.name.empty(); }
  // PostgreSQL row-level security: ENABLE, FORCE, and the policies (by name).
  bool row_security = false;
  bool force_row_security = false;
  std::vector<Policy> policies;

  const Column* column(const std::string& n) const {
    for (const auto& c : columns)
      if (c.name == n) return &c;
    return nullptr;
  }
};

struct View {
  QualifiedName name;
  std::string definition;  // canonical query text (pg_get_viewdef) / stored sql
  bool materialized = false;
  std::vector<Index> indexes;  // materialized views
  // Tables and views this view reads (PostgreSQL: pg_depend via pg_rewrite;
  // SQLite: names found in the definition), for ordering and for recreating
  // views whose base column changes.
  std::vector<QualifiedName> depends_on;
  // The columns of those tables and views it reads (PostgreSQL: pg_depend of
  // its rewrite rule). A relation it reads without naming a column (SELECT
  // count(*), a whole-row reference) is listed with column "".
  std::vector<ColumnRef> columns_read;
  // User functions its query calls (PostgreSQL: pg_depend of its rewrite rule).
  std::vector<QualifiedName> functions;
  std::string comment;
  std::vector<std::string> options;  // PostgreSQL reloptions, as Table::options
  // PostgreSQL: (column, comment) of its commented columns, in column order.
  std::vector<std::pair<std::string, std::string>> column_comments;
};

struct Sequence {
  QualifiedName name;
  std::string type = "bigint";
  long long start = 1, increment = 1, min_value = 1, max_value = 0, cache = 1;
  bool cycle = false;
  // "table.column" when OWNED BY (serial columns); "" otherwise. Sequences
  // owned by identity columns are not listed at all (they belong to the column).
  std::string owned_by;
};

struct EnumType {
  QualifiedName name;
  std::vector<std::string> labels;  // in sort order
  std::string comment;
};

struct Function {
  QualifiedName name;
  std::string identity_args;  // pg_get_function_identity_arguments, e.g. "integer, text"
  std::string definition;     // pg_get_functiondef (a full CREATE OR REPLACE)
  // "function" | "procedure" | "aggregate" | "operator". PostgreSQL: an
  // aggregate's or operator's `definition` is a CREATE AGGREGATE / CREATE
  // OPERATOR composed from the catalogs (there is no pg_get_*def for them);
  // an operator's name is its symbol and identity_args its operand types
  // ("NONE, integer" for a prefix operator).
  std::string kind = "function";
  std::string comment;
  // PostgreSQL: an argument or the result is a table's row type (RETURNS
  // SETOF customer), so the function can only exist while the table does.
  bool signature_uses_table = false;
  // PostgreSQL, for ordering and for what a change disturbs: the user types
  // (uses.types: signature, and a BEGIN ATOMIC body) and functions
  // (uses.functions) it uses, and the tables and views it reads or whose row
  // type its signature names (`relations`). From pg_depend; a LANGUAGE sql
  // body in a string, on which the server records nothing, from its parse
  // tree (names it leaves unqualified are matched in every schema).
  Uses uses;
  std::vector<QualifiedName> relations;
};

// PostgreSQL: CREATE COLLATION.
struct Collation {
  QualifiedName name;
  std::string provider;              // "libc" | "icu"
  std::string lc_collate, lc_ctype;  // libc
  std::string locale;                // icu
  bool deterministic = true;
  std::string comment;
};

// PostgreSQL: CREATE DOMAIN.
struct Domain {
  QualifiedName name;
  std::string type;  // the base type, canonical with modifiers
  bool not_null = false;
  std::optional<std::string> default_expr;
  std::string collation;                // "" = the base type's
  std::vector<Constraint> constraints;  // CHECK constraints, by name
  std::string comment;
};

struct Trigger {
  std::string name;
  QualifiedName table;
  std::string definition;                // pg_get_triggerdef / SQLite stored sql
  std::vector<QualifiedName> functions;  // PostgreSQL: the trigger function
  Uses uses;                             // columns of UPDATE OF and the WHEN condition; functions
};

struct Extension {
  std::string name;
  std::string schema;
  std::string version;
  // PostgreSQL: the versions `ALTER EXTENSION ... UPDATE TO` reaches from
  // `version` on the inspected server (pg_extension_update_paths); unset
  // when not inspected (a model built by hand).
  std::optional<std::vector<std::string>> updates;
};

// PostgreSQL: CREATE TYPE ... AS (attribute type [COLLATE c], ...).
struct CompositeType {
  QualifiedName name;
  std::vector<Column> attributes;  // name, type (format_type), collation ("" = the type's)
  std::string comment;
};

// PostgreSQL: CREATE TYPE ... AS RANGE (...).
struct RangeType {
  QualifiedName name;
  // The options in parentheses, composed from pg_range: SUBTYPE, and
  // SUBTYPE_OPCLASS, COLLATION, CANONICAL, SUBTYPE_DIFF, MULTIRANGE_TYPE_NAME
  // when set.
  std::string options;
  std::string comment;
};

// PostgreSQL: CREATE EVENT TRIGGER (a database's, in no schema).
struct EventTrigger {
  std::string name;
  std::string event;              // ddl_command_start, ddl_command_end, sql_drop, table_rewrite
  std::vector<std::string> tags;  // WHEN TAG IN (...); empty = every command
  QualifiedName function;
  // pg_event_trigger.evtenabled: 'O' enabled (the default), 'D' disabled,
  // 'R' ENABLE REPLICA, 'A' ENABLE ALWAYS.
  char enabled = 'O';
  std::string comment;
};

// PostgreSQL: CREATE PUBLICATION (a database's, in no schema).
struct Publication {
  std::string name;
  bool all_tables = false;  // FOR ALL TABLES
  // Each table as `ONLY schema.table [(columns)] [WHERE (filter)]` minus the
  // ONLY, quoted, sorted: the objects of FOR TABLE.
  std::vector<std::string> tables;
  std::vector<std::string> schemas;  // TABLES IN SCHEMA (quoted; PostgreSQL 15)
  std::string publish;               // "insert, update, delete, truncate" (those it publishes)
  bool via_root = false;             // publish_via_partition_root
  std::string comment;
  // The tables named in `tables` (for what the plan drops and creates again).
  std::vector<QualifiedName> relations;
};

// PostgreSQL, inspected only when asked (InspectOptions::privileges): the
// owner and privileges of a table, view, sequence, function, procedure,
// schema or type, or the privileges of one column. The privileges are kept
// relative to the object's default (acldefault): those granted beyond it and
// those of it revoked, each "GRANTEE PRIVILEGE" ("reader SELECT", "PUBLIC
// EXECUTE"; a trailing '*' = WITH GRANT OPTION; the owner as "=owner", so
// that an owner change moves them along as the server does). A new object
// starts with none of either.
struct Privileges {
  std::string kind;        // as GRANT names it: TABLE, SEQUENCE, FUNCTION, PROCEDURE, SCHEMA,
                           // TYPE, DOMAIN
  std::string alter_kind;  // as ALTER ... OWNER TO names it: TABLE, VIEW, MATERIALIZED VIEW,
                           // FOREIGN TABLE, SEQUENCE, FUNCTION, PROCEDURE, SCHEMA, TYPE, DOMAIN
  QualifiedName object;    // its name (a schema: {name, ""}; a function: without arguments)
  std::string target;      // quoted, qualified: public.t, public.f(integer, text), app
  std::string column;      // a column's privileges ("" = the object's)
  std::string owner;       // quoted role; "" for a column
  std::vector<std::string> granted;  // beyond the default, sorted
  std::vector<std::string> revoked;  // of the default, sorted
  std::string key() const { return kind + " " + target + " " + column; }
};

// One database's schema as inspected. Vectors are sorted by name so that two
// inspections of the same database compare equal and diffs are deterministic.
struct Schema {
  // The kind of database inspected; a diff compares two of the same kind.
  config::DatabaseUrl::Kind dialect = config::DatabaseUrl::kSqlite;
  std::vector<std::string> schemas;  // PostgreSQL: non-system schemas
  std::vector<Extension> extensions;
  std::vector<EnumType> enums;
  std::vector<Sequence> sequences;
  std::vector<Function> functions;
  std::vector<Table> tables;
  std::vector<View> views;
  std::vector<Trigger> triggers;
  std::vector<Collation> collations;           // PostgreSQL
  std::vector<Domain> domains;                 // PostgreSQL
  std::vector<EventTrigger> event_triggers;    // PostgreSQL
  std::vector<Publication> publications;       // PostgreSQL
  std::vector<CompositeType> composite_types;  // PostgreSQL
  std::vector<RangeType> range_types;          // PostgreSQL
  // PostgreSQL, with InspectOptions::privileges only (else empty: not
  // compared), sorted by key().
  std::vector<Privileges> privileges;
  // The role that inspected it (current_user): a diff's script creates its
  // new objects as that role of its --from side.
  std::string inspected_as;

  const Table* table(const QualifiedName& n) const {
    for (const auto& t : tables)
      if (t.name == n) return &t;
    return nullptr;
  }
};

}  // namespace migrate::schema
