// One duration syntax for every option and key, `--wait 30s` without `=`,
// `migrate log` (the history table), a mistyped SQLite path, and revision
// messages: blank refused, letters beyond ASCII kept in the file name.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "test_paths.h"
#include "e2e/project_fixture.h"
#include "support/matchers.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using e2e::Project;
using testsupport::ExitedWith;

namespace {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
    out.push_back(text.substr(start, nl - start));
  return out;
}

}  // namespace

TEST_CASE("durations: a unit is required, with a guess; nan and overflows are refused",
          "[cli][durations]") {
  Project p;
  p.add_table_rev("r1", {});
  auto r = p.run({"upgrade", "head", "--lock-wait", "10"});
  CHECK_THAT(r, ExitedWith(2));
  CHECK_THAT(r.err, Contains("`--lock-wait` must be a time value with a unit, not '10': did "
                             "you mean 10s?"));
  r = p.run({"upgrade", "head", "--lock-wait", "nan"});
  CHECK_THAT(r, ExitedWith(2));
  CHECK_THAT(r.err, Contains("`--lock-wait` must be a time value with a unit"));
  r = p.run({"upgrade", "head", "--lock-wait", std::string(400, '9') + "s"});
  CHECK_THAT(r, ExitedWith(2));
  CHECK_THAT(r.err, Contains("must be a time value"));
  CHECK(r.err.size() < 400);  // never the number in full
  CHECK_FALSE(fs::exists(p.db()));
  REQUIRE_THAT(p.run({"upgrade", "head", "--lock-wait", "10s"}), ExitedWith(0));
  REQUIRE_THAT(p.run({"stamp", "base", "--lock-wait", "2min"}), ExitedWith(0));
  CHECK_THAT(p.run({"validate", "--accept", "--lock-wait", "5"}), ExitedWith(2));

  testsupport::write_file(p.path("migrate.yaml"),
                          "script_location: migrations\ndatabase_url: sqlite:///app.db\n"
                          "lock_timeout: 500\n");
  r = p.run({"current"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("migrate.yaml:3: `lock_timeout` must be a time value with a unit, "
                             "not '500': did you mean 500ms?"));
}

TEST_CASE("durations: --wait takes its value with or without =", "[cli][durations]") {
  Project p;
  p.add_table_rev("r1", {});
  // SQLite needs no waiting, but the value is still checked.
  CHECK_THAT(p.run({"--wait", "30s", "upgrade", "heads"}), ExitedWith(0));
  CHECK_THAT(p.run({"current", "--wait", "2min"}), ExitedWith(0));
  CHECK_THAT(p.run({"current", "--wait=2min"}), ExitedWith(0));
  auto r = p.run({"current", "--wait", "30"});
  CHECK_THAT(r, ExitedWith(2));
  CHECK_THAT(r.err, Contains("`--wait` must be a time value with a unit, not '30': did you mean "
                             "30s?"));
  // A word that is not a duration stays what it is: here, the target.
  REQUIRE_THAT(p.run({"downgrade", "--wait", "base"}), ExitedWith(0));
  CHECK(p.version().empty());
}

TEST_CASE("log: the history table, newest first, -n and --json", "[cli][log]") {
  Project p;
  auto empty = p.run({"log"});
  CHECK_THAT(empty, ExitedWith(0));
  CHECK_THAT(empty.out, Contains("No history"));
  p.add_table_rev("r1", {});
  p.add_table_rev("r2", {"r1"});
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  REQUIRE_THAT(p.run({"downgrade", "-1"}), ExitedWith(0));

  auto r = p.run({"log"});
  REQUIRE_THAT(r, ExitedWith(0));
  std::vector<std::string> lines = split_lines(r.out);
  REQUIRE(lines.size() == 4);
  // The header, exactly as docs/reference.md#log shows it.
  CHECK(lines[0] ==
        "STARTED                   DIRECTION  REVISION      STATUS     DURATION  BY                "
        "CHECKSUM");
  CHECK_THAT(lines[1], Contains("downgrade") && Contains("r2") && Contains("ok"));
  CHECK_THAT(lines[2], Contains("upgrade") && Contains("r2"));
  CHECK_THAT(lines[3], Contains("upgrade") && Contains("r1"));

  auto one = p.run({"log", "-n", "1"});
  CHECK(split_lines(one.out).size() == 2);
  CHECK_THAT(p.run({"log", "-n", "0"}), ExitedWith(2));

  auto j = nlohmann::json::parse(p.run({"log", "--json"}).out);
  REQUIRE(j.size() == 3);
  CHECK(j[0]["direction"] == "downgrade");
  CHECK(j[0]["revision"] == "r2");
  CHECK(j[0]["status"] == "ok");
  CHECK(j[2]["revision"] == "r1");
  CHECK(j[2]["checksum"].get<std::string>().size() == 64);
  CHECK(j[2]["applied_by"].get<std::string>().find('@') != std::string::npos);
  CHECK(j[2]["duration_ms"].is_number());
  CHECK(j[0]["id"].get<long long>() > j[1]["id"].get<long long>());
}

TEST_CASE("a mistyped SQLite path: read-only commands say so and create nothing", "[cli][sqlite]") {
  Project p;
  p.add_table_rev("r1", {});
  for (std::vector<std::string> args : {std::vector<std::string>{"current"},
                                        {"status"},
                                        {"history", "-i"},
                                        {"log"},
                                        {"validate"},
                                        {"upgrade", "heads", "--dry-run"}}) {
    args.push_back("--url");
    args.push_back("sqlite:///ap.db");
    auto r = p.run(args);
    INFO(r.command);
    CHECK_THAT(r.err, Contains("no such database file " + p.path("ap.db")) &&
                          Contains("only upgrade or stamp creates it"));
    CHECK_FALSE(fs::exists(p.path("ap.db")));
  }
  // A database that exists gets no note; upgrade creates a missing one.
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  auto r = p.run({"current"});
  CHECK(r.err.empty());
}

TEST_CASE("revision messages: blank refused, letters beyond ASCII kept in the slug",
          "[cli][revision]") {
  Project p;
  CHECK_THAT(p.run({"revision", "-m", ""}), ExitedWith(2));
  CHECK_THAT(p.run({"revision", "-m", "   "}), ExitedWith(2));
  auto r =
      p.run({"revision", "-m", "Caf\xC3\xA9 cr\xC3\xA8me \xE2\x80\x94 prix", "--rev-id", "c1"});
  REQUIRE_THAT(r, ExitedWith(0));
  CHECK(fs::exists(p.versions() + "/c1_caf\xC3\xA9_cr\xC3\xA8me_prix.sql"));
  r = p.run({"revision", "-m", "bad \xFF byte", "--rev-id", "c2"});
  CHECK_THAT(r, ExitedWith(1));
  CHECK_THAT(r.err, Contains("not UTF-8"));
  CHECK_THAT(p.run({"history"}), ExitedWith(0));
}

TEST_CASE("docs/reference.md's log example has the real columns", "[cli][log][docs]") {
  // The example's times, durations and user differ from any real run; its
  // header must be the real one, and each row's columns must start where
  // the real output's do.
  const std::string doc =
      testsupport::read_file(std::string(MIGRATE_REPO_DIR) + "/docs/reference.md");
  // (A console block, which tests/docs/run_docs.py runs too, with column
  // widths normalised: the columns' alignment is checked here.)
  std::size_t at = doc.find("\n$ migrate log -n 2\n");
  REQUIRE(at != std::string::npos);
  std::vector<std::string> shown;
  for (const std::string& line : split_lines(doc.substr(at + 1))) {
    if (line.rfind("```", 0) == 0) break;
    shown.push_back(line);
  }
  REQUIRE(shown.size() == 4);

  Project p;
  p.add_table_rev("b4c3e0849ca3", {});
  REQUIRE_THAT(p.run({"upgrade", "heads"}), ExitedWith(0));
  REQUIRE_THAT(p.run({"downgrade", "base"}), ExitedWith(0));
  auto r = p.run({"log", "-n", "2"});
  REQUIRE_THAT(r, ExitedWith(0));
  std::vector<std::string> real = split_lines(r.out);
  REQUIRE(real.size() == 3);
  CHECK(shown[1] == real[0]);
  // Where each column starts: after a run of two or more spaces.
  auto starts = [](const std::string& line) {
    std::vector<std::size_t> out{0};
    for (std::size_t i = 2; i < line.size(); ++i)
      if (line[i] != ' ' && line[i - 1] == ' ' && line[i - 2] == ' ') out.push_back(i);
    return out;
  };
  // The right-aligned duration starts where its value does; compare the
  // other columns' starts.
  for (std::size_t k = 1; k < 3; ++k) {
    INFO(shown[k + 1] << "\nvs\n" << real[k]);
    auto a = starts(shown[k + 1]), b = starts(real[k]);
    REQUIRE(a.size() == b.size());
    for (std::size_t c = 0; c < a.size(); ++c)
      if (c != 4) CHECK(a[c] == b[c]);
  }
}

TEST_CASE("diff from a SQLite file that does not exist says so and creates nothing",
          "[cli][sqlite]") {
  Project p;
  auto r = p.run({"diff", "--from", "sqlite:///typo.db", "--to", "sqlite:///typo2.db"});
  CHECK_THAT(r, ExitedWith(0));
  CHECK_THAT(r.err, Contains("no such database file " + p.path("typo.db")) &&
                        Contains("no such database file " + p.path("typo2.db")));
  CHECK_FALSE(fs::exists(p.path("typo.db")));
  CHECK_FALSE(fs::exists(p.path("typo2.db")));
}
