// End to end: messages that say what actually works. Each case is a
// mistake a new user makes (a typo in a command, a template or a count; a
// config without a URL; a Flyway project without undo files; a column with
// no declared type) and checks the words that tell them what to do.
#include <catch2/catch.hpp>
#include <filesystem>

#include "e2e/project_fixture.h"
#include "support/matchers.h"

using Catch::Matchers::Contains;
using testsupport::ExitedWith;

TEST_CASE("no database URL: the message names the config's ${DATABASE_URL}, not the variable",
          "[e2e][messages]") {
  e2e::Project p;
  testsupport::write_file(p.path("migrate.yaml"), "script_location: migrations\n");
  // The variable alone is not read: the message must not suggest it is.
  auto r = p.run({"current"}, {{"DATABASE_URL", "sqlite:///env.db"}});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("no database URL: set database_url in"));
  CHECK_THAT(r.err, Contains("`database_url: ${DATABASE_URL}`"));
  CHECK_THAT(r.err, !Contains("the DATABASE_URL variable"));
  CHECK_FALSE(std::filesystem::exists(p.path("env.db")));
}

TEST_CASE("log -n takes a whole number of at least 1, said in words", "[e2e][messages]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  p.add_table_rev("b2", {"a1"});
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  for (const char* bad : {"0", "abc", "-1", "1.5", "000"}) {
    CAPTURE(bad);
    auto r = p.run({"log", "-n", bad});
    CHECK_THAT(r, ExitedWith(2));
    CHECK_THAT(r.err,
               Contains(std::string("-n must be a whole number of at least 1, not '") + bad + "'"));
    CHECK_THAT(r.err, !Contains("179769"));
    CHECK(r.out.empty());
  }
  // A good count still limits (the header line and one entry), and a huge
  // one shows everything.
  auto one = p.run({"log", "--max-count", "1"});
  REQUIRE_THAT(one, ExitedWith(0));
  CHECK_THAT(one.out, Contains("b2"));
  CHECK_THAT(one.out, !Contains("a1"));
  auto all = p.run({"log", "-n", "99999999999999999999999"});
  REQUIRE_THAT(all, ExitedWith(0));
  CHECK_THAT(all.out, Contains("a1"));
  CHECK_THAT(all.out, Contains("b2"));
}

TEST_CASE("fan-out --jobs takes a whole number of at least 1, said in words", "[e2e][messages]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  for (const char* bad : {"0", "x", "-2"}) {
    CAPTURE(bad);
    auto r = p.run({"upgrade", "heads", "--all-databases", "--jobs", bad});
    CHECK_THAT(r, ExitedWith(2));
    CHECK_THAT(r.err,
               Contains(std::string("must be a whole number of at least 1, not '") + bad + "'"));
    CHECK_THAT(r.err, !Contains("179769"));
  }
}

TEST_CASE("a mistyped command before a command name is an unknown command", "[e2e][messages]") {
  e2e::Project p;
  p.add_table_rev("a1", {});
  // `heads` is itself a command: CLI11 used to run it and complain about
  // `upgrad` as an unexpected argument.
  for (std::vector<std::string> args : {std::vector<std::string>{"upgrad", "heads"},
                                        {"upgrad"},
                                        {"--url", "sqlite:///x.db", "upgrad", "heads"},
                                        {"-c", "migrate.yaml", "upgrad", "heads"},
                                        {"--wait", "upgrad", "heads"}}) {
    CAPTURE(args);
    auto r = p.run(args);
    CHECK_THAT(r, ExitedWith(2));
    CHECK_THAT(r.err, Contains("unknown command 'upgrad'; run 'migrate --help' for the list"));
    CHECK_THAT(r.err, !Contains("not expected"));
  }
  CHECK(p.version().empty());
  // A real command with an extra word keeps the parser's own message.
  auto extra = p.run({"heads", "extra"});
  CHECK_THAT(extra, ExitedWith(2));
  CHECK_THAT(extra.err, !Contains("unknown command"));
  CHECK_THAT(p.run({"--url", "sqlite:///app.db", "upgrade", "heads"}), ExitedWith(0));
}

TEST_CASE("an unknown ${placeholder} in script.sql.tmpl is refused with its line",
          "[e2e][messages]") {
  e2e::Project p;
  const std::string tmpl = p.path("migrations/script.sql.tmpl");
  std::string text = testsupport::read_file(tmpl);
  const std::size_t at = text.find("${message}");
  REQUIRE(at != std::string::npos);
  const long line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
  text.replace(at, 10, "${mesage}");
  testsupport::write_file(tmpl, text);
  auto r = p.run({"revision", "-m", "first"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains(tmpl + ":" + std::to_string(line) +
                             ": unknown placeholder ${mesage} in the template"));
  CHECK(std::filesystem::is_empty(p.versions()));
}

TEST_CASE("import flyway names the versions that had no undo file", "[e2e][messages][import]") {
  e2e::Project p;
  std::filesystem::create_directory(p.path("fly"));
  testsupport::write_file(p.path("fly/V1__init.sql"), "CREATE TABLE t (a int);\n");
  testsupport::write_file(p.path("fly/V1.1__add_b.sql"), "CREATE TABLE b (a int);\n");
  testsupport::write_file(p.path("fly/U1.1__add_b.sql"), "DROP TABLE b;\n");
  testsupport::write_file(p.path("fly/V2__u.sql"), "CREATE TABLE u (a int);\n");
  auto r = p.run({"import", "flyway", "fly"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK_THAT(r.err, Contains("migrate: warning: V1, V2 had no undo file (U<version>__...sql): "
                             "their downgrade sections do nothing, so `migrate downgrade` past "
                             "them leaves their changes in place"));

  e2e::Project q;
  std::filesystem::create_directory(q.path("fly"));
  testsupport::write_file(q.path("fly/V1__init.sql"), "CREATE TABLE t (a int);\n");
  testsupport::write_file(q.path("fly/V2__u.sql"), "CREATE TABLE u (a int);\n");
  auto all = q.run({"import", "flyway", "fly"});
  REQUIRE_THAT(all, ExitedWith(0));
  CHECK_THAT(all.err, Contains("migrate: warning: none of the 2 versions had an undo file"));
}

TEST_CASE("autogenerate shows a column without a declared type as (none)", "[e2e][messages]") {
  e2e::Project p;
  p.add({"a1", {}, "CREATE TABLE t (id INTEGER PRIMARY KEY, x);", "DROP TABLE t;"});
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  testsupport::write_file(p.path("schema.sql"),
                          "CREATE TABLE t (id INTEGER PRIMARY KEY, x text);\n");
  auto gen = p.run({"revision", "--autogenerate", "-m", "type x", "--rev-id", "b2"});
  INFO(gen.out << gen.err);
  REQUIRE_THAT(gen, ExitedWith(0));
  const std::string file = testsupport::read_file(p.versions() + "/b2_type_x.sql");
  for (const std::string& text : {gen.out, file}) {
    CHECK_THAT(text, Contains("type (none) -> text"));
    CHECK_THAT(text, !Contains("type  ->"));
  }
}
