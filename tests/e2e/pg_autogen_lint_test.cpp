// revision --autogenerate on PostgreSQL writes what `migrate lint` accepts:
// a set of schema changes on tables that already hold rows, generated,
// linted (no finding), applied, checked against schema.sql, downgraded and
// applied again on the real server. A column rename or a rewriting type
// change is offered as an expand/contract plan instead of written.
#include <catch2/catch.hpp>

#include "e2e/pg_fixture.h"
#include "support/matchers.h"

namespace {

using Catch::Contains;
using e2e::TempPgDatabase;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

testsupport::RunResult run(const e2e::Project& p, const TempPgDatabase& db,
                           std::vector<std::string> args) {
  return e2e::run_pg(p, db, std::move(args));
}

const char* kBase =
    "CREATE TABLE users (id bigint PRIMARY KEY, email text, name text, age integer,\n"
    "  nick varchar(20));\n"
    "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total integer);\n"
    "CREATE INDEX orders_total_idx ON orders (total);";

// Every generated revision file, in name order.
V generated(const e2e::Project& p) {
  V out;
  for (const auto& e : std::filesystem::directory_iterator(p.versions())) {
    const std::string name = e.path().filename().string();
    if (name.rfind("a1_", 0) != 0) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string all_text(const V& files) {
  std::string s;
  for (const auto& f : files) s += testsupport::read_file(f);
  return s;
}

}  // namespace

TEST_CASE("pg: autogenerate on existing tables writes revisions that lint clean and apply",
          "[e2e][postgres][lint][autogenerate]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add({"a1", {}, kBase, "DROP TABLE orders;\nDROP TABLE users;"});
  REQUIRE_THAT(run(p, db, {"upgrade", "heads"}), ExitedWith(0));
  db.exec(
      "INSERT INTO users VALUES (1, 'a@x', 'Ada', 36, 'ada'), (2, 'b@x', 'Bob', 40, 'bob');"
      "INSERT INTO orders VALUES (1, 1, 10), (2, 2, 20)");
  testsupport::write_file(
      p.path("schema.sql"),
      "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text,\n"
      "  age integer CONSTRAINT users_age_check CHECK (age >= 0), nick varchar(40),\n"
      "  created_at timestamptz DEFAULT now(),\n"
      "  CONSTRAINT users_email_key UNIQUE (email));\n"
      "CREATE INDEX users_name_idx ON users (name);\n"
      "CREATE TABLE orders (id bigint PRIMARY KEY,\n"
      "  user_id bigint CONSTRAINT orders_user_fk REFERENCES users (id), total integer);\n"
      "CREATE TABLE notes (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id),\n"
      "  body text NOT NULL);\n"
      "CREATE INDEX notes_user_idx ON notes (user_id);\n");

  auto gen = run(p, db, {"revision", "--autogenerate", "-m", "safe changes"});
  INFO(gen.out << gen.err);
  REQUIRE_THAT(gen, ExitedWith(0));
  CHECK_THAT(gen.err, !Contains("warning"));  // its own lint of what it wrote
  const V files = generated(p);
  REQUIRE(files.size() >= 2);
  const std::string text = all_text(files);
  INFO(text);
  // The last revision runs outside a transaction: the concurrent index work
  // and the validations. (Files are named by random ids: find it by header.)
  std::string last;
  int non_transactional = 0;
  for (const auto& f : files) {
    const std::string t = testsupport::read_file(f);
    if (t.find("-- transactional: false") == std::string::npos) continue;
    last = t;
    ++non_transactional;
  }
  CHECK(non_transactional == 1);
  CHECK_THAT(last, Contains("CREATE INDEX CONCURRENTLY users_name_idx ON public.users"));
  CHECK_THAT(last, Contains("DROP INDEX CONCURRENTLY public.orders_total_idx"));
  CHECK_THAT(last, Contains("CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON public.users"));
  CHECK_THAT(last, Contains("ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key"));
  CHECK_THAT(last, Contains("VALIDATE CONSTRAINT users_age_check"));
  CHECK_THAT(last, Contains("VALIDATE CONSTRAINT orders_user_fk"));
  CHECK_THAT(last, Contains("ALTER COLUMN email SET NOT NULL"));
  // Before it, in transactions: constraints NOT VALID, the new table as is.
  CHECK_THAT(text, Contains("users_age_check CHECK ((age >= 0)) NOT VALID"));
  CHECK_THAT(text, Contains("CHECK ((email IS NOT NULL)) NOT VALID"));
  CHECK_THAT(text, Contains("NOT VALID"));
  CHECK_THAT(text, Contains("CREATE INDEX notes_user_idx ON public.notes"));
  CHECK_THAT(text, Contains("-- migrate:lint-ignore column-type-change"));

  auto lint = run(p, db, {"lint", "--strict"});
  INFO(lint.out << lint.err);
  CHECK_THAT(lint, ExitedWith(0));
  CHECK_THAT(lint.out, Contains("0 errors, 0 warnings"));

  auto up = run(p, db, {"upgrade", "heads"});
  INFO(up.out << up.err);
  REQUIRE_THAT(up, ExitedWith(0));
  auto check = run(p, db, {"check"});
  INFO(check.out << check.err);
  CHECK_THAT(check, ExitedWith(0));
  CHECK(db.rows("SELECT convalidated FROM pg_constraint WHERE conname IN ('users_age_check', "
                "'orders_user_fk') ORDER BY conname") == V{"t", "t"});
  CHECK(db.rows("SELECT count(*) FROM pg_constraint WHERE conname LIKE '%not_null_check'") ==
        V{"0"});
  CHECK(db.rows("SELECT count(*) FROM users") == V{"2"});

  // Down to a1, step by step, and the database is a1's schema again.
  auto down = run(p, db, {"downgrade", "a1"});
  INFO(down.out << down.err);
  REQUIRE_THAT(down, ExitedWith(0));
  CHECK(db.version() == V{"a1"});
  auto same = run(p, db, {"diff", "--to", "rev:a1", "--exit-code"});
  INFO(same.out << same.err);
  CHECK_THAT(same, ExitedWith(0));
  CHECK(db.rows("SELECT count(*) FROM users") == V{"2"});
  REQUIRE_THAT(run(p, db, {"upgrade", "heads"}), ExitedWith(0));
  CHECK_THAT(run(p, db, {"check"}), ExitedWith(0));
}

TEST_CASE("pg: autogenerate offers an expand/contract plan for a rename or a type change",
          "[e2e][postgres][lint][autogenerate]") {
  TempPgDatabase db;
  e2e::Project p;
  p.add({"a1", {}, kBase, "DROP TABLE orders;\nDROP TABLE users;"});
  REQUIRE_THAT(run(p, db, {"upgrade", "heads"}), ExitedWith(0));
  testsupport::write_file(
      p.path("schema.sql"),
      "CREATE TABLE users (id bigint PRIMARY KEY,\n"
      "  email_address text,  -- migrate:renamed-from email\n"
      "  name text, age integer, nick varchar(20));\n"
      "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total bigint);\n"
      "CREATE INDEX orders_total_idx ON orders (total);\n");
  auto gen = run(p, db, {"revision", "--autogenerate", "-m", "breaking"});
  INFO(gen.out << gen.err);
  CHECK_THAT(gen, ExitedWith(1));
  CHECK_THAT(gen.err, Contains("rename column public.users.email to email_address"));
  CHECK_THAT(gen.err, Contains("change type of public.orders.total from integer to bigint"));
  CHECK(generated(p).empty());  // no revision written
  const std::string users = testsupport::read_file(p.path("expand_users.yaml"));
  CHECK_THAT(users, Contains("table: users"));
  CHECK_THAT(users, Contains("- rename_column: {from: email, to: email_address}"));
  CHECK_THAT(testsupport::read_file(p.path("expand_orders.yaml")),
             Contains("- change_type: {column: total, to: total_new, type: \"bigint\""));
  // A second run refuses to overwrite the plans it wrote.
  auto again = run(p, db, {"revision", "--autogenerate", "-m", "breaking"});
  CHECK_THAT(again, ExitedWith(1));
  CHECK_THAT(again.err, Contains("which exists"));
  // The plan is one `revision --expand-contract` takes.
  auto ec = run(p, db, {"revision", "--expand-contract", p.path("expand_users.yaml")});
  INFO(ec.out << ec.err);
  CHECK_THAT(ec, ExitedWith(0));
  CHECK(generated(p).size() == 3);
}
