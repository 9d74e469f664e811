// PostgreSQL schema diffs of table-level kinds on the real server, each both
// ways through the round trip of schema_pg_roundtrip.h (the script applies
// in one transaction, the model and pg_dump agree, a second diff is empty,
// seeded rows survive): declarative partitioning, table inheritance,
// UNLOGGED, relation options, statistics targets, comments on view columns.
#include <catch2/catch.hpp>

#include "e2e/schema_pg_roundtrip.h"

using Catch::Matchers::Contains;
using namespace schema_pg;

namespace {

std::string script_of(const std::string& a, const std::string& b) {
  TempPgDatabase from, to;
  from.exec(a);
  to.exec(b);
  return migrate::schema::render_script(migrate::schema::diff_postgres(inspect(from), inspect(to)));
}

}  // namespace

TEST_CASE("pg diff: partitions created, attached, detached, and partitioned <-> plain",
          "[schema][pg]") {
  const std::string kept =
      "SELECT city_id, logdate FROM m_2006_02 UNION ALL SELECT city_id, logdate FROM m_2006_03"
      " UNION ALL SELECT city_id, logdate FROM loose UNION ALL"
      " SELECT id, NULL::date FROM lists ORDER BY 2, 1";
  round_trip({
      "CREATE TABLE measurement (city_id int NOT NULL, logdate date NOT NULL, peaktemp int)"
      " PARTITION BY RANGE (logdate);"
      "CREATE TABLE m_2006_02 PARTITION OF measurement"
      " FOR VALUES FROM ('2006-02-01') TO ('2006-03-01');"
      "CREATE TABLE m_2006_03 PARTITION OF measurement"
      " FOR VALUES FROM ('2006-03-01') TO ('2006-04-01');"
      "CREATE INDEX measurement_logdate ON measurement (logdate);"
      "CREATE INDEX m_2006_02_city ON m_2006_02 (city_id);"
      "CREATE TABLE loose (city_id int NOT NULL, logdate date NOT NULL, peaktemp int);"
      "CREATE TABLE to_partitioned (id int, k int);"
      "CREATE TABLE lists (id int NOT NULL, region text NOT NULL) PARTITION BY LIST (region);"
      "CREATE TABLE lists_eu PARTITION OF lists FOR VALUES IN ('eu');"
      "CREATE TABLE lists_rest PARTITION OF lists DEFAULT;",
      "CREATE TABLE measurement (city_id int NOT NULL, logdate date NOT NULL, peaktemp int,"
      " extra text DEFAULT 'x') PARTITION BY RANGE (logdate);"
      "CREATE TABLE m_2006_02 PARTITION OF measurement"
      " FOR VALUES FROM ('2006-02-01') TO ('2006-03-01');"
      "CREATE TABLE m_2006_03 (city_id int NOT NULL, logdate date NOT NULL, peaktemp int);"
      "CREATE INDEX measurement_logdate ON measurement (logdate);"
      "CREATE INDEX m_2006_02_city ON m_2006_02 (city_id);"
      "CREATE TABLE loose PARTITION OF measurement"
      " FOR VALUES FROM ('2007-01-01') TO ('2007-02-01');"
      "CREATE TABLE to_partitioned (id int, k int) PARTITION BY HASH (id);"
      "CREATE TABLE to_partitioned_0 PARTITION OF to_partitioned"
      " FOR VALUES WITH (MODULUS 2, REMAINDER 0);"
      "CREATE TABLE to_partitioned_1 PARTITION OF to_partitioned"
      " FOR VALUES WITH (MODULUS 2, REMAINDER 1);"
      "CREATE TABLE lists (id int NOT NULL, region text NOT NULL) PARTITION BY LIST (region);"
      "CREATE TABLE lists_eu PARTITION OF lists FOR VALUES IN ('eu', 'uk');"
      "CREATE TABLE lists_rest PARTITION OF lists DEFAULT;",
      "INSERT INTO measurement VALUES (1, '2006-02-15', 3), (2, '2006-03-15', 4);"
      "INSERT INTO loose VALUES (3, '2007-01-10', 5); INSERT INTO lists VALUES (7, 'eu')",
      "INSERT INTO measurement VALUES (1, '2006-02-15', 3), (3, '2007-01-10', 5);"
      "INSERT INTO m_2006_03 VALUES (2, '2006-03-15', 4); INSERT INTO lists VALUES (7, 'eu')",
      kept,
      kept,
  });
  SECTION("a new partition comes after its parent, a dropped one before") {
    const std::string a = "CREATE TABLE keep (id int);";
    const std::string b =
        "CREATE TABLE keep (id int);"
        "CREATE TABLE p (id int NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);"
        "CREATE TABLE p_1 PARTITION OF p FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');";
    const std::string up = script_of(a, b);
    CHECK_THAT(up, Contains("CREATE TABLE public.p (\n    id integer NOT NULL,\n"
                            "    at date NOT NULL\n) PARTITION BY RANGE (at)"));
    CHECK_THAT(up, Contains("CREATE TABLE public.p_1 PARTITION OF public.p FOR VALUES FROM "
                            "('2020-01-01') TO ('2021-01-01')"));
    CHECK(up.find("public.p (") < up.find("public.p_1 PARTITION OF"));
    const std::string down = script_of(b, a);
    CHECK(down.find("DROP TABLE public.p_1") < down.find("DROP TABLE public.p;"));
  }
}

TEST_CASE("pg diff: table inheritance: parents first, their ALTERs reach the children",
          "[schema][pg]") {
  round_trip({
      "CREATE TABLE base (id int NOT NULL, created_at timestamptz DEFAULT now(), e int,"
      " note text);"
      "CREATE TABLE child (extra int) INHERITS (base);"
      "CREATE TABLE child2 (x int) INHERITS (base);"
      "CREATE TABLE other_parent (tag text);"
      "CREATE TABLE gone_parent (g int);"
      "CREATE TABLE orphan (o int, g int) INHERITS (gone_parent);",
      "CREATE TABLE base (id bigint NOT NULL, created_at timestamptz DEFAULT now(), note text,"
      " added int DEFAULT 7);"
      "CREATE TABLE child (extra int) INHERITS (base);"
      "CREATE TABLE other_parent (tag text);"
      "CREATE TABLE child2 (x int, tag text) INHERITS (base, other_parent);"
      "CREATE TABLE orphan (o int, g int);"
      "CREATE TABLE newchild (n int) INHERITS (base);",
      "INSERT INTO child (id, note, extra) VALUES (1, 'a', 2); INSERT INTO orphan VALUES (3, 4)",
      "INSERT INTO child (id, note, extra) VALUES (1, 'a', 2); INSERT INTO orphan VALUES (3, 4)",
      "SELECT id::int, note, extra FROM child UNION ALL SELECT o, NULL, g FROM orphan",
      "SELECT id::int, note, extra FROM child UNION ALL SELECT o, NULL, g FROM orphan",
  });
}

TEST_CASE("pg diff: a parent drops a column a child keeps: ALTER TABLE ONLY", "[schema][pg]") {
  // One way (the other: the next test case).
  const std::string a =
      "CREATE TABLE base (id int, e int);"
      "CREATE TABLE child (extra int) INHERITS (base);"
      "CREATE TABLE child2 () INHERITS (base);";
  const std::string b =
      "CREATE TABLE base (id int);"
      "CREATE TABLE child (extra int, e int) INHERITS (base);"
      "CREATE TABLE child2 () INHERITS (base);";
  one_way(a, b, "INSERT INTO child VALUES (1, 5, 2)", "SELECT id, e, extra FROM child", "A -> B");
  const std::string up = script_of(a, b);
  CHECK_THAT(up, Contains("ALTER TABLE ONLY public.base DROP COLUMN e"));
  CHECK_THAT(up, Contains("ALTER TABLE public.child2 DROP COLUMN e"));
}

TEST_CASE("pg diff: a parent adds a column its child has as its own: parked, rows kept",
          "[schema][pg]") {
  // A: the child (and its own child) have e as their own column, bigint,
  // with an index, a comment, a statistics target, a sequence it owns and
  // UPDATE triggers. B: the parent has e (integer, DEFAULT 7): the child's
  // is inherited only, which no ALTER makes it. The parent's ADD COLUMN
  // alone would merge into the child's column (still its own: pg_dump
  // would list it in the child), so it is parked: renamed, the parent adds
  // it, the values copied back (NULL stays NULL, not the parent's default;
  // the grandchild's too; converted to integer), the parked column dropped;
  // the copy fires no trigger (touched stays 0).
  const std::string triggers =
      "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS"
      " $$BEGIN NEW.touched := NEW.touched + 1; RETURN NEW; END$$;"
      "CREATE TRIGGER child_touch BEFORE UPDATE ON child FOR EACH ROW EXECUTE FUNCTION touch();"
      "CREATE TRIGGER grandchild_touch BEFORE UPDATE ON grandchild"
      " FOR EACH ROW EXECUTE FUNCTION touch();"
      "CREATE VIEW child_e AS SELECT id, e FROM child;";
  const std::string own =
      "CREATE TABLE base (id int, created_at timestamptz DEFAULT now());"
      "CREATE TABLE child (a1 int, e bigint, touched int DEFAULT 0) INHERITS (base);"
      "CREATE INDEX child_e_idx ON child (e);"
      "ALTER TABLE child ADD CONSTRAINT child_e_check CHECK (e >= 0);"
      "COMMENT ON COLUMN child.e IS 'own';"
      "CREATE TABLE grandchild (g int) INHERITS (child);"
      "ALTER TABLE child ALTER COLUMN e SET STATISTICS 300;"  // and the grandchild's
      "CREATE SEQUENCE child_e_seq OWNED BY child.e;" +
      triggers;
  const std::string inherited =
      "CREATE TABLE base (id int, created_at timestamptz DEFAULT now(), e int DEFAULT 7);"
      "CREATE TABLE child (a1 int, touched int DEFAULT 0) INHERITS (base);"
      "CREATE INDEX child_e_idx ON child (e);"
      "ALTER TABLE child ADD CONSTRAINT child_e_check CHECK (e >= 0);"
      "COMMENT ON COLUMN child.e IS 'inherited';"
      "CREATE TABLE grandchild (g int) INHERITS (child);"
      "ALTER TABLE child ALTER COLUMN e SET STATISTICS 300;"  // and the grandchild's
      "CREATE SEQUENCE child_e_seq OWNED BY child.e;" +
      triggers;
  const std::string seed =
      "INSERT INTO child (id, a1, e) VALUES (1, 10, 5), (2, 20, NULL);"
      "INSERT INTO grandchild (id, a1, e, g) VALUES (3, 30, 6, 1);"
      "SELECT nextval('child_e_seq'), nextval('child_e_seq')";
  const std::string kept =
      "SELECT id, a1, e::int, touched FROM child UNION ALL"
      " SELECT 0, 0, last_value::int, 0 FROM child_e_seq ORDER BY 1";
  round_trip({own, inherited, seed, seed, kept, kept});

  TempPgDatabase from, to;
  from.exec(own);
  to.exec(inherited);
  const Diff diff = migrate::schema::diff_postgres(inspect(from), inspect(to));
  const std::string up = migrate::schema::render_script(diff);
  CHECK_THAT(up, Contains("ALTER TABLE public.child RENAME COLUMN e TO e__migrate_own"));
  CHECK_THAT(up, Contains("UPDATE public.child SET e = e__migrate_own"));
  CHECK_THAT(up, Contains("ALTER TABLE public.child DROP COLUMN e__migrate_own"));
  CHECK_THAT(up, Contains("-- destructive: public.child.e changes type from bigint to integer"));
  CHECK(up.find("RENAME COLUMN e TO") < up.find("ALTER TABLE public.base ADD COLUMN e"));
  CHECK(up.find("ALTER TABLE public.base ADD COLUMN e") < up.find("UPDATE public.child"));
  bool warned = false;
  for (const auto& w : diff.warnings)
    warned = warned || w.find("an UPDATE rewrites every row of public.child") != std::string::npos;
  CHECK(warned);
}

TEST_CASE("pg diff: a parent adds a NOT NULL column its child has: SET NOT NULL after the copy",
          "[schema][pg]") {
  // ADD COLUMN ... NOT NULL without a default would fail on the child's
  // rows (the inherited column starts NULL): it is added nullable and made
  // NOT NULL once the child's values are in it.
  one_way("CREATE TABLE base (id int); CREATE TABLE child (e text NOT NULL) INHERITS (base);",
          "CREATE TABLE base (id int, e text NOT NULL); CREATE TABLE child () INHERITS (base);",
          "INSERT INTO child VALUES (1, 'x'), (2, 'y')", "SELECT id, e FROM child ORDER BY id",
          "own -> inherited NOT NULL");
}

TEST_CASE("pg diff: a child's own column that cannot be parked stays its own, with a warning",
          "[schema][pg]") {
  // The grandchild has e as its own too: parking the child's would leave
  // the grandchild a column of the temporary name. The diff keeps today's
  // merge and says why.
  TempPgDatabase from, to;
  from.exec(
      "CREATE TABLE base (id int); CREATE TABLE child (e int) INHERITS (base);"
      "CREATE TABLE grandchild (e int) INHERITS (child)");
  to.exec(
      "CREATE TABLE base (id int, e int); CREATE TABLE child () INHERITS (base);"
      "CREATE TABLE grandchild (e int) INHERITS (child)");
  const Diff diff = migrate::schema::diff_postgres(inspect(from), inspect(to));
  const std::string up = migrate::schema::render_script(diff);
  CHECK_THAT(up, Contains("ALTER TABLE public.base ADD COLUMN e integer"));
  CHECK(up.find("RENAME") == std::string::npos);
  std::string warnings;
  for (const auto& w : diff.warnings) warnings += w + "\n";
  CHECK_THAT(warnings, Contains("column public.child.e stays the table's own as well as "
                                "inherited from public.base"));
  CHECK_THAT(warnings, Contains("public.grandchild has it as its own too"));
}

TEST_CASE("pg diff: UNLOGGED, storage options, statistics targets, view options", "[schema][pg]") {
  const std::string kept = "SELECT k, v FROM cache UNION ALL SELECT id::text, kind FROM events";
  round_trip({
      "CREATE UNLOGGED TABLE cache (k text PRIMARY KEY, v text);"
      "CREATE TABLE events (id int, payload jsonb, kind text) WITH (fillfactor=80);"
      "CREATE INDEX events_kind ON events (kind) WITH (fillfactor=70);"
      "CREATE INDEX events_expr ON events ((payload->>'a'));"
      "ALTER TABLE events ALTER COLUMN kind SET STATISTICS 500;"
      "CREATE VIEW v_events WITH (security_barrier=true) AS SELECT id, kind FROM events;"
      "CREATE MATERIALIZED VIEW mv_events WITH (fillfactor=90) AS SELECT id FROM events;",
      "CREATE TABLE cache (k text PRIMARY KEY, v text);"
      "CREATE UNLOGGED TABLE scratch (x int) WITH (autovacuum_enabled=false);"
      "CREATE TABLE events (id int, payload jsonb, kind text)"
      " WITH (parallel_workers=2, fillfactor=60);"
      "CREATE INDEX events_kind ON events (kind) WITH (fillfactor=50);"
      "CREATE INDEX events_expr ON events ((payload->>'a'));"
      "ALTER INDEX events_expr ALTER COLUMN 1 SET STATISTICS 200;"
      "ALTER TABLE events ALTER COLUMN id SET STATISTICS 100;"
      "CREATE VIEW v_events WITH (check_option=local) AS SELECT id, kind FROM events;"
      "CREATE MATERIALIZED VIEW mv_events AS SELECT id FROM events;",
      "INSERT INTO cache VALUES ('a', 'b'); INSERT INTO events VALUES (1, '{}', 'k')",
      "INSERT INTO cache VALUES ('a', 'b'); INSERT INTO events VALUES (1, '{}', 'k')",
      kept,
      kept,
  });
  const std::string up = script_of(
      "CREATE UNLOGGED TABLE c (k text);"
      "CREATE TABLE e (id int, j jsonb) WITH (fillfactor=80);"
      "CREATE INDEX e_j ON e ((j->>'a'));",
      "CREATE TABLE c (k text);"
      "CREATE TABLE e (id int, j jsonb);"
      "CREATE INDEX e_j ON e ((j->>'a'));"
      "ALTER INDEX e_j ALTER COLUMN 1 SET STATISTICS 50;"
      "ALTER TABLE e ALTER COLUMN id SET STATISTICS 10;");
  CHECK_THAT(up, Contains("ALTER TABLE public.c SET LOGGED;"));
  CHECK_THAT(up, Contains("ALTER TABLE public.e RESET (fillfactor);"));
  CHECK_THAT(up, Contains("ALTER TABLE public.e ALTER COLUMN id SET STATISTICS 10;"));
  CHECK_THAT(up, Contains("ALTER INDEX public.e_j ALTER COLUMN 1 SET STATISTICS 50;"));
}

TEST_CASE("pg diff: comments on view columns, also when the view is recreated", "[schema][pg]") {
  round_trip({
      "CREATE TABLE t (id int, v int);"
      "CREATE VIEW w AS SELECT id, v FROM t;"
      "COMMENT ON COLUMN w.id IS 'the id';"
      "CREATE VIEW same AS SELECT id FROM t;"
      "COMMENT ON COLUMN same.id IS 'old';",
      "CREATE TABLE t (id bigint, v int);"
      "CREATE VIEW w AS SELECT id, v FROM t;"
      "COMMENT ON COLUMN w.id IS 'the id';"
      "COMMENT ON COLUMN w.v IS 'a value';"
      "CREATE VIEW same AS SELECT id FROM t;"
      "COMMENT ON COLUMN same.id IS 'new';",
      "",
      "",
      "",
      "",
  });
}
