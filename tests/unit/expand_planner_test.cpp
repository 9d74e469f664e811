// The expand/contract planner without a database: PLAN.yaml read with its
// lines, refusals naming PLAN.yaml:LINE, expressions rewritten for the
// trigger, and what each of the three revisions holds.
#include <catch2/catch.hpp>

#include "expand/change.h"
#include "expand/expression.h"
#include "expand/pg_planner.h"
#include "expand/plan.h"
#include "schema/postgres/pg_render.h"
#include "util/error.h"

using Catch::Matchers::Contains;
using migrate::expand::analyse;
using migrate::expand::parse_plan;
namespace schema = migrate::schema;

namespace {

schema::Column col(const std::string& name, const std::string& type, bool not_null = false,
                   const char* def = nullptr) {
  schema::Column c;
  c.name = name;
  c.type = type;
  c.not_null = not_null;
  if (def) c.default_expr = def;
  return c;
}

// public.users(id PK, email NOT NULL DEFAULT 'none', amount_cents, phone,
// legacy NOT NULL); public.keyless(a).
schema::Schema users(bool with_key = true) {
  schema::Schema s;
  s.dialect = migrate::config::DatabaseUrl::kPostgres;
  schema::Table t;
  t.name = {"public", "users"};
  t.columns = {col("id", "bigint", true), col("email", "text", true, "'none'::text"),
               col("amount_cents", "bigint"), col("phone", "text"), col("legacy", "text", true)};
  if (with_key) {
    schema::Constraint pk;
    pk.name = "users_pkey";
    pk.kind = schema::ConstraintKind::PrimaryKey;
    pk.columns = {"id"};
    t.constraints.push_back(pk);
  }
  s.tables.push_back(t);
  return s;
}

migrate::expand::Phases plan(const std::string& yaml, const schema::Schema& s = users()) {
  static migrate::expand::Plan p;  // Change points into it
  p = parse_plan(yaml, "PLAN.yaml");
  auto c = analyse(p, s, "public");
  return migrate::expand::plan_postgres(c, schema::postgres::renderer(), "m");
}

std::string refusal(const std::string& yaml, const schema::Schema& s = users()) {
  try {
    plan(yaml, s);
  } catch (const migrate::Error& e) {
    return e.what();
  }
  return "(not refused)";
}

}  // namespace

TEST_CASE("expand: expressions are read with PostgreSQL's grammar", "[expand]") {
  using migrate::expand::qualify_columns;
  CHECK(qualify_columns("amount_cents / 100.0", "NEW", {"amount_cents"}) ==
        "NEW.amount_cents / 100.0");
  // A string literal, another table's column and a sub-select are left alone.
  CHECK(qualify_columns("coalesce(\"Email\", 'email') || (SELECT email FROM t)", "NEW",
                        {"Email", "email"}) ==
        "coalesce(NEW.\"Email\", 'email') || (SELECT email FROM t)");
  CHECK(migrate::expand::expression_columns("a + b * a") == std::vector<std::string>{"a", "b"});
  CHECK(migrate::expand::is_constant("'EUR'"));
  CHECK(migrate::expand::is_constant("-1.5"));
  CHECK(migrate::expand::is_constant("'{}'::jsonb"));
  CHECK_FALSE(migrate::expand::is_constant("gen_random_uuid()"));
  CHECK_FALSE(migrate::expand::is_constant("now()"));
  CHECK_THROWS_WITH(migrate::expand::check_expression("1; DROP TABLE users"),
                    Contains("is not one SQL expression"));
  CHECK_THROWS_WITH(migrate::expand::check_expression("a +"), Contains("is not an SQL expression"));
}

TEST_CASE("expand: a plan's shape errors name PLAN.yaml:LINE", "[expand]") {
  CHECK_THROWS_WITH(
      parse_plan("table: users\noperations:\n  - rename_colum: {from: a, to: b}\n", "PLAN.yaml"),
      Contains("PLAN.yaml:3: unknown operation `rename_colum`"));
  CHECK_THROWS_WITH(
      parse_plan("table: users\noperations:\n  - change_type: {column: a, to: b, type: int}\n",
                 "PLAN.yaml"),
      Contains("PLAN.yaml:3: change_type needs `up`"));
  CHECK_THROWS_WITH(parse_plan("table: users\noperations:\n  - add_check:\n      name: x\n      "
                               "check: a > 0\n      bogus: 1\n",
                               "PLAN.yaml"),
                    Contains("PLAN.yaml:6: unknown key `bogus` in add_check"));
  CHECK_THROWS_WITH(parse_plan("operations: []\n", "PLAN.yaml"), Contains("no `table`"));
  auto p = parse_plan(
      "table: app.users\noperations:\n  - create_index: {name: i, columns: [a, b], where: \"a > "
      "0\", unique: true}\n",
      "PLAN.yaml");
  CHECK(p.schema == "app");
  CHECK(p.table == "users");
  REQUIRE(p.operations.size() == 1);
  CHECK(p.operations[0].columns == std::vector<std::string>{"a", "b"});
  CHECK(p.operations[0].flag("unique"));
  CHECK(p.operations[0].line == 3);
}

TEST_CASE("expand: plans that cannot be done safely are refused, naming the line", "[expand]") {
  CHECK_THAT(
      refusal("table: users\noperations:\n  - rename_column: {from: email, to: e}\n", users(false)),
      Contains("PLAN.yaml:1: table public.users has no primary key and no unique key"));
  CHECK_THAT(refusal("table: nope\noperations:\n  - rename_column: {from: email, to: e}\n"),
             Contains("PLAN.yaml:1: table public.nope does not exist"));
  CHECK_THAT(refusal("table: users\noperations:\n  - rename_column: {from: emial, to: e}\n"),
             Contains("PLAN.yaml:3: table public.users has no column emial"));
  CHECK_THAT(refusal("table: users\noperations:\n  - rename_column: {from: email, to: phone}\n"),
             Contains("PLAN.yaml:3: column phone already exists"));
  CHECK_THAT(refusal("table: users\noperations:\n  - drop_column: {column: id}\n"),
             Contains("PLAN.yaml:3: column id is part of the key"));
  CHECK_THAT(refusal("table: users\noperations:\n  - drop_column: {column: legacy}\n"),
             Contains("PLAN.yaml:3: drop_column of legacy needs `down`"));
  CHECK_THAT(refusal("table: users\noperations:\n  - change_type: {column: email, to: e, type: "
                     "int, up: \"length(email)\"}\n"),
             Contains("change_type of email needs `down`"));
  CHECK_THAT(refusal("table: users\noperations:\n  - add_column: {column: c, type: int, "
                     "not_null: true}\n"),
             Contains("PLAN.yaml:3: add_column c NOT NULL needs a `default`"));
  CHECK_THAT(refusal("table: users\noperations:\n  - add_check: {name: users_pkey, check: "
                     "\"id > 0\"}\n"),
             Contains("PLAN.yaml:3: a constraint or index users_pkey already exists"));
  CHECK_THAT(refusal("table: users\noperations:\n  - change_type:\n      column: amount_cents\n"
                     "      to: amount\n      type: numeric\n      up: \"cents / 100\"\n"),
             Contains("PLAN.yaml:7: `up` uses column cents"));
  CHECK_THAT(refusal("table: users\noperations:\n  - rename_column: {from: email, to: e}\n"
                     "  - add_unique: {name: u, columns: [email]}\n"),
             Contains("PLAN.yaml:4: column email is dropped by the contract"));
  CHECK_THAT(refusal("table: users\noperations:\n  - rename_column: {from: email, to: e}\n"
                     "  - set_not_null: {column: email, fill: \"'x'\"}\n"),
             Contains("PLAN.yaml:4: column email is already changed by the operation at line 3"));
}

TEST_CASE("expand: the three revisions of a rename", "[expand]") {
  auto p = plan("table: users\noperations:\n  - rename_column: {from: email, to: email_address}\n");
  CHECK(p.expand.header_lines == std::vector<std::string>{"phase: expand"});
  CHECK(p.contract.header_lines == std::vector<std::string>{"phase: contract"});
  CHECK(p.expand.message == "m (expand)");
  // Expand: the new column, nullable, the old default moved into the trigger.
  CHECK_THAT(p.expand.upgrade_sql,
             Contains("ALTER TABLE public.users ADD COLUMN email_address text;\n"));
  CHECK_THAT(p.expand.upgrade_sql,
             Contains("ALTER TABLE public.users ALTER COLUMN email DROP DEFAULT;"));
  CHECK_THAT(p.expand.upgrade_sql, Contains("IF NEW.email_address IS NULL THEN"));
  CHECK_THAT(p.expand.upgrade_sql,
             Contains("IF NEW.email_address IS DISTINCT FROM OLD.email_address THEN"));
  CHECK_THAT(p.expand.upgrade_sql,
             Contains("current_setting('migrate.backfill', true) IS DISTINCT FROM 'on'"));
  CHECK_THAT(p.expand.upgrade_sql,
             Contains("ADD CONSTRAINT users_email_address_not_null CHECK (email_address IS NOT "
                      "NULL) NOT VALID;"));
  CHECK_THAT(p.expand.downgrade_sql,
             Contains("ALTER TABLE public.users DROP COLUMN email_address;"));
  CHECK_THAT(p.expand.downgrade_sql,
             Contains("ALTER TABLE public.users ALTER COLUMN email SET DEFAULT 'none'::text;"));
  // Backfill: the engine's header; never the key.
  const auto& h = p.backfill.header_lines;
  CHECK(h[0] == "phase: backfill");
  CHECK(h[1] == "transactional: false");
  CHECK(std::find(h.begin(), h.end(), "  key: [id]") != h.end());
  CHECK(std::find(h.begin(), h.end(), "    email_address: email") != h.end());
  CHECK(std::find(h.begin(), h.end(), "  where: email_address IS DISTINCT FROM (email)") !=
        h.end());
  // Contract: verify, validate before the exclusive lock, drop, finish.
  const auto& c = p.contract.upgrade_sql;
  auto at = [&](const char* s) { return c.find(s); };
  CHECK(at("RAISE EXCEPTION 'contract refused") < at("VALIDATE CONSTRAINT"));
  CHECK(at("VALIDATE CONSTRAINT users_email_address_not_null") < at("DROP TRIGGER migrate_sync"));
  CHECK(at("DROP COLUMN email;") < at("ALTER COLUMN email_address SET NOT NULL"));
  CHECK(at("SET NOT NULL") < at("DROP CONSTRAINT users_email_address_not_null"));
  CHECK_THAT(c, Contains("ALTER COLUMN email_address SET DEFAULT 'none'::text"));
  // A rename can be undone: the contract's downgrade re-expands.
  CHECK_THAT(p.contract.downgrade_sql, Contains("UPDATE public.users SET email = email_address;"));
  CHECK_THAT(p.contract.downgrade_sql, Contains("CREATE TRIGGER migrate_sync"));
}

TEST_CASE("expand: indexes, unique keys, volatile defaults; a contract without `down`",
          "[expand]") {
  auto p = plan(
      "table: users\noperations:\n"
      "  - add_column: {column: token, type: uuid, not_null: true, default: "
      "\"gen_random_uuid()\"}\n"
      "  - add_column: {column: currency, type: text, not_null: true, default: \"'EUR'\"}\n"
      "  - add_unique: {name: users_phone_key, columns: [phone]}\n"
      "  - create_index: {name: users_open, columns: [email], where: \"phone IS NULL\"}\n"
      "  - drop_column: {column: amount_cents}\n");
  // A constant default is stored once; a volatile one only for new rows.
  CHECK_THAT(p.expand.upgrade_sql, Contains("ADD COLUMN currency text DEFAULT 'EUR' NOT NULL;"));
  CHECK_THAT(p.expand.upgrade_sql, Contains("ADD COLUMN token uuid;\n"));
  CHECK_THAT(p.expand.upgrade_sql, Contains("ALTER COLUMN token SET DEFAULT gen_random_uuid();"));
  // Old rows hold NULL until the backfill: an UPDATE of one fills it (the
  // helper NOT NULL check applies to every row written).
  CHECK_THAT(p.expand.upgrade_sql,
             Contains("IF NEW.token IS NULL THEN NEW.token := gen_random_uuid(); END IF;"));
  CHECK(std::find(p.backfill.header_lines.begin(), p.backfill.header_lines.end(),
                  "    token: COALESCE(token, gen_random_uuid())") !=
        p.backfill.header_lines.end());
  // Indexes: CONCURRENTLY in the non-transactional backfill, an INVALID leftover dropped first.
  const auto& b = p.backfill.upgrade_sql;
  CHECK(b.find("NOT i.indisvalid") < b.find("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "
                                            "users_phone_key ON public.users (phone)"));
  CHECK_THAT(b, Contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS users_open ON public.users "
                         "(email) WHERE phone IS NULL"));
  CHECK_THAT(p.backfill.downgrade_sql,
             Contains("DROP INDEX CONCURRENTLY IF EXISTS public.users_phone_key;"));
  CHECK_THAT(p.contract.upgrade_sql,
             Contains("ADD CONSTRAINT users_phone_key UNIQUE USING INDEX users_phone_key;"));
  // drop_column without `down`: the contract's downgrade refuses, saying why.
  CHECK_THAT(p.contract.downgrade_sql,
             Contains("RAISE EXCEPTION 'downgrade of the contract of public.users refused: "
                      "drop_column (PLAN.yaml:7) has no `down`"));
}

TEST_CASE("expand: an index or constraint the contract drops is warned about unless replaced",
          "[expand]") {
  schema::Schema s = users();
  schema::Table& t = s.tables.front();
  schema::Constraint check;
  check.name = "users_amount_check";
  check.kind = schema::ConstraintKind::Check;
  check.definition = "CHECK (amount_cents > 0)";
  check.uses.columns = {"amount_cents"};
  t.constraints.push_back(check);
  schema::Index ix;
  ix.name = "users_phone_idx";
  ix.table = t.name;
  ix.columns = {"phone"};
  t.indexes.push_back(ix);
  const std::string change =
      "table: users\noperations:\n  - change_type: {column: amount_cents, to: amount, type: "
      "\"numeric(12,2)\", up: \"amount_cents / 100.0\", down: \"(amount * 100)::bigint\"}\n"
      "  - rename_column: {from: phone, to: tel}\n";
  auto bare = plan(change, s);
  REQUIRE(bare.warnings.size() == 2);
  CHECK_THAT(bare.warnings[0],
             Contains("change_type (PLAN.yaml:3): constraint users_amount_check uses column "
                      "amount_cents, which the contract drops"));
  // PostgreSQL's contract drops the old column of a rename too.
  CHECK_THAT(bare.warnings[1], Contains("rename_column (PLAN.yaml:4): index users_phone_idx"));
  // The plan builds both again over the new columns: nothing to say.
  auto replaced = plan(change +
                           "  - add_check: {name: users_amount_pos, check: \"amount > 0\"}\n"
                           "  - create_index: {name: users_tel_idx, columns: [tel]}\n",
                       s);
  CHECK(replaced.warnings.empty());
  // A check over another column replaces nothing.
  auto other = plan(change + "  - add_check: {name: users_tel_check, check: \"tel <> ''\"}\n", s);
  CHECK(other.warnings.size() == 2);
}
