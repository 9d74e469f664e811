#include "schema/postgres/pg_catalog_queries.h"

// The filters are spliced in as macros so that each query stays one literal
// the server sees whole (and that a reader can paste into psql).
#define USER_NS(n)                                       \
  " " n                                                  \
  ".nspname NOT IN ('pg_catalog', 'information_schema')" \
  " AND " n ".nspname NOT LIKE 'pg\\_toast%' AND " n ".nspname NOT LIKE 'pg\\_temp\\_%' "
#define NOT_EXTENSION_MEMBER(catalog, oid)                             \
  " NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '" catalog \
  "'::regclass AND e.objid = " oid " AND e.deptype = 'e') "
// A LEFT JOIN of the comment (pg_description) of `oid` in `catalog`, as
// alias `alias`: far cheaper than obj_description() per row, which runs a
// query per call.
#define DESCRIPTION(alias, catalog, oid, subid)                                  \
  " LEFT JOIN pg_description " alias " ON " alias ".objoid = " oid " AND " alias \
  ".classoid = '" catalog "'::regclass AND " alias ".objsubid = " subid " "
#define NAME_LIST(attnums, rel)                         \
  "(SELECT string_agg(a.attname, chr(31) ORDER BY k.o)" \
  " FROM unnest(" attnums                               \
  ") WITH ORDINALITY k(n, o)"                           \
  " JOIN pg_attribute a ON a.attrelid = " rel " AND a.attnum = k.n)"

namespace migrate::schema::postgres::queries {

const char* const kSchemas = "SELECT n.nspname FROM pg_namespace n WHERE" USER_NS(
    "n") "AND" NOT_EXTENSION_MEMBER("pg_namespace", "n.oid") "ORDER BY 1";

const char* const kExtensions =
    "SELECT x.extname, n.nspname, x.extversion,"
    " (SELECT string_agg(p.target, chr(31)) FROM pg_extension_update_paths(x.extname) p"
    "  WHERE p.source = x.extversion AND p.path IS NOT NULL)"
    " FROM pg_extension x"
    " JOIN pg_namespace n ON n.oid = x.extnamespace ORDER BY 1";

const char* const kEnums =
    "SELECT n.nspname, t.typname, en.enumlabel, ds.description"
    " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
    " JOIN pg_enum en ON en.enumtypid = t.oid" DESCRIPTION("ds", "pg_type", "t.oid", "0")
    " WHERE" USER_NS("n") "AND" NOT_EXTENSION_MEMBER("pg_type",
                                                     "t.oid") " ORDER BY 1, 2, en.enumsortorder";

// Sequences owned by identity columns (pg_depend deptype 'i') belong to the
// column and are left out; serial sequences (deptype 'a') report OWNED BY.
const char* const kSequences =
    "SELECT n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,"
    " s.seqmin, s.seqmax, s.seqcache, s.seqcycle,"
    " CASE WHEN ta.attname IS NOT NULL"
    "  THEN format('%I.%I.%I', tn.nspname, tc.relname, ta.attname) END,"
    " tn.nspname, tc.relname"
    " FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid"
    "  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')"
    " LEFT JOIN pg_class tc ON tc.oid = d.refobjid"
    " LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace"
    " LEFT JOIN pg_attribute ta ON ta.attrelid = d.refobjid AND ta.attnum = d.refobjsubid"
    " WHERE" USER_NS("n") "AND" NOT_EXTENSION_MEMBER(
        "pg_class", "c.oid") " AND (d.deptype IS NULL OR d.deptype <> 'i') ORDER BY 1, 2";

// Aggregates and window functions have no pg_get_functiondef: not modelled.
const char* const kFunctions =
    "SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid),"
    " pg_get_functiondef(p.oid), p.prokind, ds.description,"
    " EXISTS (SELECT 1 FROM pg_depend d JOIN pg_type t ON t.oid = d.refobjid"
    "  JOIN pg_class c ON c.oid = t.typrelid AND c.relkind IN ('r', 'p')"
    "  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid"
    "  AND d.refclassid = 'pg_type'::regclass),"
    " p.oid,"
    " CASE WHEN l.lanname = 'sql' AND p.prosqlbody IS NULL THEN p.prosrc END"
    " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
    " JOIN pg_language l ON l.oid = p.prolang" DESCRIPTION(
        "ds", "pg_proc", "p.oid",
        "0") " WHERE p.prokind IN ('f', 'p') AND" USER_NS("n") "AND" NOT_EXTENSION_MEMBER("pg_proc",
                                                                                          "p.oid")
    // Not the functions the server makes with a type and drops with it (a
    // range type's and its multirange's constructors).
    " AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_proc'::regclass"
    " AND i.objid = p.oid AND i.deptype = 'i')"
    " ORDER BY 1, 2, 3";

#define USER_TABLE \
  " c.relkind IN ('r', 'p') AND" USER_NS("n") "AND" NOT_EXTENSION_MEMBER("pg_class", "c.oid")

const char* const kTables =
    "SELECT c.oid, n.nspname, c.relname, ds.description"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace" DESCRIPTION(
        "ds", "pg_class", "c.oid", "0") " WHERE" USER_TABLE "ORDER BY 2, 3";

// The collation only when it is not the type's default, as SQL text.
const char* const kColumns =
    "SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
    " CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END,"
    " a.attidentity,"
    " CASE WHEN a.attgenerated = 's' THEN pg_get_expr(ad.adbin, ad.adrelid) END,"
    " CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN"
    "  CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)"
    "  ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END END,"
    " ds.description"
    " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " JOIN pg_type t ON t.oid = a.atttypid"
    " LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum"
    " LEFT JOIN pg_collation co ON co.oid = a.attcollation"
    " LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace" DESCRIPTION(
        "ds", "pg_class", "a.attrelid",
        "a.attnum") " WHERE a.attnum > 0 AND NOT a.attisdropped AND" USER_TABLE
                    " ORDER BY a.attrelid, a.attnum";

const char* const kConstraints =
    "SELECT con.conrelid, con.conname, con.contype, pg_get_constraintdef(con.oid),"
    " " NAME_LIST("con.conkey", "con.conrelid") ", rn.nspname, rc.relname,"
    " " NAME_LIST("con.confkey", "con.confrelid") ","
    " con.condeferrable, con.condeferred, ds.description"
    " FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " LEFT JOIN pg_class rc ON rc.oid = con.confrelid"
    " LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace"
    DESCRIPTION("ds", "pg_constraint", "con.oid", "0") " WHERE con.contype IN ('p', 'u', 'c', 'f', 'x') AND con.conislocal"
    " AND con.conparentid = 0 AND" USER_TABLE
    " ORDER BY con.conrelid, con.conname";

// Indexes that back a PRIMARY KEY, UNIQUE or EXCLUDE constraint of their own
// table belong to that constraint and are left out (a foreign key's conindid
// names the referenced table's index, hence the conrelid test). A
// partition's index that is a partition of its parent's index (the parent's
// CREATE INDEX makes it) says so (relispartition).
const char* const kIndexes =
    "SELECT i.indrelid, ic.relname, i.indisunique, am.amname, pg_get_indexdef(i.indexrelid),"
    " pg_get_expr(i.indpred, i.indrelid),"
    " (SELECT string_agg(a.attname, chr(31) ORDER BY k.o)"
    "  FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)"
    "  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n"
    "  WHERE k.o <= i.indnkeyatts),"
    " ds.description, ic.relispartition"
    " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
    " JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
    " JOIN pg_am am ON am.oid = ic.relam" DESCRIPTION("ds", "pg_class", "i.indexrelid", "0")
    " WHERE c.relkind IN ('r', 'p', 'm') AND" USER_NS("n")
    "AND" NOT_EXTENSION_MEMBER("pg_class", "c.oid")
    " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid"
    "  AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))"
    " ORDER BY i.indrelid, ic.relname";

const char* const kViews =
    "SELECT c.oid, n.nspname, c.relname, c.relkind = 'm', pg_get_viewdef(c.oid, true),"
    " ds.description"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    DESCRIPTION("ds", "pg_class", "c.oid", "0") " WHERE c.relkind IN ('v', 'm') AND" USER_NS("n") "AND" NOT_EXTENSION_MEMBER(
        "pg_class", "c.oid") "ORDER BY 2, 3";

// What each view's rewrite rule reads (tables, views, materialized views),
// column by column; a relation read as a whole (count(*), a whole-row
// reference) has no column (the server keeps a relation-wide dependency only
// when no column of it is named).
const char* const kViewDepends =
    "SELECT DISTINCT r.ev_class, rn.nspname, rc.relname, a.attnum, a.attname FROM pg_rewrite r"
    " JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid"
    "  AND d.refclassid = 'pg_class'::regclass"
    " JOIN pg_class rc ON rc.oid = d.refobjid"
    " JOIN pg_namespace rn ON rn.oid = rc.relnamespace"
    " LEFT JOIN pg_attribute a ON d.refobjsubid > 0 AND a.attrelid = d.refobjid"
    "  AND a.attnum = d.refobjsubid"
    " WHERE d.refobjid <> r.ev_class AND rc.relkind IN ('r', 'p', 'v', 'm')"
    " ORDER BY 1, 2, 3, 4";

// What the objects of tables whose text holds expressions use, from
// pg_depend (never from the text: a string literal names nothing): CHECK and
// EXCLUDE constraints ('k'), indexes with expressions, a predicate or
// INCLUDE columns ('i'),
// column defaults and generation expressions ('d', object = the column),
// triggers ('t'). Each row is a column of the same table ('c', never the
// defaulted column itself), a function ('f') or a type ('t', an array as its
// element type). The server records no dependency on built-in objects.
// Other keys and indexes use their key columns (kConstraints, kIndexes).
const char* const kDepends =
    "SELECT DISTINCT x.owner, x.kind, x.object,"
    " CASE x.refclassid WHEN 'pg_class'::regclass THEN 'c' WHEN 'pg_proc'::regclass THEN 'f'"
    "  ELSE 't' END,"
    " rn.nspname, coalesce(p.proname, et.typname, ty.typname), a.attname"
    " FROM ("
    "  SELECT 'k' AS kind, con.conrelid AS owner, con.conname::text AS object, 0::int2 AS self,"
    "   d.refclassid, d.refobjid, d.refobjsubid"
    "  FROM pg_constraint con JOIN pg_depend d ON d.classid = 'pg_constraint'::regclass"
    "   AND d.objid = con.oid"
    "  WHERE con.contype IN ('c', 'x') AND con.conrelid <> 0"
    "  UNION ALL"
    "  SELECT 'i', ix.indrelid, ic.relname::text, 0::int2, d.refclassid, d.refobjid,"
    "   d.refobjsubid"
    "  FROM pg_index ix JOIN pg_class ic ON ic.oid = ix.indexrelid"
    "  JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = ix.indexrelid"
    "   AND d.objsubid = 0"
    "  WHERE ix.indexprs IS NOT NULL OR ix.indpred IS NOT NULL OR ix.indnatts > ix.indnkeyatts"
    "  UNION ALL"
    "  SELECT 'd', ad.adrelid, da.attname::text, ad.adnum, d.refclassid, d.refobjid,"
    "   d.refobjsubid"
    "  FROM pg_attrdef ad"
    "  JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid"
    // Most defaults use only their own column and a sequence: left out here.
    "   AND (d.refclassid <> 'pg_class'::regclass"
    "    OR (d.refobjid = ad.adrelid AND d.refobjsubid NOT IN (0, ad.adnum)))"
    "  JOIN pg_attribute da ON da.attrelid = ad.adrelid AND da.attnum = ad.adnum"
    "  UNION ALL"
    "  SELECT 't', tg.tgrelid, tg.tgname::text, 0::int2, d.refclassid, d.refobjid, d.refobjsubid"
    "  FROM pg_trigger tg JOIN pg_depend d ON d.classid = 'pg_trigger'::regclass"
    "   AND d.objid = tg.oid"
    "  WHERE NOT tg.tgisinternal"
    " ) x"
    " JOIN pg_class c ON c.oid = x.owner JOIN pg_namespace n ON n.oid = c.relnamespace"
    " LEFT JOIN pg_attribute a ON x.refclassid = 'pg_class'::regclass"
    "  AND a.attrelid = x.refobjid AND a.attnum = x.refobjsubid"
    " LEFT JOIN pg_proc p ON x.refclassid = 'pg_proc'::regclass AND p.oid = x.refobjid"
    " LEFT JOIN pg_type ty ON x.refclassid = 'pg_type'::regclass AND ty.oid = x.refobjid"
    " LEFT JOIN pg_type et ON et.oid = ty.typelem AND ty.typcategory = 'A'"
    " LEFT JOIN pg_namespace rn ON rn.oid = coalesce(p.pronamespace, et.typnamespace,"
    "  ty.typnamespace)"
    " WHERE" USER_NS("n") "AND CASE x.refclassid"
    "  WHEN 'pg_class'::regclass THEN x.refobjid = x.owner AND x.refobjsubid > 0"
    "   AND x.refobjsubid <> x.self"
    "  ELSE x.refclassid IN ('pg_proc'::regclass, 'pg_type'::regclass) END"
    " ORDER BY 1, 2, 3, 4, 5, 6, 7";

// Internal triggers (those of foreign keys) and partition clones are left out.
const char* const kTriggers =
    "SELECT t.tgname, n.nspname, c.relname, pg_get_triggerdef(t.oid), fn.nspname, f.proname"
    " FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " JOIN pg_proc f ON f.oid = t.tgfoid JOIN pg_namespace fn ON fn.oid = f.pronamespace"
    " WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND" USER_NS("n") "AND" NOT_EXTENSION_MEMBER(
        "pg_class", "c.oid") "ORDER BY 2, 3, 1";

// Table-level attributes of tables, views and materialized views, for those
// that have one: UNLOGGED, reloptions, the partition key of a partitioned
// table, the parent and bound of a partition, the INHERITS parents (schema
// chr(30) name, in order) of a table that is no partition.
const char* const kTableAttributes =
    "SELECT c.oid, c.relpersistence = 'u', array_to_string(c.reloptions, chr(31)),"
    " CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,"
    " pn.nspname, pc.relname, pg_get_expr(c.relpartbound, c.oid),"
    " CASE WHEN NOT c.relispartition THEN"
    "  (SELECT string_agg(qn.nspname || chr(30) || q.relname, chr(31) ORDER BY i.inhseqno)"
    "   FROM pg_inherits i JOIN pg_class q ON q.oid = i.inhparent"
    "   JOIN pg_namespace qn ON qn.oid = q.relnamespace WHERE i.inhrelid = c.oid) END"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " LEFT JOIN pg_inherits pi ON c.relispartition AND pi.inhrelid = c.oid"
    " LEFT JOIN pg_class pc ON pc.oid = pi.inhparent"
    " LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace"
    " WHERE c.relkind IN ('r', 'p', 'v', 'm') AND" USER_NS("n") "AND" NOT_EXTENSION_MEMBER(
        "pg_class", "c.oid") " AND (c.relpersistence = 'u' OR c.reloptions IS NOT NULL"
    "  OR c.relkind = 'p' OR c.relispartition"
    "  OR EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid))";

// Columns of tables that are inherited only (not attislocal) or have a
// statistics target.
const char* const kColumnAttributes =
    "SELECT a.attrelid, a.attname, a.attislocal, a.attstattarget"
    " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE a.attnum > 0 AND NOT a.attisdropped AND (NOT a.attislocal OR a.attstattarget >= 0)"
    " AND" USER_TABLE " ORDER BY 1, a.attnum";

// Statistics targets of index columns (ALTER INDEX ... ALTER COLUMN n).
const char* const kIndexStatistics =
    "SELECT i.indrelid, ic.relname, a.attnum, a.attstattarget"
    " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
    " JOIN pg_attribute a ON a.attrelid = i.indexrelid"
    " JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE a.attnum > 0 AND a.attstattarget >= 0 AND" USER_NS("n") "ORDER BY 1, 2, 3";

// Comments on the columns of views and materialized views.
const char* const kViewColumnComments =
    "SELECT c.oid, a.attname, ds.description"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0"
    " JOIN pg_description ds ON ds.objoid = c.oid AND ds.classoid = 'pg_class'::regclass"
    "  AND ds.objsubid = a.attnum"
    " WHERE c.relkind IN ('v', 'm') AND" USER_NS("n") "ORDER BY 1, a.attnum";
// What functions and views use that kViewDepends and kDepends do not say,
// from pg_depend: a function's ('f') user types, the functions it calls and
// the relations it reads (a BEGIN ATOMIC body) or whose row type it names
// (an argument or result: the type's relation); a view's ('v') functions.
// Ref kinds: 'r' relation, 'f' function, 't' type (an array as its element
// type). The server records nothing for a body in a string: see
// pg_function_body.h.
const char* const kCodeDepends =
    "SELECT DISTINCT x.kind, x.owner,"
    " CASE WHEN rc.oid IS NOT NULL THEN 'r' WHEN p.oid IS NOT NULL OR op.oid IS NOT NULL"
    "  THEN 'f' ELSE 't' END,"
    " rn.nspname, coalesce(rc.relname, p.proname, op.oprname, et.typname, ty.typname)"
    " FROM ("
    "  SELECT 'f' AS kind, d.objid AS owner, d.refclassid, d.refobjid FROM pg_depend d"
    "  WHERE d.classid = 'pg_proc'::regclass AND d.deptype = 'n'"
    "   AND d.refclassid IN ('pg_class'::regclass, 'pg_proc'::regclass, 'pg_type'::regclass,"
    "    'pg_operator'::regclass)"
    "  UNION ALL"
    "  SELECT 'o', d.objid, d.refclassid, d.refobjid FROM pg_depend d"
    "  WHERE d.classid = 'pg_operator'::regclass AND d.deptype = 'n'"
    "   AND d.refclassid IN ('pg_proc'::regclass, 'pg_type'::regclass)"
    "  UNION ALL"
    "  SELECT 'v', r.ev_class, d.refclassid, d.refobjid FROM pg_rewrite r"
    "  JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid"
    "  WHERE d.refclassid IN ('pg_proc'::regclass, 'pg_operator'::regclass)"
    " ) x"
    " LEFT JOIN pg_type ty ON x.refclassid = 'pg_type'::regclass AND ty.oid = x.refobjid"
    " LEFT JOIN pg_type et ON et.oid = ty.typelem AND ty.typcategory = 'A'"
    " LEFT JOIN pg_class rc ON rc.relkind IN ('r', 'p', 'v', 'm', 'f') AND rc.oid ="
    "  CASE WHEN x.refclassid = 'pg_class'::regclass THEN x.refobjid"
    "  ELSE coalesce(nullif(et.typrelid, 0), nullif(ty.typrelid, 0)) END"
    " LEFT JOIN pg_proc p ON x.refclassid = 'pg_proc'::regclass AND p.oid = x.refobjid"
    " LEFT JOIN pg_operator op ON x.refclassid = 'pg_operator'::regclass AND op.oid = x.refobjid"
    " JOIN pg_namespace rn ON rn.oid = coalesce(rc.relnamespace, p.pronamespace, op.oprnamespace,"
    "  et.typnamespace, ty.typnamespace)"
    " WHERE" USER_NS("rn") "AND (x.refclassid <> 'pg_class'::regclass OR rc.oid IS NOT NULL)"
    " ORDER BY 1, 2, 3, 4, 5";

#define QUOTED_COLLATION(co, cn)                                  \
  " CASE WHEN " cn ".nspname = 'pg_catalog' THEN quote_ident(" co \
  ".collname)"                                                    \
  " ELSE quote_ident(" cn ".nspname) || '.' || quote_ident(" co ".collname) END "

// Tables with row-level security enabled or forced.
const char* const kRowSecurity =
    "SELECT c.oid, c.relrowsecurity, c.relforcerowsecurity"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE" USER_TABLE "AND (c.relrowsecurity OR c.relforcerowsecurity) ORDER BY 1";

// Role 0 is PUBLIC.
const char* const kPolicies =
    "SELECT p.polrelid, p.polname, p.polpermissive, p.polcmd,"
    " (SELECT string_agg(x.name, chr(31) ORDER BY x.name) FROM"
    "  (SELECT CASE WHEN u.r = 0 THEN 'PUBLIC' ELSE quote_ident(a.rolname) END AS name"
    "   FROM unnest(p.polroles) u(r) LEFT JOIN pg_roles a ON a.oid = u.r) x),"
    " pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)"
    " FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE" USER_TABLE "ORDER BY p.polrelid, p.polname";

// The ICU locale's column is colliculocale on 15 and 16, colllocale from 17
// (on 13 and 14 it is collcollate): read through to_jsonb to run on each.
const char* const kCollations =
    "SELECT n.nspname, co.collname, co.collprovider, to_jsonb(co)->>'collcollate',"
    " to_jsonb(co)->>'collctype',"
    " coalesce(to_jsonb(co)->>'colllocale', to_jsonb(co)->>'colliculocale'),"
    " co.collisdeterministic, ds.description"
    " FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace" DESCRIPTION(
        "ds", "pg_collation", "co.oid",
        "0") " WHERE" USER_NS("n") "AND" NOT_EXTENSION_MEMBER("pg_collation",
                                                              "co.oid") "ORDER BY 1, 2";

// CHECK constraints as name, chr(30), definition; joined by chr(31).
const char* const kDomains =
    "SELECT n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod), t.typnotnull,"
    " pg_get_expr(t.typdefaultbin, 0),"
    " CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation THEN" QUOTED_COLLATION(
        "co", "cn") "END, ds.description,"
    " (SELECT string_agg(k.conname || chr(30) || pg_get_constraintdef(k.oid), chr(31)"
    "  ORDER BY k.conname) FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c')"
    " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
    " JOIN pg_type bt ON bt.oid = t.typbasetype"
    " LEFT JOIN pg_collation co ON co.oid = t.typcollation"
    " LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace" DESCRIPTION(
        "ds", "pg_type", "t.oid", "0") " WHERE t.typtype = 'd' AND" USER_NS("n") "AND" NOT_EXTENSION_MEMBER(
        "pg_type", "t.oid") "ORDER BY 1, 2";

#define PROC_OR_NULL(f) " CASE WHEN " f "::oid <> 0 THEN " f "::text END"

// Plain aggregates (aggkind 'n'; ordered-set and hypothetical ones are not
// modelled): the parts of CREATE AGGREGATE, functions as regproc text
// (qualified, as search_path is pg_catalog).
const char* const kAggregates =
    "SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid),"
    " pg_get_function_arguments(p.oid), a.aggtransfn::text, format_type(a.aggtranstype, NULL),"
    " a.aggtransspace," PROC_OR_NULL("a.aggfinalfn") ", a.aggfinalextra, a.aggfinalmodify,"
    PROC_OR_NULL("a.aggcombinefn") "," PROC_OR_NULL("a.aggserialfn") "," PROC_OR_NULL(
        "a.aggdeserialfn") ", a.agginitval," PROC_OR_NULL("a.aggmtransfn") "," PROC_OR_NULL(
        "a.aggminvtransfn") ","
    " CASE WHEN a.aggmtranstype <> 0 THEN format_type(a.aggmtranstype, NULL) END,"
    " a.aggmtransspace," PROC_OR_NULL("a.aggmfinalfn") ", a.aggmfinalextra, a.aggmfinalmodify,"
    " a.aggminitval, CASE WHEN a.aggsortop <> 0 THEN a.aggsortop::regoper::text END,"
    " p.proparallel, p.oid"
    " FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid"
    " JOIN pg_namespace n ON n.oid = p.pronamespace"
    " WHERE a.aggkind = 'n' AND" USER_NS("n") "AND" NOT_EXTENSION_MEMBER(
        "pg_proc", "p.oid") "ORDER BY 1, 2, 3";

// Operators with a function (a shell operator, made by a COMMUTATOR that
// names one not yet created, has none).
const char* const kOperators =
    "SELECT n.nspname, o.oprname,"
    " CASE WHEN o.oprleft <> 0 THEN format_type(o.oprleft, NULL) END,"
    " CASE WHEN o.oprright <> 0 THEN format_type(o.oprright, NULL) END,"
    " o.oprcode::text,"
    " CASE WHEN o.oprcom <> 0 THEN o.oprcom::regoper::text END,"
    " CASE WHEN o.oprnegate <> 0 THEN o.oprnegate::regoper::text END," PROC_OR_NULL(
        "o.oprrest") "," PROC_OR_NULL("o.oprjoin") ", o.oprcanhash, o.oprcanmerge, o.oid"
    " FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace"
    " WHERE o.oprcode::oid <> 0 AND" USER_NS("n") "AND" NOT_EXTENSION_MEMBER(
        "pg_operator", "o.oid") "ORDER BY 1, 2, 3, 4";

// A composite type's attributes in order (a LEFT JOIN: one with none has
// a row of NULLs), each collation when it is not its type's.
const char* const kCompositeTypes =
    "SELECT n.nspname, t.typname, ds.description, a.attname,"
    " format_type(a.atttypid, a.atttypmod),"
    " CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation THEN" QUOTED_COLLATION(
        "co", "cn") "END"
    " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
    " JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'"
    " LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
    " LEFT JOIN pg_type at ON at.oid = a.atttypid"
    " LEFT JOIN pg_collation co ON co.oid = a.attcollation"
    " LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace" DESCRIPTION(
        "ds", "pg_type", "t.oid", "0") " WHERE t.typtype = 'c' AND" USER_NS(
        "n") "AND" NOT_EXTENSION_MEMBER("pg_type", "t.oid") "ORDER BY 1, 2, a.attnum";

// The options of CREATE TYPE ... AS RANGE that differ from what the server
// picks by itself (the subtype's default operator class and collation);
// the multirange type's name always (PostgreSQL 14; to_jsonb: none on 13).
const char* const kRangeTypes =
    "SELECT n.nspname, t.typname, ds.description, format_type(r.rngsubtype, NULL),"
    " (SELECT quote_ident(opn.nspname) || '.' || quote_ident(opc.opcname)"
    "  FROM pg_opclass opc JOIN pg_namespace opn ON opn.oid = opc.opcnamespace"
    "  WHERE opc.oid = r.rngsubopc AND NOT opc.opcdefault),"
    " CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation THEN" QUOTED_COLLATION(
        "co", "cn") "END,"
    " CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::regproc::text END,"
    " CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::regproc::text END,"
    " (SELECT quote_ident(mn.nspname) || '.' || quote_ident(mt.typname)"
    "  FROM pg_type mt JOIN pg_namespace mn ON mn.oid = mt.typnamespace"
    "  WHERE mt.oid = (to_jsonb(r)->>'rngmultitypid')::oid)"
    " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
    " JOIN pg_range r ON r.rngtypid = t.oid JOIN pg_type st ON st.oid = r.rngsubtype"
    " LEFT JOIN pg_collation co ON co.oid = r.rngcollation"
    " LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace" DESCRIPTION(
        "ds", "pg_type", "t.oid", "0") " WHERE t.typtype = 'r' AND" USER_NS(
        "n") "AND" NOT_EXTENSION_MEMBER("pg_type", "t.oid") "ORDER BY 1, 2";

// Event triggers are the database's, in no schema.
const char* const kEventTriggers =
    "SELECT et.evtname, et.evtevent, array_to_string(et.evttags, chr(31)), fn.nspname, f.proname,"
    " et.evtenabled, ds.description"
    " FROM pg_event_trigger et JOIN pg_proc f ON f.oid = et.evtfoid"
    " JOIN pg_namespace fn ON fn.oid = f.pronamespace" DESCRIPTION(
        "ds", "pg_event_trigger", "et.oid",
        "0") " WHERE" NOT_EXTENSION_MEMBER("pg_event_trigger", "et.oid") "ORDER BY 1";

// A publication's tables as CREATE PUBLICATION names them (a column list,
// a row filter: PostgreSQL 15), sorted; and, for the plan, each table's
// schema chr(30) name.
#define PUBLICATION_TABLES(columns, filter)                                                   \
  " (SELECT string_agg(format('%I.%I', rn.nspname, rc.relname) || " columns " || " filter     \
  ", chr(31) ORDER BY rn.nspname, rc.relname) FROM pg_publication_rel pr"                     \
  " JOIN pg_class rc ON rc.oid = pr.prrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace" \
  " WHERE pr.prpubid = p.oid),"                                                               \
  " (SELECT string_agg(rn.nspname || chr(30) || rc.relname, chr(31)"                          \
  "  ORDER BY rn.nspname, rc.relname) FROM pg_publication_rel pr"                             \
  " JOIN pg_class rc ON rc.oid = pr.prrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace" \
  " WHERE pr.prpubid = p.oid),"
#define PUBLICATION_OPTIONS                                                                 \
  "SELECT p.pubname, p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate," \
  " p.pubviaroot,"
#define PUBLICATION_FROM                                                                    \
  " ds.description FROM pg_publication p" DESCRIPTION(                                      \
      "ds", "pg_publication", "p.oid", "0") " WHERE" NOT_EXTENSION_MEMBER("pg_publication", \
                                                                          "p.oid") "ORDER BY 1"

const char* const kPublications = PUBLICATION_OPTIONS PUBLICATION_TABLES(
    "coalesce(' (' || (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)"
    " FROM pg_attribute a WHERE a.attrelid = pr.prrelid AND a.attnum = ANY (pr.prattrs)) || ')',"
    " '')",
    "coalesce(' WHERE (' || pg_get_expr(pr.prqual, pr.prrelid) || ')', '')")
    " (SELECT string_agg(quote_ident(sn.nspname), chr(31) ORDER BY sn.nspname)"
    " FROM pg_publication_namespace ps JOIN pg_namespace sn ON sn.oid = ps.pnnspid"
    " WHERE ps.pnpubid = p.oid)," PUBLICATION_FROM;

const char* const kPublications13 =
    PUBLICATION_OPTIONS PUBLICATION_TABLES("''", "''") " NULL," PUBLICATION_FROM;

}  // namespace migrate::schema::postgres::queries

namespace migrate::schema::postgres::queries {

// Each object's ACL against its default (acldefault for its owner; a
// column's default is no privilege), as "grantee privilege[*]" items: the
// grantor is left out (whoever runs the script grants), the owner is
// "=owner" and PUBLIC is PUBLIC. Identity columns' sequences belong to their
// column; aggregates, multirange and array types are left out.
#define ACL_ITEMS(acl, owner)                                                                \
  "(SELECT coalesce(array_agg(CASE WHEN e.grantee = 0 THEN 'PUBLIC' WHEN e.grantee = " owner \
  " THEN '=owner' ELSE quote_ident(pg_get_userbyid(e.grantee)) END || ' ' ||"                \
  " e.privilege_type || CASE WHEN e.is_grantable THEN '*' ELSE '' END), '{}')"               \
  " FROM aclexplode(" acl ") e)"

const char* const kPrivileges =
    "SELECT x.kind, x.alter_kind, x.nspname, x.objname, x.target, x.col,"
    " quote_ident(pg_get_userbyid(x.owner)),"
    " (SELECT string_agg(g, chr(31) ORDER BY g) FROM (SELECT unnest(" ACL_ITEMS(
        "coalesce(x.acl, x.def)", "x.owner") ") EXCEPT ALL SELECT unnest(" ACL_ITEMS(
        "x.def", "x.owner") ")) s(g)),"
    " (SELECT string_agg(g, chr(31) ORDER BY g) FROM (SELECT unnest(" ACL_ITEMS(
        "x.def", "x.owner") ") EXCEPT ALL SELECT unnest(" ACL_ITEMS("coalesce(x.acl, x.def)",
                                                                    "x.owner") ")) s(g))"
    " FROM ("
    "  SELECT CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind,"
    "   CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'"
    "    WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END"
    "    AS alter_kind,"
    "   n.nspname, c.relname::text AS objname, format('%I.%I', n.nspname, c.relname) AS target,"
    "   ''::text AS col, c.relowner AS owner, c.relacl AS acl,"
    "   acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner) AS def"
    "  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    "  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND" USER_NS("n") "AND" NOT_EXTENSION_MEMBER(
        "pg_class", "c.oid") "  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid ="
    "   'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'i')"
    "  UNION ALL"
    "  SELECT 'TABLE', '', n.nspname, c.relname::text, format('%I.%I', n.nspname, c.relname),"
    "   a.attname::text, c.relowner, a.attacl, NULL::aclitem[]"
    "  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
    "  JOIN pg_namespace n ON n.oid = c.relnamespace"
    "  WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped"
    "   AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND" USER_NS("n") "AND" NOT_EXTENSION_MEMBER(
        "pg_class", "c.oid") "  UNION ALL"
    "  SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,"
    "   CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, n.nspname,"
    "   p.proname::text,"
    "   format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)),"
    "   '', p.proowner, p.proacl, acldefault('f', p.proowner)"
    "  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
    "  WHERE p.prokind IN ('f', 'p') AND" USER_NS("n") "AND" NOT_EXTENSION_MEMBER(
        "pg_proc", "p.oid") "  UNION ALL"
    "  SELECT 'SCHEMA', 'SCHEMA', n.nspname, '', quote_ident(n.nspname), '', n.nspowner,"
    "   n.nspacl, acldefault('n', n.nspowner)"
    "  FROM pg_namespace n WHERE" USER_NS("n") "AND" NOT_EXTENSION_MEMBER(
        "pg_namespace", "n.oid") "  UNION ALL"
    "  SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,"
    "   CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, n.nspname, t.typname::text,"
    "   format('%I.%I', n.nspname, t.typname), '', t.typowner, t.typacl,"
    "   acldefault('T', t.typowner)"
    "  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
    "  LEFT JOIN pg_class tc ON tc.oid = t.typrelid"
    "  WHERE (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND tc.relkind = 'c'))"
    "   AND" USER_NS("n") "AND" NOT_EXTENSION_MEMBER("pg_type", "t.oid") " ) x"
    " ORDER BY 1, 5, 6";

const char* const kCurrentUser = "SELECT quote_ident(current_user)";

}  // namespace migrate::schema::postgres::queries
