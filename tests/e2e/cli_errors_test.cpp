// End to end: bad input of every kind gets exit 1 (2 for a bad command line)
// and a precise message, and the database does not change.
#include "e2e/project_fixture.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;
using V = std::vector<std::string>;

TEST_CASE("a bad command line exits 2", "[e2e][errors]") {
  e2e::Project p;
  CHECK_THAT(p.run({"frobnicate"}), ExitedWith(2));
  CHECK_THAT(p.run({"upgrade"}), ExitedWith(2));
  CHECK_THAT(p.run({"upgrade", "heads", "--no-such-flag"}), ExitedWith(2));
  CHECK_THAT(p.run({}), ExitedWith(2));
  auto help = p.run({"--help"});
  CHECK_THAT(help, ExitedWith(0));
  CHECK_THAT(help.out, Contains("upgrade"));
  // An online range is a usage error: ranges are for --sql.
  CHECK_THAT(p.run({"upgrade", "a:b"}), ExitedWith(2));
}

TEST_CASE("bad revision files are named with file and line; nothing runs", "[e2e][errors]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  p.add_table_rev("b2", {"a1"});

  SECTION("unknown header key") {
    p.add({"c3", {"b2"}, "SELECT 1;", "", {}, {}, "colour: blue"});
    auto r = p.run({"upgrade", "heads"});
    CHECK_THAT(r, ExitedWith(1));
    CHECK_THAT(r.err, Contains(p.rev_path("c3") + ":7"));
    CHECK_THAT(r.err, Contains("colour"));
  }
  SECTION("missing parent") {
    p.add_table_rev("c3", {"nope"});
    auto r = p.run({"upgrade", "heads"});
    CHECK_THAT(r, ExitedWith(1));
    CHECK_THAT(r.err, Contains("nope"));
    CHECK_THAT(r.err, Contains("c3"));
  }
  SECTION("cycle") {
    p.add_table_rev("c3", {"d4"});
    p.add_table_rev("d4", {"c3"});
    auto r = p.run({"heads"});
    CHECK_THAT(r, ExitedWith(1));
    CHECK_THAT(r.err, Contains("cycle"));
  }
  SECTION("duplicate id in two files") {
    testsupport::write_file(p.versions() + "/zz_copy.sql",
                            testsupport::read_file(p.rev_path("b2")));
    auto r = p.run({"upgrade", "heads"});
    CHECK_THAT(r, ExitedWith(1));
    CHECK_THAT(r.err, Contains("b2"));
    CHECK_THAT(r.err, Contains("zz_copy.sql"));
  }
  SECTION("missing downgrade marker") {
    testsupport::write_file(
        p.versions() + "/c3_x.sql",
        "-- revision: c3\n-- down_revision: b2\n\n-- migrate:upgrade\nSELECT 1;\n");
    auto r = p.run({"upgrade", "heads"});
    CHECK_THAT(r, ExitedWith(1));
    CHECK_THAT(r.err, Contains("c3_x.sql"));
    CHECK_THAT(r.err, Contains("migrate:downgrade"));
  }
  SECTION("unknown target") {
    auto r = p.run({"upgrade", "zzzzzz"});
    CHECK_THAT(r, ExitedWith(1));
    CHECK_THAT(r.err, Contains("zzzzzz"));
  }
  // In every case the database is exactly where it was.
  CHECK(p.version() == V{"a1"});
  CHECK(p.tables() == V{"t_a1"});
}

TEST_CASE("config problems are reported with file and line", "[e2e][config]") {
  testsupport::TempDir dir;
  auto missing = testsupport::run_migrate(dir.path(), {"current"});
  CHECK_THAT(missing, ExitedWith(1));
  CHECK_THAT(missing.err, Contains("migrate.yaml"));
  CHECK_THAT(missing.err, Contains("migrate init"));

  testsupport::write_file(dir / "migrate.yaml",
                          "script_location: migrations\ndatabase_url: [oops\n");
  auto bad = testsupport::run_migrate(dir.path(), {"current"});
  CHECK_THAT(bad, ExitedWith(1));
  CHECK_THAT(bad.err, Contains("migrate.yaml:"));

  testsupport::write_file(dir / "migrate.yaml", "script_location: migrations\nversion_tabel: x\n");
  auto typo = testsupport::run_migrate(dir.path(), {"current"});
  CHECK_THAT(typo, ExitedWith(1));
  CHECK_THAT(typo.err, Contains("version_tabel"));
  CHECK_THAT(typo.err, Contains(":2"));
}

TEST_CASE("DATABASE_URL, --url, -c and MIGRATE_CONFIG pick config and database", "[e2e][config]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  // The generic template reads ${DATABASE_URL:-sqlite:///app.db}.
  REQUIRE_THAT(p.run({"upgrade", "heads"}, {{"DATABASE_URL", "sqlite:///env.db"}}), ExitedWith(0));
  CHECK(testsupport::sqlite_rows(p.path("env.db"), "SELECT version_num FROM migrate_version") ==
        V{"a1"});
  CHECK_FALSE(std::filesystem::exists(p.db()));

  REQUIRE_THAT(p.run({"upgrade", "heads", "--url", "sqlite:///flag.db"}), ExitedWith(0));
  CHECK(std::filesystem::exists(p.path("flag.db")));

  // -c from another directory: relative paths are relative to the file's folder.
  testsupport::TempDir elsewhere;
  REQUIRE_THAT(testsupport::run_migrate(elsewhere.path(),
                                        {"-c", p.path("migrate.yaml"), "upgrade", "heads"}),
               ExitedWith(0));
  CHECK(p.version() == V{"a1"});
  auto via_env = testsupport::run_migrate(elsewhere.path(), {"current"},
                                          {{"MIGRATE_CONFIG", p.path("migrate.yaml")}});
  CHECK_THAT(via_env, ExitedWith(0));
  CHECK(via_env.out == "a1 (head)\n");
}

TEST_CASE("a password in a URL never appears in output", "[e2e][config]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  auto r = p.run({"current", "--url", "postgresql://app:hunter2secret@127.0.0.1:1/nodb"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.out + r.err, !Contains("hunter2secret"));
  auto s = p.run({"upgrade", "heads", "--url", "postgresql://app:hunter2secret@127.0.0.1:1/nodb"});
  CHECK_THAT(s, ExitedWith(1));
  CHECK_THAT(s.out + s.err, !Contains("hunter2secret"));
}

TEST_CASE("a password never appears on the paths where it once leaked", "[e2e][config]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string secret;
  };
  const std::vector<Case> cases = {
      // libpq decodes a percent-encoded key: %70assword is its password.
      {{"status", "--url", "postgresql://app@127.0.0.1:1/nodb?%70assword=Pct3ncodedKey"},
       1,
       "Pct3ncodedKey"},
      // A raw '%' or '@' in the password: libpq would quote the token.
      {{"current", "--url", "postgresql://app:p%zzRawPercent@127.0.0.1:1/nodb"}, 1, "RawPercent"},
      {{"current", "--url", "postgresql://app:p@RawAtSign9@127.0.0.1:1/nodb"}, 1, "RawAtSign9"},
      // Not scheme://...: printed whole before.
      {{"current", "--url", "postgresql:app:N0Slashes@127.0.0.1/nodb"}, 1, "N0Slashes"},
      // CLI11 quoting an argument it did not expect, and an unknown command.
      {{"current", "postgresql://app:Cli11Quoted@127.0.0.1:1/nodb"}, 2, "Cli11Quoted"},
      {{"postgresql://app:Unkn0wnCmd@127.0.0.1:1/nodb"}, 2, "Unkn0wnCmd"},
  };
  for (const Case& c : cases) {
    auto r = p.run(c.args);
    CHECK_THAT(r, ExitedWith(c.exit_code));
    CHECK_THAT(r.out + r.err, !Contains(c.secret));
  }
}
