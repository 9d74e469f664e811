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

namespace {

// Generates from `schema`, then: no warning of its own lint, `lint --strict`
// clean, upgrade, check, down to a1 (the database is a1's schema again) and
// up once more. Returns the text of what it wrote.
std::string generate_lint_apply(const e2e::Project& p, const TempPgDatabase& db,
                                const std::string& schema) {
  testsupport::write_file(p.path("schema.sql"), schema);
  auto gen = run(p, db, {"revision", "--autogenerate", "-m", "keys"});
  INFO(gen.out << gen.err);
  REQUIRE_THAT(gen, ExitedWith(0));
  CHECK_THAT(gen.err, !Contains("warning"));
  const std::string text = all_text(generated(p));
  INFO(text);
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
  auto down = run(p, db, {"downgrade", "a1"});
  INFO(down.out << down.err);
  REQUIRE_THAT(down, ExitedWith(0));
  auto same = run(p, db, {"diff", "--to", "rev:a1", "--exit-code"});
  INFO(same.out << same.err);
  CHECK_THAT(same, ExitedWith(0));
  REQUIRE_THAT(run(p, db, {"upgrade", "heads"}), ExitedWith(0));
  CHECK_THAT(run(p, db, {"check"}), ExitedWith(0));
  return text;
}

}  // namespace

TEST_CASE("pg: autogenerate puts a foreign key after the concurrent key it references",
          "[e2e][postgres][lint][autogenerate]") {
  // The keys are built CONCURRENTLY in the non-transactional revision; a
  // foreign key on one of them in an earlier revision fails ("there is no
  // unique constraint matching given keys"), so it goes after them.
  TempPgDatabase db;
  e2e::Project p;
  p.add({"a1",
         {},
         "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n"
         "CREATE TABLE codes (a int NOT NULL, b int NOT NULL, label text);\n"
         "CREATE TABLE orders (id bigint PRIMARY KEY, user_email text, code_a int, code_b int);",
         "DROP TABLE orders;\nDROP TABLE codes;\nDROP TABLE users;"});
  REQUIRE_THAT(run(p, db, {"upgrade", "heads"}), ExitedWith(0));
  db.exec(
      "INSERT INTO users VALUES (1, 'a@x'), (2, 'b@x');"
      "INSERT INTO codes VALUES (1, 2, 'x'), (3, 4, 'y');"
      "INSERT INTO orders VALUES (1, 'a@x', 1, 2), (2, 'b@x', NULL, NULL)");
  const std::string text = generate_lint_apply(
      p, db,
      "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL,\n"
      "  CONSTRAINT users_email_key UNIQUE (email));\n"
      "CREATE TABLE codes (a int NOT NULL, b int NOT NULL, label text);\n"
      "CREATE UNIQUE INDEX codes_a_b_idx ON codes (a, b);\n"
      "CREATE TABLE orders (id bigint PRIMARY KEY,\n"
      "  user_email text CONSTRAINT orders_user_fk REFERENCES users (email),\n"
      "  code_a int, code_b int,\n"
      "  CONSTRAINT orders_code_fk FOREIGN KEY (code_b, code_a) REFERENCES codes (b, a));\n"
      "CREATE TABLE reviews (id bigint PRIMARY KEY,\n"
      "  author text CONSTRAINT reviews_author_fk REFERENCES users (email));\n");
  // In the last revision, each foreign key after the index it needs.
  const auto key = text.find("ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key");
  const auto fk = text.find("ADD CONSTRAINT orders_user_fk FOREIGN KEY");
  const auto new_fk = text.find("ADD CONSTRAINT reviews_author_fk FOREIGN KEY");
  const auto codes = text.find("CREATE UNIQUE INDEX CONCURRENTLY codes_a_b_idx");
  const auto code_fk = text.find("ADD CONSTRAINT orders_code_fk FOREIGN KEY");
  REQUIRE(key != std::string::npos);
  REQUIRE(fk != std::string::npos);
  REQUIRE(new_fk != std::string::npos);
  REQUIRE(codes != std::string::npos);
  REQUIRE(code_fk != std::string::npos);
  CHECK(key < fk);
  CHECK(key < new_fk);
  CHECK(codes < code_fk);
  CHECK(text.find("VALIDATE CONSTRAINT orders_user_fk") > fk);
  CHECK(db.rows("SELECT conname, convalidated FROM pg_constraint WHERE contype = 'f' ORDER BY 1") ==
        V{"orders_code_fk|t", "orders_user_fk|t", "reviews_author_fk|t"});
}

TEST_CASE("pg: autogenerate builds keys with options concurrently and attaches them",
          "[e2e][postgres][lint][autogenerate]") {
  // INCLUDE and NULLS NOT DISTINCT (PostgreSQL 15) go on the
  // concurrent index; DEFERRABLE on the ADD CONSTRAINT ... USING INDEX. A
  // PRIMARY KEY on a nullable column waits for the column's SET NOT NULL.
  TempPgDatabase db;
  e2e::Project p;
  p.add({"a1",
         {},
         "CREATE TABLE items (id int NOT NULL, code text, x int);\n"
         "CREATE TABLE tags (name text, note text);",
         "DROP TABLE tags;\nDROP TABLE items;"});
  REQUIRE_THAT(run(p, db, {"upgrade", "heads"}), ExitedWith(0));
  db.exec(
      "INSERT INTO items VALUES (1, 'a', 10), (2, NULL, 20);"
      "INSERT INTO tags VALUES ('red', NULL), ('blue', 'b')");
  const std::string text =
      generate_lint_apply(p, db,
                          "CREATE TABLE items (id int NOT NULL, code text, x int,\n"
                          "  CONSTRAINT items_pkey PRIMARY KEY (id) INCLUDE (x),\n"
                          "  CONSTRAINT items_code_key UNIQUE NULLS NOT DISTINCT (code)\n"
                          "    DEFERRABLE INITIALLY DEFERRED);\n"
                          "CREATE TABLE tags (name text PRIMARY KEY, note text);\n");
  CHECK_THAT(text, Contains("CREATE UNIQUE INDEX CONCURRENTLY items_pkey ON public.items USING "
                            "btree (id) INCLUDE (x);"));
  CHECK_THAT(text, Contains("ADD CONSTRAINT items_pkey PRIMARY KEY USING INDEX items_pkey"));
  CHECK_THAT(text, Contains("CREATE UNIQUE INDEX CONCURRENTLY items_code_key ON public.items "
                            "USING btree (code) NULLS NOT DISTINCT"));
  CHECK_THAT(text, Contains("UNIQUE USING INDEX items_code_key DEFERRABLE INITIALLY DEFERRED"));
  // tags.name: proved NOT NULL by a validated check before the key takes it.
  const auto set = text.find("ALTER COLUMN name SET NOT NULL");
  const auto attach = text.find("ADD CONSTRAINT tags_pkey PRIMARY KEY USING INDEX tags_pkey");
  REQUIRE(set != std::string::npos);
  REQUIRE(attach != std::string::npos);
  CHECK(set < attach);
  CHECK(db.rows("SELECT conname, condeferrable, condeferred FROM pg_constraint WHERE contype IN "
                "('p', 'u') AND conrelid IN ('items'::regclass, 'tags'::regclass) ORDER BY 1") ==
        V{"items_code_key|t|t", "items_pkey|f|f", "tags_pkey|f|f"});
}

TEST_CASE("pg: autogenerate moves a new identity past the values its column holds",
          "[e2e][postgres][lint][autogenerate]") {
  // ADD IDENTITY starts its sequence at 1: setval follows it in the same
  // transaction. A nullable column is made NOT NULL (the validated check)
  // first: the identity then comes in a last transactional revision.
  TempPgDatabase db;
  e2e::Project p;
  p.add({"a1",
         {},
         "CREATE TABLE tickets (id int, label text);\n"
         "CREATE TABLE seats (id int PRIMARY KEY, label text);",
         "DROP TABLE seats;\nDROP TABLE tickets;"});
  REQUIRE_THAT(run(p, db, {"upgrade", "heads"}), ExitedWith(0));
  db.exec(
      "INSERT INTO tickets VALUES (1, 'a'), (7, 'b');"
      "INSERT INTO seats VALUES (3, 'a'), (5, 'b')");
  const std::string text = generate_lint_apply(
      p, db,
      "CREATE TABLE tickets (id int GENERATED BY DEFAULT AS IDENTITY, label text);\n"
      "CREATE TABLE seats (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, label text);\n");
  CHECK_THAT(text, Contains("-- migrate:lint-ignore work-after-access-exclusive"));
  CHECK_THAT(text, Contains("SELECT setval(pg_get_serial_sequence('public.tickets', 'id')"));
  db.exec("INSERT INTO tickets (label) VALUES ('c'); INSERT INTO seats (label) VALUES ('c')");
  CHECK(db.rows("SELECT id FROM tickets WHERE label = 'c'") == V{"8"});
  CHECK(db.rows("SELECT id FROM seats WHERE label = 'c'") == V{"6"});
}
