// Typed schema operations built by hand, without a `from` schema, as the
// expand/contract planner and the linter build them, rendered by each
// dialect's renderer: the statements, the summary and the data loss.
#include <catch2/catch.hpp>

#include "schema/ops.h"
#include "schema/postgres/pg_render.h"
#include "schema/render.h"
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
            "CREATE UNIQUE INDEX CONCURRENTLY accounts_email_key ON public.accounts USING btree "
            "(email)",
            "ALTER TABLE public.accounts ADD CONSTRAINT accounts_email_not_null CHECK ((email IS "
            "NOT NULL)) NOT VALID",
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
