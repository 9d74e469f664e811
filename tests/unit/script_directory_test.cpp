// The script directory: loading versions/, writing new revisions from the
// template (and reading them back), ids and slugs.
#include "script/script_directory.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>

#include "support/test_support.h"
#include "util/error.h"

using Catch::Matchers::Contains;
using migrate::script::NewRevision;
using migrate::script::RevisionFile;
using migrate::script::ScriptDirectory;
using testsupport::error_of;
using testsupport::read_file;
using testsupport::TempDir;
using testsupport::write_file;

namespace {

const char* const kTemplate =
    "-- revision: ${revision}\n"
    "-- down_revision: ${down_revision}\n"
    "-- branch_labels: ${branch_labels}\n"
    "-- depends_on: ${depends_on}\n"
    "-- message: ${message}\n"
    "-- created: ${created}\n"
    "\n"
    "-- migrate:upgrade\n"
    "${upgrade}\n"
    "\n"
    "-- migrate:downgrade\n"
    "${downgrade}\n";

std::string revision_text(const std::string& id, const std::string& down,
                          const std::string& extra = "") {
  return "-- revision: " + id + "\n-- down_revision: " + down + "\n" + extra +
         "-- migrate:upgrade\nCREATE TABLE t_" + id +
         " (x int);\n-- migrate:downgrade\n"
         "DROP TABLE t_" +
         id + ";\n";
}

// A script location with the template and the given files in versions/.
void make_project(const TempDir& dir, const std::map<std::string, std::string>& files) {
  write_file(dir / "m/script.sql.tmpl", kTemplate);
  std::filesystem::create_directories(dir / "m/versions");
  for (const auto& [name, text] : files) write_file(dir / ("m/versions/" + name), text);
}

}  // namespace

TEST_CASE("load reads versions/*.sql in name order and builds the graph", "[script_directory]") {
  TempDir dir;
  make_project(dir, {{"b2_second.sql", revision_text("b2", "a1")},
                     {"a1_first.sql", revision_text("a1", "null")},
                     {"c3_third.sql", revision_text("c3", "b2")},
                     {"notes.txt", "not a revision"},
                     {".#c3_third.sql", "an editor's lock file"},
                     {"README.md", "ignored"}});
  std::filesystem::create_directories(dir / "m/versions/sub.sql");  // a folder: ignored
  ScriptDirectory sd = ScriptDirectory::load(dir / "m");
  CHECK(sd.location() == dir / "m");
  CHECK(sd.versions_dir() == dir / "m/versions");
  REQUIRE(sd.files().size() == 3);
  CHECK(sd.files()[0].id == "a1");
  CHECK(sd.files()[1].id == "b2");
  CHECK(sd.files()[2].id == "c3");
  CHECK(sd.files()[1].path == dir / "m/versions/b2_second.sql");
  CHECK(sd.file("c3").upgrade_sql == "CREATE TABLE t_c3 (x int);\n");
  CHECK(sd.graph().size() == 3);
  CHECK(sd.graph().contains("b2"));
  CHECK(sd.graph().get("b2").source == dir / "m/versions/b2_second.sql");
  CHECK(sd.graph().get("b2").down_revisions == std::vector<std::string>{"a1"});
  CHECK(sd.graph().heads() == std::vector<std::string>{"c3"});
  CHECK_THAT(error_of([&] { sd.file("zz"); }), Contains("no revision file for revision 'zz'"));
}

TEST_CASE("files read after load come from the versions/ folder that was loaded",
          "[script_directory]") {
  // They are opened relative to the folder kept open since load (no walk of
  // the whole path per file): moving the project meanwhile changes nothing,
  // while the path in messages stays the one loaded.
  TempDir dir;
  make_project(dir, {{"a1_first.sql", revision_text("a1", "null")},
                     {"b2_second.sql", revision_text("b2", "a1")}});
  ScriptDirectory sd = ScriptDirectory::load(dir / "m");
  // A copy shares the open folder and outlives the original.
  ScriptDirectory copy = sd;
  sd = ScriptDirectory();
  std::filesystem::rename(dir / "m", dir / "moved");
  CHECK(copy.file("b2").upgrade_sql == "CREATE TABLE t_b2 (x int);\n");
  CHECK(copy.file("b2").path == dir / "m/versions/b2_second.sql");
  REQUIRE(copy.files().size() == 2);
  CHECK(copy.files()[0].id == "a1");
}

TEST_CASE("an empty versions/ loads as an empty graph", "[script_directory]") {
  TempDir dir;
  make_project(dir, {});
  ScriptDirectory sd = ScriptDirectory::load(dir / "m");
  CHECK(sd.files().empty());
  CHECK(sd.graph().empty());
}

TEST_CASE("load errors name the file", "[script_directory]") {
  TempDir dir;
  SECTION("no versions/ says to run migrate init") {
    std::string e = error_of([&] { ScriptDirectory::load(dir / "missing"); });
    CHECK_THAT(e, Contains(dir / "missing/versions: no such directory"));
    CHECK_THAT(e, Contains("migrate init"));
  }
  SECTION("a bad file: its path and line") {
    make_project(dir, {{"a1.sql", revision_text("a1", "null")},
                       {"b2.sql",
                        "-- revision: b2\n-- down_revision: a1\n-- bogus: 1\n"
                        "-- migrate:upgrade\n-- migrate:downgrade\n"}});
    CHECK_THAT(error_of([&] { ScriptDirectory::load(dir / "m"); }),
               Contains(dir / "m/versions/b2.sql:3: unknown header key `bogus`"));
  }
  SECTION("the same id in two files names both") {
    make_project(dir, {{"a1_one.sql", revision_text("a1", "null")},
                       {"a1_two.sql", revision_text("a1", "null")}});
    std::string e = error_of([&] { ScriptDirectory::load(dir / "m"); });
    CHECK_THAT(e, Contains("revision a1 is defined twice"));
    CHECK_THAT(e, Contains(dir / "m/versions/a1_one.sql"));
    CHECK_THAT(e, Contains(dir / "m/versions/a1_two.sql"));
  }
}

TEST_CASE("many files load on two threads; the first bad file in name order is reported",
          "[script_directory]") {
  TempDir dir;
  std::map<std::string, std::string> files;
  std::string prev = "null";
  char name[32];
  for (int i = 0; i < 600; ++i) {
    std::snprintf(name, sizeof name, "r%04d", i);
    files[std::string(name) + ".sql"] = revision_text(name, prev);
    prev = name;
  }
  make_project(dir, files);
  ScriptDirectory sd = ScriptDirectory::load(dir / "m");
  REQUIRE(sd.files().size() == 600);
  for (int i = 0; i < 600; ++i) {
    std::snprintf(name, sizeof name, "r%04d", i);
    REQUIRE(sd.files()[i].id == name);  // in name order whichever thread read it
  }
  CHECK(sd.graph().heads() == std::vector<std::string>{"r0599"});

  // Break one file on each thread's stride; the earlier one is reported,
  // every time.
  write_file(dir / "m/versions/r0301.sql", "-- revision: r0301\n");
  write_file(dir / "m/versions/r0450.sql", "-- revision: r0450\n");
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::string e = error_of([&] { ScriptDirectory::load(dir / "m"); });
    CHECK_THAT(e, Contains("r0301.sql:1: no `-- migrate:upgrade` line"));
  }
}

TEST_CASE("write_revision fills the template and the file reads back", "[script_directory]") {
  TempDir dir;
  make_project(dir, {{"a1.sql", revision_text("a1", "null")},
                     {"b2.sql", revision_text("b2", "a1", "-- branch_labels: [billing]\n")},
                     {"c3.sql", revision_text("c3", "a1")}});
  ScriptDirectory sd = ScriptDirectory::load(dir / "m");

  NewRevision nr;
  nr.message = "Merge: billing & accounts #1 (it's 'done')";
  nr.rev_id = "d4";
  nr.down_revisions = {"b2", "c3"};
  nr.branch_labels = {"merged"};
  nr.depends_on = {"billing"};
  nr.upgrade_sql = "CREATE TABLE d (x int);\n-- ${message} stays as written\n";
  nr.downgrade_sql = "DROP TABLE d;\n\n";
  std::string path = sd.write_revision(nr);
  CHECK(path == dir / "m/versions/d4_merge_billing_accounts_1_it_s_done.sql");

  RevisionFile f = migrate::script::parse_revision_file(path);
  CHECK(f.id == "d4");
  CHECK(f.down_revisions == std::vector<std::string>{"b2", "c3"});
  CHECK(f.branch_labels == std::vector<std::string>{"merged"});
  CHECK(f.depends_on == std::vector<std::string>{"billing"});
  CHECK(f.message == nr.message);
  CHECK(std::regex_match(f.created, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  CHECK(f.upgrade_sql == "CREATE TABLE d (x int);\n-- ${message} stays as written\n\n");
  CHECK(f.downgrade_sql == "DROP TABLE d;\n");
  CHECK(f.upgrade_line == 9);

  const std::string text = read_file(path);
  CHECK_THAT(text, Contains("-- down_revision: [b2, c3]\n"));
  CHECK_THAT(text, Contains("-- branch_labels: [merged]\n"));
  CHECK_THAT(text, Contains("-- message: 'Merge: billing & accounts #1 (it''s ''done'')'\n"));

  // The new file joins the graph on the next load.
  ScriptDirectory again = ScriptDirectory::load(dir / "m");
  CHECK(again.graph().heads() == std::vector<std::string>{"d4"});
}

TEST_CASE("write_revision: a base, one parent, generated ids, odd messages", "[script_directory]") {
  TempDir dir;
  make_project(dir, {});
  ScriptDirectory sd = ScriptDirectory::load(dir / "m");
  NewRevision base;
  base.message = "create accounts table";
  std::string p1 = sd.write_revision(base);
  RevisionFile f1 = migrate::script::parse_revision_file(p1);
  CHECK(std::regex_match(f1.id, std::regex("[0-9a-f]{12}")));
  CHECK(p1 == sd.versions_dir() + "/" + f1.id + "_create_accounts_table.sql");
  CHECK(f1.down_revisions.empty());
  CHECK_THAT(read_file(p1),
             Contains("-- down_revision: null\n-- branch_labels: []\n-- depends_on: []\n"));
  CHECK(f1.upgrade_sql == "\n\n");  // empty sections: the template's blank lines only

  ScriptDirectory sd2 = ScriptDirectory::load(dir / "m");
  NewRevision child;
  child.message = "null";   // a YAML null word must stay a message
  child.rev_id = "1975e8";  // and a float-looking id an id
  child.down_revisions = {f1.id};
  std::string p2 = sd2.write_revision(child);
  RevisionFile f2 = migrate::script::parse_revision_file(p2);
  CHECK(f2.id == "1975e8");
  CHECK(f2.message == "null");
  CHECK(f2.down_revisions == std::vector<std::string>{f1.id});
  CHECK_THAT(read_file(p2), Contains("-- down_revision: " + f1.id + "\n"));

  NewRevision multi;
  multi.message = "first line\nsecond line";
  multi.rev_id = "x9";
  multi.down_revisions = {"1975e8"};
  std::string p3 = ScriptDirectory::load(dir / "m").write_revision(multi);
  CHECK(migrate::script::parse_revision_file(p3).message == "first line second line");

  NewRevision no_message;
  no_message.rev_id = "y9";
  std::string p4 = ScriptDirectory::load(dir / "m").write_revision(no_message);
  CHECK(p4 == sd.versions_dir() + "/y9.sql");
  CHECK(migrate::script::parse_revision_file(p4).message.empty());
}

TEST_CASE("write_revision refuses bad ids, labels and parents", "[script_directory]") {
  TempDir dir;
  make_project(dir, {{"a1.sql", revision_text("a1", "null", "-- branch_labels: [billing]\n")}});
  ScriptDirectory sd = ScriptDirectory::load(dir / "m");
  auto refuse = [&](NewRevision nr) { return error_of([&] { sd.write_revision(nr); }); };
  NewRevision nr;
  nr.message = "m";

  nr.rev_id = "a1";
  CHECK_THAT(refuse(nr), Contains("revision id 'a1' already exists"));
  nr.rev_id = "bad-id";
  CHECK_THAT(refuse(nr), Contains("invalid revision id 'bad-id'"));
  nr.rev_id = std::string(65, 'a');
  CHECK_THAT(refuse(nr), Contains("invalid revision id"));
  nr.rev_id = "billing";
  CHECK_THAT(refuse(nr), Contains("revision id 'billing' is already a branch label"));
  nr.rev_id = "b2";
  nr.branch_labels = {"billing"};
  CHECK_THAT(refuse(nr), Contains("branch label 'billing' is already used by revision a1"));
  nr.branch_labels = {"a1"};
  CHECK_THAT(refuse(nr), Contains("branch label 'a1' is also a revision id"));
  nr.branch_labels = {"b2"};
  CHECK_THAT(refuse(nr), Contains("branch label 'b2' is also a revision id"));
  nr.branch_labels = {"my-label"};
  CHECK_THAT(refuse(nr), Contains("invalid branch label 'my-label'"));
  nr.branch_labels = {};
  nr.down_revisions = {"zz"};
  CHECK_THAT(refuse(nr), Contains("down revision 'zz' does not exist"));
  nr.down_revisions = {"a1", "a1"};
  CHECK_THAT(refuse(nr), Contains("down revision 'a1' is given twice"));
  // Nothing was written by any refusal.
  CHECK(std::distance(std::filesystem::directory_iterator(dir / "m/versions"),
                      std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("write_revision checks the template", "[script_directory]") {
  TempDir dir;
  make_project(dir, {});
  ScriptDirectory sd = ScriptDirectory::load(dir / "m");
  NewRevision nr;
  nr.message = "m";
  nr.rev_id = "a1";

  write_file(dir / "m/script.sql.tmpl", "-- revision: ${revision}\n-- down_revision: null\n");
  std::string e = error_of([&] { sd.write_revision(nr); });
  CHECK_THAT(e, Contains(dir / "m/script.sql.tmpl: the template gives an invalid revision file"));
  CHECK_THAT(e, Contains("no `-- migrate:upgrade` line"));

  write_file(
      dir / "m/script.sql.tmpl",
      "-- revision: fixed\n-- down_revision: null\n-- migrate:upgrade\n-- migrate:downgrade\n");
  CHECK_THAT(error_of([&] { sd.write_revision(nr); }),
             Contains("does not keep `revision: ${revision}`"));

  // An unknown placeholder is refused, naming the template's line: copied
  // as written, a mistyped one would end up in the revision unnoticed.
  write_file(dir / "m/script.sql.tmpl",
             "-- revision: ${revision}\n-- down_revision: ${down_revision}\n"
             "-- migrate:upgrade\n-- ${author}\n-- migrate:downgrade\n");
  CHECK_THAT(error_of([&] { sd.write_revision(nr); }),
             Contains(dir / "m/script.sql.tmpl:4: unknown placeholder ${author} in the template"));
  CHECK(std::filesystem::is_empty(dir / "m/versions"));
  // Text a placeholder brings in is not looked at again.
  write_file(dir / "m/script.sql.tmpl",
             "-- revision: ${revision}\n-- down_revision: ${down_revision}\n"
             "-- migrate:upgrade\n${upgrade}\n-- migrate:downgrade\n");
  nr.upgrade_sql = "-- ${author}";
  std::string path = sd.write_revision(nr);
  CHECK(read_file(path) ==
        "-- revision: a1\n-- down_revision: null\n-- migrate:upgrade\n-- ${author}\n"
        "-- migrate:downgrade\n");

  std::filesystem::remove(dir / "m/script.sql.tmpl");
  nr.rev_id = "b2";
  CHECK_THAT(error_of([&] { sd.write_revision(nr); }),
             Contains(dir / "m/script.sql.tmpl: cannot read"));
}

TEST_CASE("slugify", "[script_directory]") {
  using migrate::script::slugify;
  CHECK(slugify("Create accounts table!") == "create_accounts_table");
  CHECK(slugify("  --Add   index: users(email)  ") == "add_index_users_email");
  // Letters beyond ASCII are kept (as Alembic's \W does); punctuation such
  // as an em dash or curly quotes separates words; bytes that are not UTF-8
  // never reach a file name.
  CHECK(slugify("caf\xC3\xA9 au lait") == "caf\xC3\xA9_au_lait");
  CHECK(slugify("Stra\xC3\x9F"
                "e \xE2\x80\x94 \xE2\x80\x9Cnew\xE2\x80\x9D") ==
        "stra\xC3\x9F"
        "e_new");
  CHECK(slugify("\xE6\x97\xA5\xE6\x9C\xAC") == "\xE6\x97\xA5\xE6\x9C\xAC");
  CHECK(slugify("a\xFF"
                "b") == "a_b");
  // Never cut inside a character: 39 ASCII bytes and a 2-byte letter.
  CHECK(slugify(std::string(39, 'x') + "\xC3\xA9") == std::string(39, 'x'));
  CHECK(slugify("") == "");
  CHECK(slugify("!!! ???") == "");
  std::string long_slug = slugify("a very long message that goes on and on and on beyond forty");
  CHECK(long_slug.size() <= 40);
  CHECK(long_slug == "a_very_long_message_that_goes_on_and_on");
  CHECK(slugify(std::string(50, 'x')) == std::string(40, 'x'));
}

TEST_CASE("generate_revision_id: 12 lowercase hex digits, different each time",
          "[script_directory]") {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string id = migrate::script::generate_revision_id();
    CHECK(std::regex_match(id, std::regex("[0-9a-f]{12}")));
    seen.insert(id);
  }
  CHECK(seen.size() == 100);
}

TEST_CASE("each file's path is the folder and its name, whether from the cache or parsed",
          "[script_directory]") {
  // The name a file is read by later is the tail of that path: a file
  // whose header came from the cache is read back by the right name.
  TempDir dir;
  make_project(dir, {{"a1_first.sql", revision_text("a1", "null")},
                     {"b2_second_with_a_long_name_for_the_heap.sql", revision_text("b2", "a1")},
                     {"c.sql", revision_text("c3", "b2")}});
  const std::string versions = dir / "m/versions";
  // A moment well after the files were written: the cache trusts them.
  const std::int64_t later = migrate::script::wall_clock_ns() + 10'000'000'000;
  ScriptDirectory first = ScriptDirectory::load(dir / "m", later);
  CHECK(first.load_stats().parsed == 3);
  ScriptDirectory sd = ScriptDirectory::load(dir / "m", later);
  REQUIRE(sd.load_stats().from_cache == 3);
  for (const ScriptDirectory* s : {&first, &sd}) {
    REQUIRE(s->summaries().size() == 3);
    CHECK(s->summaries()[0].path == versions + "/a1_first.sql");
    CHECK(s->summaries()[1].path == versions + "/b2_second_with_a_long_name_for_the_heap.sql");
    CHECK(s->summaries()[2].path == versions + "/c.sql");
  }
  CHECK(sd.file("b2").upgrade_sql == "CREATE TABLE t_b2 (x int);\n");
  CHECK(sd.file("c3").path == versions + "/c.sql");
  REQUIRE(sd.files().size() == 3);
  CHECK(sd.files()[0].id == "a1");
}
