// The PostgreSQL splitter (libpg_query) and the detection of statements that
// cannot run inside a transactional step. No server needed.
#include "db/postgres/pg_splitter.h"

#include <catch2/catch.hpp>
#include <functional>

#include "backend/backend.h"
#include "db/database.h"
#include "db/postgres/pg_dialect.h"
#include "db/postgres/pg_statement_check.h"
#include "util/error.h"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using migrate::db::Statement;
using migrate::db::postgres::check_statements;
using migrate::db::postgres::split_sql;
using migrate::db::postgres::transaction_conflict;

namespace {

std::vector<std::string> texts(const std::vector<Statement>& v) {
  std::vector<std::string> out;
  for (const auto& s : v) out.push_back(s.sql);
  return out;
}

std::vector<int> lines(const std::vector<Statement>& v) {
  std::vector<int> out;
  for (const auto& s : v) out.push_back(s.line);
  return out;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const migrate::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("pg splitter: statements, file lines, comments", "[pg][splitter]") {
  std::string sql =
      "-- leading comment; with a semicolon\n"                                        // line 10
      "CREATE TABLE a (id int);\n"                                                    // 11
      "\n"                                                                            // 12
      "/* block ; /* nested; */ still */\n"                                           // 13
      "INSERT INTO a\n"                                                               // 14
      "  VALUES (1); -- trailing; comment\n"                                          // 15
      "SELECT 'it''s; fine', E'a\\'; b', \"we;ird\" FROM a -- last, no semicolon\n";  // 16
  auto st = split_sql(sql, 10, "f.sql");
  CHECK(texts(st) ==
        std::vector<std::string>{"CREATE TABLE a (id int)", "INSERT INTO a\n  VALUES (1)",
                                 "SELECT 'it''s; fine', E'a\\'; b', \"we;ird\" FROM a"});
  CHECK(lines(st) == std::vector<int>{11, 14, 16});
}

TEST_CASE("pg splitter: dollar quotes and BEGIN ATOMIC stay whole", "[pg][splitter]") {
  std::string sql =
      "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$\n"
      "BEGIN\n"
      "  PERFORM $$x; y$$; -- inner ; comment\n"
      "  RETURN 1;\n"
      "END\n"
      "$body$;\n"
      "CREATE FUNCTION g() RETURNS int LANGUAGE sql\n"
      "BEGIN ATOMIC\n"
      "  SELECT 1;\n"
      "  SELECT 2;\n"
      "END;\n"
      "SELECT $1$ignored$1$;;\n";  // not a dollar quote ($1 is a parameter): a syntax error
  auto err = error_of([&] { split_sql(sql, 1, "f.sql"); });
  CHECK_THAT(err, StartsWith("f.sql:12: syntax error"));

  sql.erase(sql.rfind("SELECT $1$"));
  auto st = split_sql(sql, 1, "f.sql");
  REQUIRE(st.size() == 2);
  CHECK(st[0].line == 1);
  CHECK_THAT(st[0].sql, Contains("$$x; y$$"));
  CHECK(st[0].sql.substr(st[0].sql.size() - 6) == "$body$");
  CHECK(st[1].line == 7);
  CHECK(st[1].sql.substr(st[1].sql.size() - 3) == "END");
}

TEST_CASE("pg splitter: empty input, comment-only text, syntax errors", "[pg][splitter]") {
  CHECK(split_sql("", 1, "f.sql").empty());
  CHECK(split_sql("  -- nothing\n/* here */\n;;\n", 1, "f.sql").empty());
  auto err = error_of([] { split_sql("SELECT 1;\n\nSELEC 2;\n", 5, "v/x.sql"); });
  CHECK(err == "v/x.sql:7: syntax error: syntax error at or near \"SELEC\"");
  // Multibyte characters before the error do not shift the line.
  err = error_of([] { split_sql("SELECT 'ééé';\nSELECT 'ü' FROM;\n", 1, "x.sql"); });
  CHECK_THAT(err, StartsWith("x.sql:2: syntax error"));
  err = error_of([] { split_sql(std::string("SELECT 1;\nSELECT \0;", 19), 3, "x.sql"); });
  CHECK(err == "x.sql:4: the SQL contains a NUL byte");
}

TEST_CASE("pg: statements refused inside a transaction block", "[pg][splitter]") {
  for (const char* sql :
       {"CREATE INDEX CONCURRENTLY i ON t (a)", "create unique index concurrently i on t (a)",
        "DROP INDEX CONCURRENTLY i", "REINDEX INDEX CONCURRENTLY i",
        "REINDEX (CONCURRENTLY) TABLE t", "VACUUM t", "VACUUM (ANALYZE) t", "CREATE DATABASE d",
        "DROP DATABASE d", "CREATE TABLESPACE s LOCATION '/x'", "DROP TABLESPACE s",
        "ALTER SYSTEM SET work_mem = '1MB'", "CLUSTER", "BEGIN", "COMMIT", "ROLLBACK",
        "START TRANSACTION", "END"}) {
    INFO(sql);
    CHECK_FALSE(transaction_conflict(sql).empty());
  }
  for (const char* sql :
       {"CREATE INDEX i ON t (a)", "DROP INDEX i", "REINDEX INDEX i", "ANALYZE t",
        "CLUSTER t USING i", "SAVEPOINT s", "ROLLBACK TO SAVEPOINT s", "RELEASE SAVEPOINT s",
        "ALTER TYPE e ADD VALUE 'x'", "SELECT 'VACUUM'", "not even sql"}) {
    INFO(sql);
    CHECK(transaction_conflict(sql).empty());
  }
  CHECK(transaction_conflict("CREATE INDEX CONCURRENTLY i ON t (a)") ==
        "CREATE INDEX CONCURRENTLY cannot run inside a transaction block");
  // check_statements parses only the statements that can conflict, judged
  // by their words: every refused kind is still refused behind comments,
  // in any case, and a data statement is passed without a parse.
  for (const char* sql :
       {"CREATE INDEX CONCURRENTLY i ON t (a)", "create unique index concurrently i on t (a)",
        "DROP INDEX CONCURRENTLY i", "REINDEX (CONCURRENTLY) TABLE t", "vacuum t",
        "CREATE DATABASE d", "DROP TABLESPACE s", "alter system set work_mem = '1MB'", "CLUSTER",
        "begin", "Commit", "START TRANSACTION", "END", "abort"}) {
    const std::string hidden = std::string("/* a /* nested */ comment */ -- and one more\n") + sql;
    INFO(hidden);
    CHECK_FALSE(error_of([&] { check_statements({{hidden, 1}}, true, "r.sql"); }).empty());
  }
  CHECK(error_of([&] {
          check_statements({{"INSERT INTO t VALUES ('CREATE INDEX CONCURRENTLY')", 1}}, true,
                           "r.sql");
        }).empty());

  auto st =
      split_sql("CREATE TABLE t (a int);\n\nCREATE INDEX CONCURRENTLY i ON t (a);", 20, "r.sql");
  auto err = error_of([&] { check_statements(st, true, "r.sql"); });
  CHECK_THAT(
      err, StartsWith("r.sql:22: CREATE INDEX CONCURRENTLY cannot run inside a transaction block"));
  CHECK_THAT(err, Contains("transactional: false"));
  CHECK_THAT(err, Contains("in: CREATE INDEX CONCURRENTLY i ON t (a)"));
  CHECK(error_of([&] { check_statements({st[0]}, true, "r.sql"); }).empty());
  // Outside a transaction the same statement is fine.
  CHECK(error_of([&] { check_statements(st, false, "r.sql"); }).empty());
}

TEST_CASE("pg: COPY FROM STDIN and TO STDOUT are refused in any step", "[pg][split]") {
  auto st = split_sql("CREATE TABLE t (a int);\nCOPY t FROM STDIN;\nCOPY t TO STDOUT;", 5, "r.sql");
  for (bool transactional : {true, false}) {
    auto err = error_of([&] { check_statements(st, transactional, "r.sql"); });
    CHECK_THAT(err, StartsWith("r.sql:6: COPY ... FROM STDIN cannot run in a migration"));
    CHECK_THAT(err, Contains("Nothing was run."));
    err = error_of([&] { check_statements({st[0], st[2]}, transactional, "r.sql"); });
    CHECK_THAT(err, StartsWith("r.sql:7: COPY ... TO STDOUT cannot run in a migration"));
  }
  // COPY with a server-side file (or a program) has no stream on the connection.
  auto files = split_sql("COPY t FROM '/tmp/t.csv';\nCOPY t TO PROGRAM 'cat';", 1, "r.sql");
  CHECK(error_of([&] { check_statements(files, true, "r.sql"); }).empty());
}

TEST_CASE("pg dialect: quoting and schema-qualified names", "[pg][dialect]") {
  migrate::db::postgres::PostgresDialect d;
  migrate::db::TableNames t;
  // Without a schema (offline only): public, which the script checks first.
  CHECK(d.qualified(t, "migrate_version") == "\"public\".\"migrate_version\"");
  CHECK(d.offline_preamble_sql(t).size() == 1);
  t.schema = "My\"Schema";
  CHECK(d.qualified(t, "v") == "\"My\"\"Schema\".\"v\"");
  CHECK(d.offline_preamble_sql(t).empty());
  CHECK(d.quote_literal("it's") == "'it''s'");
  CHECK(d.begin_sql() == "BEGIN");
  migrate::graph::VersionOp ins{migrate::graph::VersionOp::kInsert, "", "abc"};
  CHECK(d.version_op_sql(t, ins) ==
        "INSERT INTO \"My\"\"Schema\".\"migrate_version\" (version_num) VALUES ('abc')");
  // Offline scripts split like the live backend.
  CHECK(d.split("SELECT 1; SELECT 2", 1, "f").size() == 2);
  auto st = d.split("VACUUM;", 3, "f.sql");
  CHECK_THROWS_WITH(d.check_step(st, true, "f.sql"), Catch::StartsWith("f.sql:3: VACUUM"));
  CHECK_NOTHROW(d.check_step(st, false, "f.sql"));
}

TEST_CASE("pg: both URL schemes pick the PostgreSQL dialect", "[pg][dialect]") {
  CHECK(migrate::backend::dialect_for_url("postgresql://u@h/db")->name() == "postgresql");
  CHECK(migrate::backend::dialect_for_url("postgres://u:pw@h:5433/db?sslmode=disable")->name() ==
        "postgresql");
  CHECK(migrate::backend::dialect_for_url("sqlite:///:memory:")->name() == "sqlite");
}
