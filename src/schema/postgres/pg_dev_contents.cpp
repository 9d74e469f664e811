#include "schema/postgres/pg_dev_contents.h"

#include <fmt/format.h>

#include <set>

namespace migrate::schema::postgres {

namespace {

using db::postgres::Connection;

// Not depending on another object with one of `deptypes` (a partitioned
// table depends internally on its own key columns: not another object).
#define NOT_DEPENDENT(catalog, oid, deptypes)                          \
  " NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '" catalog \
  "'::regclass AND d.objid = " oid " AND d.deptype IN (" deptypes      \
  ")"                                                                  \
  " AND NOT (d.refclassid = d.classid AND d.refobjid = d.objid)) "

// Ordered for dropping (see the header). An implicit array type is the one
// its element type names as typarray (an index lookup; searching pg_type
// for each type instead would read it whole per row); a composite type
// whose relation is not a bare composite is a relation's row type. Objects
// with an internal ('i') or auto ('a') dependency go with what they depend
// on: identity and serial sequences, partitions, range constructors.
const char* const kObjects =
    "WITH pub AS (SELECT oid FROM pg_namespace WHERE nspname = 'public'),"
    " objects(ord, kind, keyword, name) AS ("
    "  SELECT 1, 'event trigger', 'EVENT TRIGGER', quote_ident(evtname) FROM pg_event_trigger"
    "  UNION ALL SELECT 2, 'publication', 'PUBLICATION', quote_ident(pubname) FROM pg_publication"
    "  UNION ALL SELECT 3, 'extension', 'EXTENSION', quote_ident(extname) FROM pg_extension"
    "   WHERE extname <> 'plpgsql'"
    "  UNION ALL SELECT 4, 'schema', 'SCHEMA', quote_ident(n.nspname) FROM pg_namespace n"
    "   WHERE n.nspname NOT IN ('public', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"
    "   AND" NOT_DEPENDENT("pg_namespace", "n.oid", "'e'")
    "  UNION ALL SELECT CASE c.relkind WHEN 'f' THEN 6 WHEN 'm' THEN 7 WHEN 'v' THEN 8"
    "    WHEN 'S' THEN 9 ELSE 5 END,"
    "   CASE c.relkind WHEN 'f' THEN 'foreign table' WHEN 'm' THEN 'materialized view'"
    "    WHEN 'v' THEN 'view' WHEN 'S' THEN 'sequence' ELSE 'table' END,"
    "   CASE c.relkind WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'm' THEN 'MATERIALIZED VIEW'"
    "    WHEN 'v' THEN 'VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,"
    "   'public.' || quote_ident(c.relname) FROM pg_class c"
    "   WHERE c.relnamespace = (SELECT oid FROM pub) AND c.relkind IN ('r','p','f','m','v','S')"
    "   AND" NOT_DEPENDENT("pg_class", "c.oid", "'e', 'i', 'a'")
    "  UNION ALL SELECT 10, CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate'"
    "    ELSE 'function' END, 'ROUTINE',"
    "   format('public.%I(%s)', p.proname, pg_get_function_identity_arguments(p.oid))"
    "   FROM pg_proc p WHERE p.pronamespace = (SELECT oid FROM pub)"
    "   AND" NOT_DEPENDENT("pg_proc", "p.oid", "'e', 'i'")
    "  UNION ALL SELECT 11, 'operator family', 'OPERATOR FAMILY',"
    "   format('public.%I USING %I', f.opfname, a.amname)"
    "   FROM pg_opfamily f JOIN pg_am a ON a.oid = f.opfmethod"
    "   WHERE f.opfnamespace = (SELECT oid FROM pub) AND" NOT_DEPENDENT(
        "pg_opfamily", "f.oid", "'e', 'i'")
    "  UNION ALL SELECT 12, 'operator', 'OPERATOR', format('public.%s(%s, %s)', o.oprname,"
    "    CASE WHEN o.oprleft = 0 THEN 'NONE' ELSE format_type(o.oprleft, NULL) END,"
    "    CASE WHEN o.oprright = 0 THEN 'NONE' ELSE format_type(o.oprright, NULL) END)"
    "   FROM pg_operator o WHERE o.oprnamespace = (SELECT oid FROM pub)"
    "   AND" NOT_DEPENDENT("pg_operator", "o.oid", "'e', 'i'")
    "  UNION ALL SELECT 13, 'text search configuration', 'TEXT SEARCH CONFIGURATION',"
    "   format('public.%I', cfgname) FROM pg_ts_config c"
    "   WHERE c.cfgnamespace = (SELECT oid FROM pub) AND" NOT_DEPENDENT(
        "pg_ts_config", "c.oid", "'e'")
    "  UNION ALL SELECT 14, 'text search dictionary', 'TEXT SEARCH DICTIONARY',"
    "   format('public.%I', dictname) FROM pg_ts_dict t"
    "   WHERE t.dictnamespace = (SELECT oid FROM pub) AND" NOT_DEPENDENT(
        "pg_ts_dict", "t.oid", "'e'")
    "  UNION ALL SELECT CASE t.typtype WHEN 'd' THEN 15 ELSE 16 END,"
    "   CASE t.typtype WHEN 'd' THEN 'domain' WHEN 'e' THEN 'enum type' WHEN 'r' THEN 'range type'"
    "    WHEN 'c' THEN 'composite type' ELSE 'type' END,"
    "   CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, format('public.%I', t.typname)"
    "   FROM pg_type t LEFT JOIN pg_type el ON el.oid = t.typelem"
    "   LEFT JOIN pg_class r ON r.oid = t.typrelid"
    "   WHERE t.typnamespace = (SELECT oid FROM pub) AND t.typtype IN ('b','c','d','e','r','p')"
    "   AND (el.typarray IS DISTINCT FROM t.oid) AND (t.typtype <> 'c' OR r.relkind = 'c')"
    "   AND" NOT_DEPENDENT("pg_type", "t.oid", "'e', 'i'")
    "  UNION ALL SELECT 17, 'collation', 'COLLATION', format('public.%I', collname)"
    "   FROM pg_collation c WHERE c.collnamespace = (SELECT oid FROM pub)"
    "   AND" NOT_DEPENDENT("pg_collation", "c.oid", "'e'")
    " ) SELECT kind, keyword, name FROM objects ORDER BY ord, name";

#undef NOT_DEPENDENT

// DROP statements that take a list of names (the others take one).
bool takes_a_list(const std::string& keyword) {
  static const std::set<std::string> lists = {
      "PUBLICATION", "EXTENSION", "SCHEMA",  "TABLE",    "FOREIGN TABLE", "MATERIALIZED VIEW",
      "VIEW",        "SEQUENCE",  "ROUTINE", "OPERATOR", "DOMAIN",        "TYPE"};
  return lists.count(keyword) > 0;
}

// Whether the DROP ran. Each runs in a transaction of its own with a lock
// timeout (SET LOCAL: through a pooler in transaction mode a session SET
// would stay on a server connection others get), so that a session left
// holding a lock cannot hang the command's end. A server error is expected
// here (an object a CASCADE took already, a lock not granted in time) and
// swallowed; a broken connection ends the whole emptying (is_open() is
// false then).
bool try_drop(Connection& conn, const std::string& keyword, const std::string& names) {
  try {
    conn.exec("BEGIN; SET LOCAL lock_timeout = '10s'; DROP " + keyword + " IF EXISTS " + names +
              " CASCADE; COMMIT");
    return true;
  } catch (const std::exception&) {
    if (conn.is_open()) conn.rollback_quietly();
    return false;
  }
}

// One round: each run of objects of one keyword dropped in statements of at
// most 100 names (a few thousand tables in one transaction could outgrow the
// lock table); a statement that fails is retried name by name.
void drop_round(Connection& conn, const std::vector<DevObject>& objects) {
  constexpr std::size_t kChunk = 100;
  std::size_t i = 0;
  while (i < objects.size() && conn.is_open()) {
    std::size_t end = i + 1;
    if (takes_a_list(objects[i].keyword))
      while (end < objects.size() && end - i < kChunk && objects[end].keyword == objects[i].keyword)
        ++end;
    std::string names;
    for (std::size_t k = i; k < end; ++k) names += (k > i ? ", " : "") + objects[k].name;
    if (!try_drop(conn, objects[i].keyword, names) && end - i > 1)
      for (std::size_t k = i; k < end && conn.is_open(); ++k)
        try_drop(conn, objects[k].keyword, objects[k].name);
    i = end;
  }
}

}  // namespace

std::vector<DevObject> dev_objects(Connection& conn) {
  // SET LOCAL, in a transaction: see try_drop().
  pqxx::result rows;
  try {
    conn.query("BEGIN READ ONLY");
    conn.query("SET LOCAL search_path = pg_catalog");
    rows = conn.query(kObjects);
    conn.query("COMMIT");
  } catch (...) {
    if (conn.is_open()) conn.rollback_quietly();
    throw;
  }
  std::vector<DevObject> out;
  for (const auto& row : rows) out.push_back({row[0].c_str(), row[1].c_str(), row[2].c_str()});
  return out;
}

std::string describe_dev_objects(const std::vector<DevObject>& objects, std::size_t shown) {
  std::string out;
  for (std::size_t i = 0; i < objects.size() && i < shown; ++i)
    out += (i ? ", " : "") + objects[i].kind + " " + objects[i].name;
  if (objects.size() > shown) out += fmt::format(" and {} more", objects.size() - shown);
  return out;
}

void empty_dev_database(Connection& conn) noexcept {
  try {
    std::size_t before = static_cast<std::size_t>(-1);
    for (int round = 0; round < 3 && conn.is_open(); ++round) {
      std::vector<DevObject> objects = dev_objects(conn);
      if (objects.empty() || objects.size() >= before) return;
      before = objects.size();
      drop_round(conn, objects);
    }
  } catch (...) {
    // Best effort (see the header).
  }
}

}  // namespace migrate::schema::postgres
