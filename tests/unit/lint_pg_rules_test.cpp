// Every PostgreSQL rule: a statement it must flag, and the safe form of the
// same change, which must stay silent (table-driven: one row per case).
#include <catch2/catch.hpp>

#include "lint/rules.h"
#include "lint_support.h"

using namespace linttest;

namespace {

struct Case {
  const char* rule;
  std::vector<std::string> fires;   // sections (run order) the rule must flag
  std::vector<std::string> silent;  // the safe form: the rule must not fire
  bool transactional = true;
};

// "old" is a table of an earlier, applied revision (not created in the run).
const std::vector<Case>& cases() {
  static const std::vector<Case> c = {
      {"delete-without-where", {"DELETE FROM old;"}, {"DELETE FROM old WHERE id = 1;"}},
      {"delete-without-where", {"DELETE FROM old WHERE 1 = 1;"}, {"DELETE FROM old WHERE 1 = 2;"}},
      {"delete-without-where",
       {"DELETE FROM old WHERE true OR id = 3;"},
       {"DELETE FROM old WHERE true AND id = 3;"}},
      {"delete-without-where",
       {"WITH g AS (DELETE FROM old RETURNING *) SELECT count(*) FROM g;"},
       {"WITH g AS (DELETE FROM old WHERE id < 10 RETURNING *) SELECT count(*) FROM g;"}},
      {"delete-without-where",
       {"CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DELETE FROM old; END $$;"},
       {"CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DELETE FROM old WHERE id = "
        "$1; END $$;"}},
      {"delete-without-where",
       {"CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC DELETE FROM old; END;"},
       {"CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC DELETE FROM old WHERE id = 1; "
        "END;"}},
      {"delete-without-where",
       {"CREATE FUNCTION f() RETURNS void LANGUAGE sql AS 'DELETE FROM old';"},
       {"CREATE FUNCTION f() RETURNS void LANGUAGE sql AS 'DELETE FROM old WHERE id = 1';"}},
      {"delete-without-where",
       {"DO $$ BEGIN DELETE FROM old; END $$;"},
       {"DO $$ BEGIN DELETE FROM old WHERE id = 2; END $$;"}},
      {"update-without-where",
       {"UPDATE old SET a = 1;"},
       {"UPDATE old SET a = 1 WHERE a IS NULL;"}},
      {"update-without-where",
       {"UPDATE old SET a = 1 WHERE 'x' = 'x';"},
       {"UPDATE old SET a = 1 WHERE 'x' = a;"}},
      {"merge-without-condition",
       {"MERGE INTO old USING s ON true WHEN MATCHED THEN DELETE;"},
       {"MERGE INTO old USING s ON old.id = s.id WHEN MATCHED THEN DELETE;"}},
      {"truncate-table", {"TRUNCATE old;"}, {"CREATE TABLE n (id int);", "TRUNCATE n;"}},
      {"truncate-table", {"TRUNCATE old CASCADE;"}, {"DELETE FROM old WHERE id < 100;"}},
      {"drop-table", {"DROP TABLE old;"}, {"CREATE TABLE n (id int);", "DROP TABLE n;"}},
      {"drop-schema", {"DROP SCHEMA s CASCADE;"}, {"CREATE SCHEMA s;"}},
      {"drop-column",
       {"ALTER TABLE old DROP COLUMN a;"},
       {"CREATE TABLE n (id int, a int);", "ALTER TABLE n DROP COLUMN a;"}},
      {"unique-on-existing-data",
       {"CREATE UNIQUE INDEX CONCURRENTLY i ON old (a);"},
       {"CREATE TABLE n (a int);", "CREATE UNIQUE INDEX i ON n (a);"},
       false},
      {"transaction-control",
       {"BEGIN; UPDATE old SET a = 1 WHERE id = 1; COMMIT;"},
       {"SAVEPOINT s; UPDATE old SET a = 1 WHERE id = 1; RELEASE SAVEPOINT s;"}},
      {"concurrently-in-transaction",
       {"CREATE INDEX CONCURRENTLY i ON old (a);"},
       {"CREATE INDEX CONCURRENTLY i ON old (a);"}},  // silent case overridden below
      {"index-without-concurrently",
       {"CREATE INDEX i ON old (a);"},
       {"CREATE INDEX CONCURRENTLY i ON old (a);"},
       false},
      {"index-without-concurrently",
       {"CREATE INDEX i ON old (a);"},
       {"CREATE TABLE n (a int);", "CREATE INDEX i ON n (a);"}},
      {"drop-index-without-concurrently",
       {"DROP INDEX old_a;"},
       {"DROP INDEX CONCURRENTLY old_a;"},
       false},
      {"reindex-without-concurrently",
       {"REINDEX TABLE old;"},
       {"REINDEX TABLE CONCURRENTLY old;"},
       false},
      {"constraint-without-not-valid",
       {"ALTER TABLE old ADD CONSTRAINT c CHECK (a > 0);"},
       {"ALTER TABLE old ADD CONSTRAINT c CHECK (a > 0) NOT VALID;"}},
      {"constraint-without-not-valid",
       {"ALTER TABLE old ADD CONSTRAINT f FOREIGN KEY (b) REFERENCES other (id);"},
       {"ALTER TABLE old ADD CONSTRAINT f FOREIGN KEY (b) REFERENCES other (id) NOT VALID;"}},
      {"validate-in-same-transaction",
       {"ALTER TABLE old ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\n"
        "ALTER TABLE old VALIDATE CONSTRAINT c;"},
       {"ALTER TABLE old ADD CONSTRAINT c CHECK (a > 0) NOT VALID;",
        "ALTER TABLE old VALIDATE CONSTRAINT c;"}},
      {"constraint-builds-index",
       {"ALTER TABLE old ADD CONSTRAINT u UNIQUE (a);"},
       {"ALTER TABLE old ADD CONSTRAINT u UNIQUE USING INDEX old_a_key;"}},
      {"constraint-builds-index",
       {"ALTER TABLE old ADD PRIMARY KEY (id);"},
       {"ALTER TABLE old ADD CONSTRAINT p PRIMARY KEY USING INDEX old_id_key;"}},
      {"set-not-null",
       {"ALTER TABLE old ALTER COLUMN a SET NOT NULL;"},
       {"ALTER TABLE old ADD CONSTRAINT a_nn CHECK (a IS NOT NULL) NOT VALID;",
        "ALTER TABLE old VALIDATE CONSTRAINT a_nn;",
        "ALTER TABLE old ALTER COLUMN a SET NOT NULL;"}},
      {"add-column-not-null-without-default",
       {"ALTER TABLE old ADD COLUMN b int NOT NULL;"},
       {"ALTER TABLE old ADD COLUMN b int NOT NULL DEFAULT 0;"}},
      {"volatile-default",
       {"ALTER TABLE old ADD COLUMN b uuid DEFAULT gen_random_uuid();"},
       {"ALTER TABLE old ADD COLUMN b timestamptz DEFAULT now();"}},
      {"volatile-default",
       {"ALTER TABLE old ADD COLUMN b float8 DEFAULT random();"},
       {"ALTER TABLE old ADD COLUMN b timestamptz DEFAULT current_timestamp;"}},
      {"volatile-default",
       {"ALTER TABLE old ADD COLUMN b bigserial;"},
       {"ALTER TABLE old ADD COLUMN b bigint;"}},
      {"volatile-default",
       {"ALTER TABLE old ADD COLUMN b int DEFAULT nextval('s');"},
       {"ALTER TABLE old ADD COLUMN b int DEFAULT 7;"}},
      {"stored-generated-column",
       {"ALTER TABLE old ADD COLUMN b int GENERATED ALWAYS AS (a * 2) STORED;"},
       {"CREATE TABLE n (a int, b int GENERATED ALWAYS AS (a * 2) STORED);"}},
      {"column-type-change",
       {"ALTER TABLE old ALTER COLUMN a TYPE bigint;"},
       {"CREATE TABLE n (a varchar(10));", "ALTER TABLE n ALTER COLUMN a TYPE text;"}},
      // Binary-compatible changes of a column whose type the run knows.
      {"column-type-change",
       {"ALTER TABLE old ADD COLUMN c varchar(10);",
        "ALTER TABLE old ALTER COLUMN c TYPE varchar(5);"},
       {"ALTER TABLE old ADD COLUMN c varchar(10);",
        "ALTER TABLE old ALTER COLUMN c TYPE varchar(20);"}},
      {"column-type-change",
       {"ALTER TABLE old ADD COLUMN c numeric(10,2);",
        "ALTER TABLE old ALTER COLUMN c TYPE numeric(12,3);"},
       {"ALTER TABLE old ADD COLUMN c numeric(10,2);",
        "ALTER TABLE old ALTER COLUMN c TYPE numeric(12,2);"}},
      {"column-type-change",
       {"ALTER TABLE old ADD COLUMN c varchar(10);",
        "ALTER TABLE old ALTER COLUMN c TYPE text USING upper(c);"},
       {"ALTER TABLE old ADD COLUMN c varchar(10);", "ALTER TABLE old ALTER COLUMN c TYPE text;"}},
      {"vacuum-full", {"VACUUM FULL old;"}, {"VACUUM old;"}, false},
      {"cluster", {"CLUSTER old USING old_pkey;"}, {"ANALYZE old;"}},
      {"work-after-access-exclusive",
       {"ALTER TABLE old ADD COLUMN b int;\nUPDATE other SET x = 1 WHERE id = 1;"},
       {"ALTER TABLE old ADD COLUMN b int;", "UPDATE other SET x = 1 WHERE id = 1;"}},
      {"rename-table",
       {"ALTER TABLE old RENAME TO newer;"},
       {"CREATE TABLE n (id int);", "ALTER TABLE n RENAME TO m;"}},
      {"rename-column",
       {"ALTER TABLE old RENAME COLUMN a TO b;"},
       {"ALTER TABLE old ADD COLUMN b int;"}},
      {"drop-not-null",
       {"ALTER TABLE old ALTER COLUMN a DROP NOT NULL;"},
       {"ALTER TABLE old ALTER COLUMN a SET DEFAULT 0;"}},
      {"drop-foreign-key",
       {"ALTER TABLE old DROP CONSTRAINT old_b_fkey;"},
       {"ALTER TABLE old DROP CONSTRAINT old_a_check;"}},
  };
  return c;
}

}  // namespace

TEST_CASE("lint pg: every rule fires on its case and stays silent on the safe form", "[lint][pg]") {
  for (const auto& c : cases()) {
    INFO("rule " << c.rule << ", fires on: " << c.fires.back());
    auto fired = lint_sections(Dialect::postgres, c.fires, Settings(), c.transactional);
    CHECK(has_rule(fired, c.rule));
    if (c.silent.empty()) continue;
    // The CONCURRENTLY case's safe form is the same statement outside a transaction.
    const bool tx = std::string(c.rule) == "concurrently-in-transaction" ? false : c.transactional;
    INFO("silent on: " << c.silent.back());
    auto quiet = lint_sections(Dialect::postgres, c.silent, Settings(), tx);
    CHECK_FALSE(has_rule(quiet, c.rule));
  }
}

TEST_CASE("lint pg: every rule with a PostgreSQL check has a case", "[lint][pg]") {
  for (const auto& r : migrate::lint::all_rules()) {
    if (!r.postgres || r.category == migrate::lint::Category::lint ||
        r.category == migrate::lint::Category::style)
      continue;
    bool covered = false;
    for (const auto& c : cases()) covered = covered || r.name == std::string(c.rule);
    INFO(r.name);
    CHECK(covered);
  }
}

TEST_CASE("lint pg: the catalogue is in RuleId order with unique ids", "[lint]") {
  const auto& rules = migrate::lint::all_rules();
  REQUIRE(rules.size() == static_cast<std::size_t>(migrate::lint::RuleId::count_));
  for (std::size_t i = 0; i < rules.size(); ++i) {
    CHECK(static_cast<std::size_t>(rules[i].id) == i);
    CHECK(migrate::lint::find_rule(rules[i].name) == &rules[i]);
  }
}

TEST_CASE("lint pg: a table created by an earlier revision of the run is new", "[lint][pg]") {
  // squawk #331: an index on a table created in an earlier, not yet applied
  // revision locks nobody out.
  auto f = lint_sections(Dialect::postgres, {"CREATE TABLE events (id bigint, at timestamptz);",
                                             "CREATE INDEX events_at ON events (at);\n"
                                             "ALTER TABLE events ADD CONSTRAINT c CHECK (id > 0);\n"
                                             "ALTER TABLE events ALTER COLUMN id SET NOT NULL;"});
  CHECK(rules_of(f).empty());
}

TEST_CASE("lint pg: positions are file lines and character columns", "[lint][pg]") {
  auto f = lint_sections(Dialect::postgres,
                         {"CREATE TABLE n (id int);\n-- a comment\n  DELETE FROM old;"});
  REQUIRE(f.size() == 1);
  CHECK(f[0].file == "r1.sql");
  CHECK(f[0].line == 12);  // first_line 10, third line of the section
  CHECK(f[0].column == 3);
  CHECK(f[0].severity == migrate::lint::Severity::error);
  CHECK(f[0].source_line == "  DELETE FROM old;");
  CHECK_THAT(f[0].help, Catch::Contains("expect-rows any"));
}

TEST_CASE("lint pg: style rules are off by default and on when enabled", "[lint][pg]") {
  const std::string sql = "CREATE TABLE n (id serial, a integer, t timestamp, v varchar(20));";
  CHECK(rules_of(lint_sections(Dialect::postgres, {sql})).empty());
  migrate::config::LintConfig cfg;
  for (const char* r : {"prefer-bigint", "prefer-timestamptz", "prefer-text", "prefer-identity"})
    cfg.rules[r] = {"on", "migrate.yaml:3"};
  auto f = lint_sections(Dialect::postgres, {sql}, Settings(cfg));
  CHECK(rules_of(f) == std::vector<std::string>{"prefer-identity", "prefer-bigint",
                                                "prefer-timestamptz", "prefer-text"});
  // And silent on the preferred types.
  CHECK(rules_of(lint_sections(Dialect::postgres,
                               {"CREATE TABLE n (id bigint GENERATED ALWAYS AS IDENTITY, a bigint, "
                                "t timestamptz, v text);"},
                               Settings(cfg)))
            .empty());
}

TEST_CASE("lint pg: settings turn rules off and change severities", "[lint][pg]") {
  migrate::config::LintConfig cfg;
  cfg.rules["drop-table"] = {"error", "migrate.yaml:4"};
  cfg.rules["truncate-table"] = {"off", "migrate.yaml:5"};
  auto f = lint_sections(Dialect::postgres, {"DROP TABLE old; TRUNCATE old;"}, Settings(cfg));
  REQUIRE(rules_of(f) == std::vector<std::string>{"drop-table", "work-after-access-exclusive"});
  CHECK(f[0].severity == migrate::lint::Severity::error);
  cfg.rules["no-such-rule"] = {"on", "migrate.yaml:6"};
  CHECK_THROWS_WITH(Settings(cfg),
                    Catch::Contains("migrate.yaml:6") && Catch::Contains("no-such-rule"));
}

TEST_CASE("lint pg: postgres_version changes what rewrites", "[lint][pg]") {
  migrate::config::LintConfig cfg;
  cfg.postgres_version = 10;
  const std::string add = "ALTER TABLE old ADD COLUMN b int DEFAULT 0;";
  CHECK_FALSE(has_rule(lint_sections(Dialect::postgres, {add}), "volatile-default"));
  CHECK(has_rule(lint_sections(Dialect::postgres, {add}, Settings(cfg)), "volatile-default"));
}

TEST_CASE("lint pg: a section that does not parse is one parse-error warning", "[lint][pg]") {
  auto f = lint_sections(Dialect::postgres, {"CREATE TABLE n (id int);\nDELET FROM old;"});
  REQUIRE(rules_of(f) == std::vector<std::string>{"parse-error"});
  CHECK(f[0].line == 11);
  CHECK(f[0].severity == migrate::lint::Severity::warning);
}
