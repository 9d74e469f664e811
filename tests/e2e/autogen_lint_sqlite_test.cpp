// revision --autogenerate on SQLite keeps the diff as one transactional
// revision (no CONCURRENTLY or NOT VALID there), and what it writes passes
// `migrate lint --strict`: table rebuilds included. It applies and
// downgrades back to the schema it started from.
#include <catch2/catch.hpp>

#include "e2e/project_fixture.h"
#include "support/matchers.h"

using Catch::Contains;
using testsupport::ExitedWith;

TEST_CASE("sqlite: what autogenerate writes lints clean, applies and downgrades",
          "[e2e][sqlite][lint][autogenerate]") {
  e2e::Project p;
  p.add({"a1",
         {},
         "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT, age INTEGER);\n"
         "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, total INTEGER);\n"
         "CREATE INDEX orders_total_idx ON orders (total);\n"
         "INSERT INTO users VALUES (1, 'a@x', 'Ada', 36);",
         "DROP TABLE orders;\nDROP TABLE users;"});
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  testsupport::write_file(
      p.path("schema.sql"),
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT,\n"
      "  age INTEGER CHECK (age >= 0), created_at TEXT, UNIQUE (email));\n"
      "CREATE INDEX users_name_idx ON users (name);\n"
      "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id),\n"
      "  total INTEGER);\n"
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\n");
  auto gen = p.run({"revision", "--autogenerate", "-m", "changes", "--rev-id", "b2"});
  INFO(gen.out << gen.err);
  REQUIRE_THAT(gen, ExitedWith(0));
  CHECK_THAT(gen.err, !Contains("warning"));
  const std::string text = testsupport::read_file(p.versions() + "/b2_changes.sql");
  CHECK_THAT(text, Contains("rebuild of table users"));
  CHECK_THAT(text, !Contains("transactional: false"));
  auto lint = p.run({"lint", "--strict"});
  INFO(lint.out << lint.err);
  CHECK_THAT(lint, ExitedWith(0));
  CHECK_THAT(lint.out, Contains("0 errors, 0 warnings in 1 file"));
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  CHECK_THAT(p.run({"check"}), ExitedWith(0));
  CHECK(p.rows("SELECT email FROM users") == std::vector<std::string>{"a@x"});
  REQUIRE_THAT(p.run({"downgrade", "a1"}), ExitedWith(0));
  CHECK_THAT(p.run({"diff", "--to", "rev:a1", "--exit-code"}), ExitedWith(0));
}
