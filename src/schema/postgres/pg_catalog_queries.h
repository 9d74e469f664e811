// The catalog queries of inspection, one per kind of object, each covering
// the whole database (never one query per table). They run in one
// REPEATABLE READ snapshot with search_path = pg_catalog, so every user
// object in the server's canonical texts is schema-qualified.
//
// Every query leaves out system schemas (pg_catalog, information_schema,
// pg_toast*, pg_temp_*) and objects that belong to an extension (pg_depend
// deptype 'e'). Lists of names come back joined by kListSeparator.
#pragma once

namespace migrate::schema::postgres::queries {

constexpr char kListSeparator = '\x1f';

extern const char* const kSchemas;      // nspname
extern const char* const kExtensions;   // extname, nspname, extversion, versions it updates to
extern const char* const kEnums;        // nspname, typname, label, comment (one row per label)
extern const char* const kSequences;    // nspname, relname, type, start, increment, min, max,
                                        // cache, cycle, owned_by, owner_schema, owner_table
extern const char* const kFunctions;    // nspname, proname, identity args, def, prokind, comment,
                                        // signature uses a table, oid, LANGUAGE sql string body
extern const char* const kTables;       // oid, nspname, relname, comment
extern const char* const kColumns;      // attrelid, attname, type, notnull, default, identity,
                                        // generated, collation, comment
extern const char* const kConstraints;  // conrelid, conname, contype, def, columns, ref schema,
                                        // ref table, ref columns, deferrable, deferred, comment
extern const char* const kIndexes;      // indrelid, name, unique, method, def, predicate,
                                        // key columns, comment, of a parent index
extern const char* const kViews;        // oid, nspname, relname, materialized, def, comment
extern const char* const kViewDepends;  // view oid, ref nspname, ref relname, ref column
                                        // (NULL: the relation as a whole)
extern const char* const kDepends;      // owner relid, kind, object, ref kind, ref nspname,
                                        // ref name, ref column
extern const char* const kCodeDepends;  // kind ('f' function, 'v' view), owner oid, ref kind
                                        // ('r', 'f', 't'), ref nspname, ref name
extern const char* const kTriggers;     // tgname, nspname, relname, def, fn nspname, fn name
// Table-level attributes (pg_catalog_queries.cpp says which rows come).
extern const char* const kTableAttributes;     // oid, unlogged, reloptions, partition key,
                                               // parent nspname, parent relname, bound,
                                               // inherits (nspname chr(30) relname, listed)
extern const char* const kColumnAttributes;    // attrelid, attname, attislocal, stattarget
extern const char* const kIndexStatistics;     // indrelid, index name, attnum, stattarget
extern const char* const kViewColumnComments;  // view oid, attname, comment

extern const char* const kRowSecurity;  // relid, relrowsecurity, relforcerowsecurity
extern const char* const kPolicies;     // relid, name, permissive, cmd, roles, using, check
extern const char* const kCollations;   // nspname, name, provider, collate, ctype, icu locale,
                                        // deterministic, comment
extern const char* const kDomains;      // nspname, name, base type, notnull, default,
                                        // collation, comment, constraints (name chr(30) def)
extern const char* const kAggregates;   // nspname, name, identity args, args, sfunc, stype,
                                        // sspace, finalfunc, extra, modify, combine, serial,
                                        // deserial, initcond, msfunc, minvfunc, mstype, msspace,
                                        // mfinalfunc, mextra, mmodify, minitcond, sortop,
                                        // parallel, oid
extern const char* const kOperators;    // nspname, name, left, right, function, commutator,
                                        // negator, restrict, join, hashes, merges, oid

extern const char* const kCompositeTypes;  // nspname, name, comment, attname, type, collation
                                           // (one row per attribute; NULLs for none)
extern const char* const kRangeTypes;      // nspname, name, comment, subtype, opclass,
                                           // collation, canonical, subtype_diff, multirange

// The database's own objects, in no schema.
extern const char* const kEventTriggers;  // name, event, tags, fn nspname, fn name, enabled,
                                          // comment
// PostgreSQL 15 (column lists, row filters, TABLES IN SCHEMA) / 13 and 14.
extern const char* const kPublications;    // name, all tables, insert, update, delete,
extern const char* const kPublications13;  // truncate, via root, tables ("schema.table
                                           // (columns) WHERE (filter)", quoted), their
                                           // (nspname chr(30) relname), schemas, comment
// With InspectOptions::privileges only (model.h: Privileges).
extern const char* const kPrivileges;   // kind, alter kind, nspname, name, target, column,
                                        // owner, granted, revoked (lists)
extern const char* const kCurrentUser;  // quote_ident(current_user)

}  // namespace migrate::schema::postgres::queries
