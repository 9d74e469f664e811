// diff, check and revision --autogenerate through the real binary on
// PostgreSQL: the sample project in a throwaway database, dev databases
// created and dropped on the same server. Fails (never skips) without
// MIGRATE_TEST_PG_URL.
#include <catch2/catch.hpp>
#include <filesystem>

#include "test_paths.h"
#include "e2e/pg_fixture.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;

namespace {

std::string password_of(const std::string& url) {
  auto at = url.find('@');
  auto colon = url.rfind(':', at);
  return url.substr(colon + 1, at - colon - 1);
}

}  // namespace

TEST_CASE("PostgreSQL: check, autogenerate with a rename hint, upgrade and downgrade",
          "[schema][cli][pg]") {
  e2e::TempPgDatabase db;
  testsupport::TempDir dir;
  std::filesystem::copy(std::string(MIGRATE_REPO_DIR) + "/sample_project", dir.path(),
                        std::filesystem::copy_options::recursive);
  std::map<std::string, std::string> env{{"DATABASE_URL", db.url()}};
  auto run = [&](const std::vector<std::string>& args) {
    auto r = testsupport::run_migrate(dir.path(), args, env);
    // The password never shows, whatever the command printed.
    CHECK_THAT(r.out + r.err, !Contains(password_of(testsupport::pg_url())));
    return r;
  };

  auto fresh = run({"check"});
  CHECK_THAT(fresh, ExitedWith(3));
  CHECK_THAT(fresh.err, Contains("not at its heads"));
  REQUIRE_THAT(run({"upgrade", "heads"}), ExitedWith(0));
  auto clean = run({"check"});
  INFO(clean.err);
  REQUIRE_THAT(clean, ExitedWith(0));

  db.exec("INSERT INTO users (id, email, display_name) VALUES (1, 'a@example.com', 'Ada')");
  std::string schema = testsupport::read_file(dir / "schema.sql");
  auto replace = [&](const std::string& from, const std::string& to) {
    auto pos = schema.find(from);
    REQUIRE(pos != std::string::npos);
    schema.replace(pos, from.size(), to);
  };
  replace("    display_name  varchar(100) NOT NULL,",
          "    full_name     varchar(100) NOT NULL,  -- migrate:renamed-from display_name");
  replace("    due_date    date\n", "    due_date    date,\n    priority    integer\n");
  testsupport::write_file(dir / "schema.sql", schema);

  auto due = run({"check"});
  CHECK_THAT(due, ExitedWith(3));
  CHECK_THAT(due.err, Contains("an autogenerate is due"));
  CHECK_THAT(run({"diff", "--exit-code"}), ExitedWith(3));

  // --one-step: the plain diff, the rename included (without it the rename is
  // offered as an expand/contract plan: pg_autogen_lint_test.cpp).
  auto gen =
      run({"revision", "--autogenerate", "--one-step", "-m", "rename", "--rev-id", "cccc00000001"});
  INFO(gen.out << gen.err);
  REQUIRE_THAT(gen, ExitedWith(0));
  std::string text = testsupport::read_file(dir / "migrations/versions/cccc00000001_rename.sql");
  std::string up = text.substr(0, text.find("-- migrate:downgrade"));
  std::string down = text.substr(text.find("-- migrate:downgrade"));
  CHECK_THAT(up, Contains("RENAME COLUMN display_name TO full_name"));
  CHECK_THAT(down, Contains("RENAME COLUMN full_name TO display_name"));
  CHECK_THAT(up, !Contains("DROP COLUMN display_name"));

  REQUIRE_THAT(run({"upgrade", "heads"}), ExitedWith(0));
  CHECK(db.rows("SELECT full_name FROM users") == std::vector<std::string>{"Ada"});
  CHECK_THAT(run({"check"}), ExitedWith(0));
  CHECK_THAT(run({"diff", "--exit-code"}), ExitedWith(0));

  REQUIRE_THAT(run({"downgrade", "-1"}), ExitedWith(0));
  CHECK(db.rows("SELECT display_name FROM users") == std::vector<std::string>{"Ada"});
  CHECK_THAT(run({"diff", "--to", "rev:b4c3e0849ca3", "--exit-code"}), ExitedWith(0));
}
