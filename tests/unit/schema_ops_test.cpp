// Typed schema operations built by hand, without a `from` schema, as the
// expand/contract planner and the linter build them, rendered by each
// dialect's renderer: the statements, the summary and the data loss.
#include <catch2/catch.hpp>

#include "backend/backend.h"
#include "schema/ops.h"
#include "schema/postgres/pg_render.h"
#include "schema/render.h"
#include "schema/sqlite/sqlite_render.h"
#include "support/test_support.h"

using namespace migrate::schema;

namespace {

Column column(const std::string& name, const std::string& type, bool not_null = false) {
  Column c;
  c.name = name;
  c.type = type;
  c.not_null = not_null;
  return c;
}

std::vector<std::string> sql_of(const Diff& d) {
  std::vector<std::string> out;
  for (const auto& s : d.statements) out.push_back(s.sql);
  return out;
}

const QualifiedName kAccounts{"public", "accounts"};

}  // namespace

TEST_CASE("PostgreSQL: an expand/contract of a NOT NULL email, by hand", "[schema][ops][pg]") {
  Column email = column("email", "text");
  Column email_nn = email;
  email_nn.not_null = true;
  Index unique_email;
  unique_email.name = "accounts_email_key";
  unique_email.table = kAccounts;
  unique_email.unique = true;
  unique_email.columns = {"email"};
  Constraint check;
  check.name = "accounts_email_not_null";
  check.kind = ConstraintKind::Check;
  check.definition = "CHECK ((email IS NOT NULL))";

  std::vector<ops::Operation> plan = {
      {ops::AddColumn{kAccounts, email, "", false}},
      {ops::CreateIndex{unique_email, true, false}},
      {ops::AddConstraint{kAccounts, check, true}},
      {ops::ValidateConstraint{kAccounts, check.name}},
      {ops::AlterColumn{kAccounts, email, email_nn, "", false, false}},
      {ops::DropConstraint{kAccounts, check, std::nullopt, {}}},
      {ops::DropColumn{kAccounts, column("mail", "character varying(200)"), false}},
  };
  Diff d = render_operations(postgres::renderer(), plan);
  CHECK(sql_of(d) ==
        std::vector<std::string>{
            "ALTER TABLE public.accounts ADD COLUMN email text",
            std::string("CREATE UNIQUE INDEX CONCURRENTLY accounts_email_key ON public.accounts ") +
                "USING btree (email)",
            std::string("ALTER TABLE public.accounts ADD CONSTRAINT accounts_email_not_null ") +
                "CHECK ((email IS NOT NULL)) NOT VALID",
            "ALTER TABLE public.accounts VALIDATE CONSTRAINT accounts_email_not_null",
            "ALTER TABLE public.accounts ALTER COLUMN email SET NOT NULL",
            "ALTER TABLE public.accounts DROP CONSTRAINT accounts_email_not_null",
            "ALTER TABLE public.accounts DROP COLUMN mail",
        });
  CHECK(d.changes == std::vector<std::string>{
                         "add column public.accounts.email",
                         "add index accounts_email_key to public.accounts",
                         "add check constraint accounts_email_not_null to public.accounts",
                         "validate constraint accounts_email_not_null of public.accounts",
                         "make column public.accounts.email NOT NULL",
                         "drop check constraint accounts_email_not_null of public.accounts",
                         "drop column public.accounts.mail",
                     });
  CHECK(d.operations.size() == plan.size());
  CHECK(render_script(d).find("-- destructive: drops column public.accounts.mail and its data\n"
                              "ALTER TABLE public.accounts DROP COLUMN mail;\n") !=
        std::string::npos);
}

TEST_CASE("PostgreSQL: data loss is read from the operation", "[schema][ops][pg]") {
  const Column small = column("n", "integer"), big = column("n", "bigint");
  auto loss = [](ops::Op op) { return postgres::data_loss(ops::Operation{std::move(op)}); };
  CHECK(loss(ops::AlterColumn{kAccounts, small, big, "", false, false}) == ops::Loss::kNone);
  CHECK(loss(ops::AlterColumn{kAccounts, big, small, "", false, false}) == ops::Loss::kNarrowing);
  CHECK(loss(ops::DropColumn{kAccounts, small, false}) == ops::Loss::kColumnData);
  CHECK(loss(ops::DropTable{Table{}}) == ops::Loss::kTableRows);
  CHECK(loss(ops::RenameColumn{kAccounts, "a", "b"}) == ops::Loss::kNone);

  // A type change with USING, and a default dropped around it.
  Column text = column("n", "text");
  text.default_expr = "'0'::text";
  Column number = column("n", "numeric(12,2)");
  number.default_expr = "0";
  std::vector<DiffStatement> out;
  postgres::renderer().statements(
      {ops::AlterColumn{kAccounts, text, number, "nullif(n, '')::numeric(12,2)", false, false}},
      out);
  std::vector<std::string> sql;
  sql.reserve(out.size());
  for (const auto& s : out) sql.push_back(s.sql);
  CHECK(sql == std::vector<std::string>{
                   "ALTER TABLE public.accounts ALTER COLUMN n DROP DEFAULT",
                   "ALTER TABLE public.accounts ALTER COLUMN n TYPE numeric(12,2) USING nullif(n, "
                   "'')::numeric(12,2)",
                   "ALTER TABLE public.accounts ALTER COLUMN n SET DEFAULT 0",
               });
  REQUIRE(out.size() == 3);
  CHECK(out[1].destructive);
  CHECK(out[1].note ==
        "public.accounts.n changes type from text to numeric(12,2): values that do not fit fail "
        "or are cut");
}

TEST_CASE("the same operations rendered for PostgreSQL and for SQLite", "[schema][ops]") {
  Index by_email;
  by_email.name = "accounts_email";
  by_email.table = kAccounts;
  by_email.columns = {"email"};
  const std::vector<ops::Operation> plan = {
      {ops::AddColumn{kAccounts, column("email", "text"), "", false}},
      {ops::CreateIndex{by_email, false, false}},
      {ops::RenameColumn{kAccounts, "email", "mail"}},
      {ops::DropColumn{kAccounts, column("mail", "text"), false}},
  };
  Diff pg = render_operations(postgres::renderer(), plan);
  CHECK(sql_of(pg) == std::vector<std::string>{
                          "ALTER TABLE public.accounts ADD COLUMN email text",
                          "CREATE INDEX accounts_email ON public.accounts USING btree (email)",
                          "ALTER TABLE public.accounts RENAME COLUMN email TO mail",
                          "ALTER TABLE public.accounts DROP COLUMN mail",
                      });
  // The registry hands out each kind's renderer.
  using migrate::config::DatabaseUrl;
  CHECK(&migrate::backend::backend_for(DatabaseUrl::kPostgres).renderer() == &postgres::renderer());
  REQUIRE(&migrate::backend::backend_for(DatabaseUrl::kSqlite).renderer() == &sqlite::renderer());
  Diff lite =
      render_operations(migrate::backend::backend_for(DatabaseUrl::kSqlite).renderer(), plan);
  CHECK(sql_of(lite) == std::vector<std::string>{
                            "ALTER TABLE accounts ADD COLUMN email text",
                            "CREATE INDEX accounts_email ON accounts (email)",
                            "ALTER TABLE accounts RENAME COLUMN email TO mail",
                            "ALTER TABLE accounts DROP COLUMN mail",
                        });
  CHECK(lite.changes == std::vector<std::string>{
                            "add column accounts.email", "add index accounts_email",
                            "rename column accounts.email to mail", "drop column accounts.mail"});
  REQUIRE(lite.statements.size() == 4);
  CHECK(lite.statements[3].destructive);
  CHECK(lite.statements[3].note == "drops column accounts.mail and its data");
  CHECK(sqlite::renderer().data_loss(plan[3]) == ops::Loss::kColumnData);
  // An operation SQLite has no statement for is an error, not a wrong script.
  std::vector<DiffStatement> out;
  CHECK_THROWS(sqlite::renderer().statements(
      {ops::AlterColumn{kAccounts, column("n", "integer"), column("n", "text"), "", false, false}},
      out));
}

TEST_CASE("SQLite: a table rebuild by hand, with its typed reasons", "[schema][ops][sqlite]") {
  Table from;
  from.name = {"main", "t"};
  from.columns = {column("id", "integer"), column("n", "integer"), column("gone", "text")};
  from.sql = "CREATE TABLE t (id integer PRIMARY KEY, n integer, gone text)";
  Table to = from;
  to.columns = {column("id", "integer"), column("n", "text", true)};
  to.sql = "CREATE TABLE t (id integer PRIMARY KEY, n text NOT NULL)";
  ops::RebuildReason changed;
  changed.kind = ops::RebuildReason::Kind::kColumnChanged;
  changed.column = from.columns[1];
  changed.column_to = to.columns[1];
  ops::RebuildReason strict;
  strict.kind = ops::RebuildReason::Kind::kStrict;
  strict.added = true;
  ops::Operation rebuild{ops::RebuildTable{
      from, to, {{"id", "id"}, {"n", "n"}}, {from.columns[2]}, {}, {changed, strict}}};
  Diff d = render_operations(sqlite::renderer(), {rebuild});
  CHECK(render_script(d) ==
        "-- rebuild of table t (SQLite cannot ALTER this in place: column n: type integer -> "
        "text; NOT NULL added; STRICT added)\n"
        "CREATE TABLE migrate_tmp_t (id integer PRIMARY KEY, n text NOT NULL);\n"
        "-- destructive: column(s) gone of t are not copied: their data is lost\n"
        "INSERT INTO migrate_tmp_t (id, n) SELECT id, n FROM t;\n"
        "DROP TABLE t;\n"
        "ALTER TABLE migrate_tmp_t RENAME TO t;\n");
  CHECK(d.changes == std::vector<std::string>{"drop column t.gone",
                                              "change table t: column n: type integer -> text; "
                                              "NOT NULL added",
                                              "change table t: STRICT added"});
  CHECK(sqlite::renderer().data_loss(rebuild) == ops::Loss::kUncopiedColumns);
}
