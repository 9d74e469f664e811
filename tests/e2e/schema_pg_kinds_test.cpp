// PostgreSQL object kinds beyond tables, views and functions: row-level
// security (ENABLE/FORCE, policies), collations, domains, composite and
// range types, aggregates, operators, and INSTEAD OF triggers on views. Each
// round trip runs both ways on the real server: the diff applies in one
// transaction, pg_dump of both sides agrees, a second diff is empty
// (schema_pg_roundtrip.h); rows are kept where the change keeps them.
#include <catch2/catch.hpp>

#include "e2e/schema_pg_roundtrip.h"

using Catch::Matchers::Contains;
using namespace schema_pg;

namespace {

// Roles are the server's: made once, kept (as the migra fixtures do).
void make_roles() {
  TempPgDatabase db;
  db.exec(
      "DO $$BEGIN"
      " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kinds_reader') THEN"
      "  CREATE ROLE kinds_reader; END IF;"
      " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'Kinds Writer') THEN"
      "  CREATE ROLE \"Kinds Writer\"; END IF; END$$");
}

const char* const kAccounts = "CREATE TABLE accounts (id int PRIMARY KEY, manager text);";

}  // namespace

TEST_CASE("pg diff: row-level security and policies", "[schema][pg][kinds]") {
  make_roles();
  const std::string policies =
      std::string(kAccounts) +
      "ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;"
      "ALTER TABLE accounts FORCE ROW LEVEL SECURITY;"
      "CREATE POLICY mine ON accounts TO kinds_reader, \"Kinds Writer\""
      " USING (manager = current_user);"
      "CREATE POLICY no_nulls ON accounts AS RESTRICTIVE FOR INSERT"
      " WITH CHECK (manager IS NOT NULL);"
      "CREATE POLICY upd ON accounts FOR UPDATE USING (true) WITH CHECK (id > 0);";
  const char* seed = "INSERT INTO accounts VALUES (1, 'ann')";
  const char* kept = "SELECT id, manager FROM accounts";
  round_trip({"", policies, "", "", "", ""});
  round_trip({kAccounts, policies, seed, seed, kept, kept});
  // migra's `rls`: a policy turns restrictive, its roles change.
  const std::string changed =
      std::string(kAccounts) +
      "ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;"
      "CREATE POLICY mine ON accounts AS RESTRICTIVE TO kinds_reader"
      " USING (manager = current_user);"
      "CREATE POLICY upd ON accounts FOR UPDATE USING (true) WITH CHECK (id > 1);";
  round_trip({policies, changed, seed, seed, kept, kept});
  const std::string s = script(policies, changed);
  CHECK_THAT(s, Contains("ALTER TABLE public.accounts NO FORCE ROW LEVEL SECURITY;"));
  CHECK_THAT(s, Contains("DROP POLICY no_nulls ON public.accounts;"));
  CHECK_THAT(s, Contains("CREATE POLICY mine ON public.accounts AS RESTRICTIVE TO kinds_reader"));
  // A column a policy uses changes type: the server refuses while the policy
  // exists, so it is recreated around the change.
  round_trip({policies,
              "CREATE TABLE accounts (id bigint PRIMARY KEY, manager text);" +
                  policies.substr(std::string(kAccounts).size()),
              seed, seed, kept, kept});
}

TEST_CASE("pg diff: collations are created before the columns that use them",
          "[schema][pg][kinds]") {
  const std::string with =
      "CREATE COLLATION posix_c (provider = libc, locale = 'POSIX');"
      "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);"
      "COMMENT ON COLLATION ci IS 'case-insensitive';"
      "CREATE TABLE t (id int PRIMARY KEY, a text COLLATE posix_c, b text COLLATE ci);";
  round_trip({"CREATE TABLE t (id int PRIMARY KEY, a text, b text);", with,
              "INSERT INTO t VALUES (1, 'x', 'Y')", "INSERT INTO t VALUES (1, 'x', 'Y')",
              "SELECT id, a, b FROM t", "SELECT id, a, b FROM t"});
  round_trip({"", with, "", "", "", ""});
}

TEST_CASE("pg diff: domains with defaults, NOT NULL and checks", "[schema][pg][kinds]") {
  // Pagila's `year`.
  const std::string year =
      "CREATE DOMAIN year AS integer CONSTRAINT year_check"
      " CHECK (VALUE >= 1901 AND VALUE <= 2155);"
      "CREATE DOMAIN code AS varchar(8) COLLATE \"C\" DEFAULT 'none' NOT NULL;"
      "COMMENT ON DOMAIN code IS 'short code';"
      "CREATE TABLE film (id int PRIMARY KEY, release_year year, c code);";
  round_trip({"", year, "", "", "", ""});
  const std::string changed =
      "CREATE DOMAIN year AS integer CONSTRAINT year_check"
      " CHECK (VALUE >= 1800 AND VALUE <= 2155) CONSTRAINT positive CHECK (VALUE > 0);"
      "CREATE DOMAIN code AS varchar(8) COLLATE \"C\" DEFAULT 'x';"
      "CREATE TABLE film (id int PRIMARY KEY, release_year year, c code);";
  round_trip({year, changed, "INSERT INTO film VALUES (1, 2006, 'ab')",
              "INSERT INTO film VALUES (1, 2006, 'ab')", "SELECT id, release_year, c FROM film",
              "SELECT id, release_year, c FROM film"});
  const std::string s = script(year, changed);
  CHECK_THAT(s, Contains("ALTER DOMAIN public.year DROP CONSTRAINT year_check;"));
  CHECK_THAT(s, Contains("ALTER DOMAIN public.code DROP NOT NULL;"));
  CHECK_FALSE(s.find("DROP DOMAIN") != std::string::npos);
}

TEST_CASE("pg diff: aggregates and operators come after the functions they use",
          "[schema][pg][kinds]") {
  // Pagila's group_concat (an SQL state function) and the Rails schema's
  // operator over a function; a view using the aggregate.
  const std::string with =
      "CREATE FUNCTION _group_concat(text, text) RETURNS text LANGUAGE sql IMMUTABLE"
      " AS $$ SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2"
      " ELSE $1 || ', ' || $2 END $$;"
      "CREATE AGGREGATE group_concat(text) (SFUNC = _group_concat, STYPE = text);"
      "CREATE FUNCTION sum_state(bigint, int) RETURNS bigint LANGUAGE plpgsql"
      " AS $$BEGIN RETURN coalesce($1, 0) + $2; END$$;"
      "CREATE AGGREGATE total(int) (SFUNC = sum_state, STYPE = bigint, INITCOND = '0',"
      " PARALLEL = SAFE);"
      "CREATE TABLE t (id int PRIMARY KEY, name text);"
      "CREATE VIEW names AS SELECT group_concat(name) AS all_names, total(id) FROM t;"
      "CREATE FUNCTION reverse_eq(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE"
      " AS $$ SELECT $2 ~ $1 $$;"
      "CREATE OPERATOR ~~~ (FUNCTION = reverse_eq, LEFTARG = text, RIGHTARG = text,"
      " COMMUTATOR = ~~~);"
      "CREATE OPERATOR !! (FUNCTION = factorial, RIGHTARG = bigint);";
  round_trip({"", with, "", "", "", ""});
  round_trip({"CREATE TABLE t (id int PRIMARY KEY, name text);", with,
              "INSERT INTO t VALUES (1, 'a')", "INSERT INTO t VALUES (1, 'a')",
              "SELECT id, name FROM t", "SELECT id, name FROM t"});
  const std::string s = script(with, "");
  CHECK(s.find("DROP AGGREGATE public.group_concat(text);") <
        s.find("DROP FUNCTION public._group_concat(text, text);"));
  CHECK(s.find("DROP OPERATOR public.~~~ (text, text);") <
        s.find("DROP FUNCTION public.reverse_eq(text, text);"));
  // A changed aggregate is dropped and created again, with the view over it.
  std::string changed = with;
  changed.replace(changed.find("INITCOND = '0'"), 14, "INITCOND = '1'");
  round_trip({with, changed, "", "", "", ""});
}

TEST_CASE("pg diff: INSTEAD OF triggers on views", "[schema][pg][kinds]") {
  // A view made writable by an INSTEAD OF trigger. The trigger goes with its
  // view when the view is recreated (DROP VIEW takes it along), so it is
  // created again after the view; it is dropped before its function.
  const std::string base =
      "CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(8,2));"
      "CREATE FUNCTION items_view_insert() RETURNS trigger LANGUAGE plpgsql AS"
      " $$BEGIN INSERT INTO items VALUES (NEW.id, NEW.name, 0); RETURN NEW; END$$;";
  const std::string with = base +
                           "CREATE VIEW named_items AS SELECT id, name FROM items;"
                           "CREATE TRIGGER named_items_insert INSTEAD OF INSERT ON named_items"
                           " FOR EACH ROW EXECUTE FUNCTION items_view_insert();";
  const char* seed = "INSERT INTO items VALUES (1, 'a', 2.50)";
  const char* kept = "SELECT id, name, price FROM items";
  round_trip({base, with, seed, seed, kept, kept});
  round_trip({"", with, "", "", "", ""});
  // The view's query changes: recreated, and its trigger with it.
  const std::string requery =
      base +
      "CREATE VIEW named_items AS SELECT id, name FROM items WHERE price >= 0;"
      "CREATE TRIGGER named_items_insert INSTEAD OF INSERT ON named_items"
      " FOR EACH ROW EXECUTE FUNCTION items_view_insert();";
  round_trip({with, requery, seed, seed, kept, kept});
  std::string s = script(with, requery);
  CHECK(s.find("DROP VIEW public.named_items;") != std::string::npos);
  CHECK(s.find("CREATE TRIGGER named_items_insert INSTEAD OF INSERT ON public.named_items") >
        s.find("CREATE VIEW public.named_items"));
  // A column the view reads changes type: the view is recreated around the
  // ALTER, and the trigger again after it.
  std::string retyped = with;
  retyped.replace(retyped.find("name text"), 9, "name varchar(40)");
  round_trip({with, retyped, seed, seed, kept, kept});
  // The trigger changes (INSERT OR UPDATE, a WHEN-less row trigger on the same
  // view), the view does not.
  std::string both = with;
  both.replace(both.find("INSTEAD OF INSERT"), 17, "INSTEAD OF INSERT OR UPDATE");
  round_trip({with, both, seed, seed, kept, kept});
  s = script(with, both);
  CHECK(s.find("DROP VIEW") == std::string::npos);
  CHECK(s.find("DROP TRIGGER named_items_insert ON public.named_items;") <
        s.find("CREATE TRIGGER named_items_insert INSTEAD OF INSERT OR UPDATE"));
  // The trigger still works where it was recreated.
  TempPgDatabase db;
  db.exec(with);
  db.exec(s);
  db.exec("INSERT INTO named_items VALUES (7, 'x')");
  CHECK(db.rows("SELECT id, name, price FROM items") == std::vector<std::string>{"7|x|0.00"});
}

TEST_CASE("pg diff: composite and range types", "[schema][pg][kinds]") {
  // A composite type over a domain, used by a table's column and a
  // function's signature; a range type over a composite-free subtype with a
  // collation, used by a column; both commented.
  const std::string with =
      "CREATE DOMAIN cents AS bigint CHECK (VALUE >= 0);"
      "CREATE TYPE money_amount AS (amount cents, currency char(3) COLLATE \"C\", note text);"
      "COMMENT ON TYPE money_amount IS 'an amount and its currency';"
      "CREATE TYPE textrange AS RANGE (SUBTYPE = text, COLLATION = \"C\");"
      "CREATE TYPE floatrange AS RANGE (SUBTYPE = float8, SUBTYPE_DIFF = float8mi,"
      " MULTIRANGE_TYPE_NAME = floatranges);"
      "COMMENT ON TYPE floatrange IS 'measurements';"
      "CREATE TABLE prices (id int PRIMARY KEY, price money_amount, names textrange);"
      "CREATE FUNCTION total(money_amount) RETURNS bigint LANGUAGE sql IMMUTABLE"
      " AS $$ SELECT ($1).amount $$;";
  round_trip({"", with, "", "", "", ""});
  const std::string plain = "CREATE TABLE prices (id int PRIMARY KEY);";
  round_trip({plain, with, "INSERT INTO prices VALUES (1)",
              "INSERT INTO prices VALUES (1, ROW(5, 'EUR', 'x'), '[a,c)')", "SELECT id FROM prices",
              "SELECT id FROM prices"});
  std::string s = script("", with);
  CHECK(s.find("CREATE TYPE public.money_amount AS (amount public.cents, currency character(3) "
               "COLLATE \"C\", note text);") != std::string::npos);
  CHECK(s.find("CREATE TYPE public.money_amount") < s.find("CREATE TABLE public.prices"));
  CHECK(s.find("CREATE DOMAIN public.cents") < s.find("CREATE TYPE public.money_amount"));
  CHECK_THAT(s, Contains("CREATE TYPE public.floatrange AS RANGE (SUBTYPE = double precision, "
                         "SUBTYPE_DIFF = float8mi, MULTIRANGE_TYPE_NAME = public.floatranges);"));
  // Attributes added, dropped and retyped in one ALTER TYPE (no column uses
  // the type on this side); a range's options change: dropped and created.
  const std::string changed =
      "CREATE DOMAIN cents AS bigint CHECK (VALUE >= 0);"
      "CREATE TYPE money_amount AS (amount numeric(12,2), currency char(3) COLLATE \"C\","
      " rate float8);"
      "CREATE TYPE textrange AS RANGE (SUBTYPE = text, COLLATION = \"C\");"
      "CREATE TYPE floatrange AS RANGE (SUBTYPE = float8, MULTIRANGE_TYPE_NAME = floatranges);"
      "COMMENT ON TYPE floatrange IS 'measurements';"
      "CREATE TABLE prices (id int PRIMARY KEY, names textrange);";
  const char* seed = "INSERT INTO prices (id, names) VALUES (1, '[a,c)')";
  const char* kept = "SELECT id, names FROM prices";
  round_trip({with, changed, seed, seed, kept, kept});
  s = script(with, changed);
  CHECK_THAT(s, Contains("ALTER TYPE public.money_amount DROP ATTRIBUTE note, ALTER ATTRIBUTE "
                         "amount TYPE numeric(12,2), ADD ATTRIBUTE rate double precision;"));
  CHECK_THAT(s, Contains("DROP TYPE public.floatrange;"));
  CHECK(s.find("DROP TYPE public.textrange") == std::string::npos);
  // The column that used it goes first (the server refuses the ALTER while a
  // column uses the type); the other way the ALTER comes before the column.
  CHECK(s.find("ALTER TYPE public.money_amount") > s.find("DROP COLUMN price"));
  s = script(changed, with);
  CHECK(s.find("ALTER TYPE public.money_amount") < s.find("ADD COLUMN price"));
}
