// The database's own objects, in no schema: event triggers and publications.
// Each round trip runs both ways on the real server: the diff applies in one
// transaction, the model and pg_dump of both sides agree, a second diff is
// empty (schema_pg_roundtrip.h); rows are kept where the change keeps them.
#include <catch2/catch.hpp>

#include "e2e/schema_pg_roundtrip.h"

using Catch::Matchers::Contains;
using namespace schema_pg;

namespace {

// An event trigger that refuses DROP TABLE, and its function.
const char* const kGuardFunction =
    "CREATE TABLE audit (id int PRIMARY KEY, tag text);"
    "CREATE FUNCTION no_drop() RETURNS event_trigger LANGUAGE plpgsql AS"
    " $$BEGIN RAISE EXCEPTION 'no %', tg_tag; END$$;"
    "CREATE FUNCTION log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS"
    " $$BEGIN INSERT INTO audit VALUES ((SELECT count(*) FROM audit) + 1, tg_tag); END$$;";

}  // namespace

TEST_CASE("pg diff: event triggers", "[schema][pg][kinds]") {
  const std::string with =
      std::string(kGuardFunction) +
      "CREATE EVENT TRIGGER guard ON ddl_command_start WHEN TAG IN ('DROP TABLE', 'DROP VIEW')"
      " EXECUTE FUNCTION no_drop();"
      "CREATE EVENT TRIGGER logger ON ddl_command_end EXECUTE FUNCTION log_ddl();"
      "ALTER EVENT TRIGGER logger DISABLE;"
      "COMMENT ON EVENT TRIGGER guard IS 'no drops in production';";
  const char* seed = "INSERT INTO audit VALUES (1, 'x')";
  const char* kept = "SELECT id, tag FROM audit";
  round_trip({kGuardFunction, with, seed, seed, kept, kept});
  round_trip({"", with, "", "", "", ""});
  // Created last: the script's own DDL (here: the comment on the new table)
  // runs before the guard exists, and the logger records none of it.
  const std::string s = script("", with);
  CHECK(s.find("CREATE EVENT TRIGGER guard ON ddl_command_start WHEN TAG IN ('DROP TABLE', "
               "'DROP VIEW') EXECUTE FUNCTION public.no_drop();") != std::string::npos);
  CHECK(s.find("CREATE EVENT TRIGGER") > s.find("CREATE TABLE public.audit"));
  CHECK_THAT(s, Contains("ALTER EVENT TRIGGER logger DISABLE;"));
  // Dropped first: the guard would refuse the script's DROP TABLE.
  const std::string back = script(with, "");
  CHECK(back.find("DROP EVENT TRIGGER guard;") < back.find("DROP TABLE public.audit;"));
  // Other tags, enabled again, another comment; and the logger enabled: it
  // then logs the DDL after it, so it must be the last statement.
  const std::string changed =
      std::string(kGuardFunction) +
      "CREATE EVENT TRIGGER guard ON ddl_command_start WHEN TAG IN ('DROP TABLE')"
      " EXECUTE FUNCTION no_drop();"
      "CREATE EVENT TRIGGER logger ON ddl_command_end EXECUTE FUNCTION log_ddl();"
      "ALTER EVENT TRIGGER logger ENABLE ALWAYS;";
  round_trip({with, changed, seed, seed, kept, kept});
  const std::string c = script(with, changed);
  CHECK_THAT(c, Contains("DROP EVENT TRIGGER guard;"));
  CHECK_THAT(c, Contains("ALTER EVENT TRIGGER logger ENABLE ALWAYS;"));
  CHECK(c.find("DROP EVENT TRIGGER logger") == std::string::npos);
}

TEST_CASE("pg diff: publications", "[schema][pg][kinds]") {
  const std::string tables =
      "CREATE SCHEMA sales;"
      "CREATE TABLE orders (id int PRIMARY KEY, total numeric, note text);"
      "CREATE TABLE customers (id int PRIMARY KEY, name text);"
      "CREATE TABLE sales.items (id int PRIMARY KEY);";
  const std::string with =
      tables +
      "CREATE PUBLICATION orders_pub FOR TABLE orders (id, total) WHERE (total > 0),"
      " TABLE customers WITH (publish = 'insert, update');"
      "CREATE PUBLICATION sales_pub FOR TABLES IN SCHEMA sales;"
      "CREATE PUBLICATION everything FOR ALL TABLES WITH (publish_via_partition_root = true);"
      "COMMENT ON PUBLICATION sales_pub IS 'to the warehouse';";
  const char* seed = "INSERT INTO orders VALUES (1, 9.5, 'n')";
  const char* kept = "SELECT id, total, note FROM orders";
  round_trip({tables, with, seed, seed, kept, kept});
  round_trip({"", with, "", "", "", ""});
  // Created once the tables exist.
  const std::string s = script("", with);
  CHECK(s.find("CREATE PUBLICATION orders_pub FOR TABLE ONLY public.customers, TABLE ONLY "
               "public.orders (id, total) WHERE ((total > (0)::numeric)) WITH (publish = "
               "'insert, update', publish_via_partition_root = false);") != std::string::npos);
  CHECK(s.find("CREATE PUBLICATION") > s.find("CREATE TABLE public.orders"));
  // Tables, options and the comment change in place; ALL TABLES cannot.
  const std::string changed =
      tables +
      "CREATE PUBLICATION orders_pub FOR TABLE orders WITH (publish = 'insert');"
      "CREATE PUBLICATION sales_pub;"
      "CREATE PUBLICATION everything FOR TABLE customers;";
  round_trip({with, changed, seed, seed, kept, kept});
  const std::string c = script(with, changed);
  CHECK_THAT(c, Contains("ALTER PUBLICATION orders_pub SET TABLE ONLY public.orders;"));
  CHECK_THAT(c, Contains("ALTER PUBLICATION sales_pub DROP TABLES IN SCHEMA sales;"));
  CHECK_THAT(c, Contains("DROP PUBLICATION everything;"));
  CHECK(c.find("DROP PUBLICATION orders_pub") == std::string::npos);
  // A table it names is dropped (it leaves the publication with it), or is
  // made partitioned (dropped and created again: it is put back).
  const std::string partitioned =
      "CREATE SCHEMA sales;"
      "CREATE TABLE orders (id int, total numeric, note text) PARTITION BY RANGE (id);"
      "CREATE TABLE orders_1 PARTITION OF orders FOR VALUES FROM (0) TO (1000);"
      "CREATE TABLE sales.items (id int PRIMARY KEY);"
      // (a partitioned table takes no column list nor filter unless
      // published through its root)
      "CREATE PUBLICATION orders_pub FOR TABLE orders WITH (publish = 'insert, update');"
      "CREATE PUBLICATION sales_pub FOR TABLES IN SCHEMA sales;"
      "CREATE PUBLICATION everything FOR ALL TABLES WITH (publish_via_partition_root = true);"
      "COMMENT ON PUBLICATION sales_pub IS 'to the warehouse';";
  round_trip({with, partitioned, "", "", "", ""});
}
