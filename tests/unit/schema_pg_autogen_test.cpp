// The PostgreSQL autogenerate plan (schema/postgres/pg_autogen.h) on
// hand-built operations: which step each lands in, and that the linter has
// nothing to say about the steps, linted in order as one run.
#include <catch2/catch.hpp>

#include "lint_support.h"
#include "schema/diff.h"
#include "schema/postgres/pg_autogen.h"
#include "schema/postgres/pg_key_index.h"

namespace {

using namespace migrate::schema;

Table table(const std::string& name) {
  Table t;
  t.name = {"public", name};
  Column id;
  id.name = "id";
  id.type = "bigint";
  id.not_null = true;
  t.columns = {id};
  return t;
}

Column column(const std::string& name, const std::string& type) {
  Column c;
  c.name = name;
  c.type = type;
  return c;
}

std::vector<migrate::lint::Finding> lint_plan(const AutogenPlan& plan) {
  migrate::lint::Linter linter(migrate::lint::Dialect::postgres, migrate::lint::Settings());
  std::vector<migrate::lint::Finding> out;
  for (const auto& step : plan.steps) {
    migrate::lint::Source s;
    s.file = "step.sql";
    s.sql = render_script(step.statements);
    s.transactional = step.transactional;
    linter.lint(s, out);
  }
  return out;
}

}  // namespace

TEST_CASE("autogenerate: binary-compatible type changes", "[unit][schema][autogenerate]") {
  using migrate::schema::postgres::binary_compatible;
  CHECK(binary_compatible("character varying(20)", "character varying(40)"));
  CHECK(binary_compatible("character varying(20)", "text"));
  CHECK(binary_compatible("text", "character varying"));
  CHECK(binary_compatible("numeric(10,2)", "numeric(12,2)"));
  CHECK(binary_compatible("numeric(10,2)", "numeric"));
  CHECK(binary_compatible("cidr", "inet"));
  CHECK_FALSE(binary_compatible("character varying(40)", "character varying(20)"));
  CHECK_FALSE(binary_compatible("text", "character varying(20)"));
  CHECK_FALSE(binary_compatible("numeric(10,2)", "numeric(12,3)"));
  CHECK_FALSE(binary_compatible("integer", "bigint"));
}

TEST_CASE("autogenerate: one transactional step per existing table locked, lint clean",
          "[unit][schema][autogenerate]") {
  Schema from;
  from.dialect = migrate::config::DatabaseUrl::kPostgres;
  from.tables = {table("a"), table("b")};
  Diff up;
  up.operations.push_back({ops::AddColumn{{"public", "a"}, column("x", "text"), "", false}});
  up.operations.push_back({ops::AddColumn{{"public", "b"}, column("y", "text"), "", false}});
  Index idx;
  idx.name = "b_y_idx";
  idx.table = {"public", "b"};
  idx.method = "btree";
  idx.columns = {"y"};
  up.operations.push_back({ops::CreateIndex{idx, false, false}});
  AutogenPlan plan = migrate::schema::postgres::autogen_plan(up, from);
  REQUIRE(plan.steps.size() == 3);
  CHECK(plan.steps[0].transactional);
  CHECK(plan.steps[1].transactional);
  CHECK_FALSE(plan.steps[2].transactional);
  CHECK(plan.steps[2].statements.at(0).sql ==
        "CREATE INDEX CONCURRENTLY b_y_idx ON public.b USING btree (y)");
  CHECK(linttest::rules_of(lint_plan(plan)).empty());
}

TEST_CASE("autogenerate: a parked column's rename, copy and drop stay in one step, lint clean",
          "[unit][schema][autogenerate]") {
  // ops::InheritColumn: between the child's rename and the drop the child
  // has no column `e`: no step may end there, though the statements in
  // between lock other tables (which would cut the step anywhere else).
  Schema from;
  from.dialect = migrate::config::DatabaseUrl::kPostgres;
  from.tables = {table("base"), table("child"), table("other"), table("before"), table("after")};
  using Step = ops::InheritColumn::Step;
  const QualifiedName child{"public", "child"}, base{"public", "base"};
  auto inherit = [&](Step step) {
    return ops::InheritColumn{step,
                              child,
                              base,
                              column("e", "bigint"),
                              column("e", "integer"),
                              "e__migrate_own",
                              step == Step::kCopy ? "e__migrate_own" : ""};
  };
  Diff up;
  up.operations.push_back({ops::AddColumn{{"public", "before"}, column("x", "text"), "", false}});
  up.operations.push_back({inherit(Step::kPark)});
  up.operations.push_back({ops::AddColumn{base, column("e", "integer"), "", false}});
  up.operations.push_back({inherit(Step::kCopy), false});
  up.operations.push_back({ops::AddColumn{{"public", "other"}, column("y", "text"), "", false}});
  up.operations.push_back({inherit(Step::kDrop), false});
  up.operations.push_back({ops::AddColumn{{"public", "after"}, column("z", "text"), "", false}});
  AutogenPlan plan = migrate::schema::postgres::autogen_plan(up, from);
  REQUIRE(plan.steps.size() == 3);
  const auto& parked = plan.steps[1].statements;
  REQUIRE(parked.size() == 5);
  CHECK(plan.steps[1].transactional);
  CHECK(parked[0].sql == "ALTER TABLE public.child RENAME COLUMN e TO e__migrate_own");
  CHECK(parked[1].sql == "ALTER TABLE public.base ADD COLUMN e integer");
  CHECK(parked[2].sql == "UPDATE public.child SET e = e__migrate_own");
  CHECK(parked[4].sql == "ALTER TABLE public.child DROP COLUMN e__migrate_own");
  CHECK(parked[1].lint_ignore.rfind("work-after-access-exclusive ", 0) == 0);
  // Every finding silenced, and every lint-ignore used.
  CHECK(linttest::rules_of(lint_plan(plan)).empty());
}

TEST_CASE("autogenerate: a new table stays as the diff writes it", "[unit][schema][autogenerate]") {
  Schema from;
  from.dialect = migrate::config::DatabaseUrl::kPostgres;
  Table t = table("n");
  Diff up;
  up.operations.push_back({ops::CreateTable{t}});
  Index idx;
  idx.name = "n_id_idx";
  idx.table = t.name;
  idx.method = "btree";
  idx.columns = {"id"};
  up.operations.push_back({ops::CreateIndex{idx, false, false}});
  AutogenPlan plan = migrate::schema::postgres::autogen_plan(up, from);
  REQUIRE(plan.steps.size() == 1);
  CHECK(plan.steps[0].transactional);
  CHECK(plan.steps[0].statements.at(1).sql == "CREATE INDEX n_id_idx ON public.n USING btree (id)");
  CHECK(linttest::rules_of(lint_plan(plan)).empty());
}

TEST_CASE("autogenerate: a key's index from its canonical definition",
          "[unit][schema][autogenerate]") {
  using migrate::schema::postgres::key_index;
  const QualifiedName t{"public", "t"};
  Constraint k;
  k.name = "t_key";
  k.kind = ConstraintKind::Unique;
  k.definition = "UNIQUE NULLS NOT DISTINCT (a, \"b) INCLUDE (\") INCLUDE (c) DEFERRABLE";
  auto ki = key_index(t, k);
  REQUIRE(ki);
  CHECK(ki->create_index ==
        "CREATE UNIQUE INDEX t_key ON public.t USING btree (a, \"b) INCLUDE (\") INCLUDE (c) "
        "NULLS NOT DISTINCT");
  CHECK(ki->attach == "UNIQUE USING INDEX t_key DEFERRABLE");
  k.kind = ConstraintKind::PrimaryKey;
  k.definition = "PRIMARY KEY (id)";
  ki = key_index(t, k);
  REQUIRE(ki);
  CHECK(ki->create_index == "CREATE UNIQUE INDEX t_key ON public.t USING btree (id)");
  CHECK(ki->attach == "PRIMARY KEY USING INDEX t_key");
  // What it does not know is written as the schema file has it.
  k.definition = "PRIMARY KEY (id) WITH (fillfactor='70')";
  CHECK_FALSE(key_index(t, k));
  k.kind = ConstraintKind::Exclusion;
  k.definition = "EXCLUDE USING gist (c WITH &&)";
  CHECK_FALSE(key_index(t, k));
}
