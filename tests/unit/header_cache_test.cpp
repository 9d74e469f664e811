// The header cache (src/script/header_cache.h) through ScriptDirectory::load:
// a cached header is used only for an unchanged, non-racy file, and every
// kind of damage or change falls back to reading the files.
#include "script/header_cache.h"

#include <sys/stat.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "script/script_directory.h"
#include "support/test_support.h"
#include "util/error.h"

using Catch::Matchers::Contains;
using migrate::script::FileStamp;
using migrate::script::HeaderCache;
using migrate::script::RevisionSummary;
using migrate::script::ScriptDirectory;
using migrate::script::wall_clock_ns;
using testsupport::error_of;
using testsupport::read_file;
using testsupport::ScopedEnv;
using testsupport::TempDir;
using testsupport::write_file;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

std::string revision_text(const std::string& id, const std::string& down,
                          const std::string& message = "msg") {
  return "-- revision: " + id + "\n-- down_revision: " + down + "\n-- message: " + message +
         "\n-- migrate:upgrade\nCREATE TABLE t_" + id + " (x int);\n-- migrate:downgrade\n" +
         "DROP TABLE t_" + id + ";\n";
}

// A script location m/ with a chain a1 <- b2 <- c3.
struct Project {
  TempDir dir;
  ScopedEnv no_disable{"MIGRATE_NO_CACHE", nullptr};
  Project() {
    std::filesystem::create_directories(dir / "m/versions");
    write_file(versions("a1_first.sql"), revision_text("a1", "null"));
    write_file(versions("b2_second.sql"), revision_text("b2", "a1"));
    write_file(versions("c3_third.sql"), revision_text("c3", "b2"));
  }
  std::string location() const { return dir / "m"; }
  std::string versions(const std::string& name) const { return dir / ("m/versions/" + name); }
  std::string cache_file() const { return dir / "m/.migrate-cache/headers"; }
  // Loads as if the files were read `later` after now: with a later moment
  // than the racy window, freshly written files are trusted.
  ScriptDirectory load(std::int64_t later = 10 * kSecond) const {
    return ScriptDirectory::load(location(), wall_clock_ns() + later);
  }
};

std::vector<std::string> heads(const ScriptDirectory& sd) { return sd.graph().heads(); }

}  // namespace

TEST_CASE("a second load takes every header from the cache", "[header_cache]") {
  Project p;
  auto first = p.load();
  CHECK(first.load_stats().files == 3);
  CHECK(first.load_stats().parsed == 3);
  CHECK(first.load_stats().from_cache == 0);
  CHECK(first.load_stats().cache_written);
  REQUIRE(std::filesystem::exists(p.cache_file()));
  // The folder ignores itself for git and tags itself for backup tools.
  CHECK_THAT(read_file(p.dir / "m/.migrate-cache/.gitignore"), Contains("\n*\n"));
  CHECK_THAT(read_file(p.dir / "m/.migrate-cache/CACHEDIR.TAG"),
             Contains("Signature: 8a477f597d28d172789f06886806bc55"));

  auto second = p.load(20 * kSecond);
  CHECK(second.load_stats().from_cache == 3);
  CHECK(second.load_stats().parsed == 0);
  CHECK_FALSE(second.load_stats().cache_written);  // nothing changed: nothing written
  CHECK(heads(second) == std::vector<std::string>{"c3"});
  const auto& s = second.summary("b2");
  CHECK(s.down_revisions == std::vector<std::string>{"a1"});
  CHECK(s.message == "msg");
  CHECK(s.path == p.versions("b2_second.sql"));
  // The SQL is read on first use, and is the file's.
  CHECK(second.file("b2").upgrade_sql == "CREATE TABLE t_b2 (x int);\n");
  CHECK(second.file("b2").checksum() == first.file("b2").checksum());
  REQUIRE(second.files().size() == 3);
  CHECK(second.files()[2].downgrade_sql == "DROP TABLE t_c3;\n");
}

TEST_CASE("an edited file is read again, even at the same size and mtime", "[header_cache]") {
  Project p;
  p.load();
  const auto path = p.versions("c3_third.sql");
  const auto mtime = std::filesystem::last_write_time(path);
  SECTION("a new down_revision") {
    // Same length: c3 now hangs off a1, so b2 becomes a head too.
    write_file(path, revision_text("c3", "a1"));
    auto sd = p.load(20 * kSecond);
    CHECK(sd.load_stats().parsed == 1);
    CHECK(sd.load_stats().from_cache == 2);
    CHECK(sd.summary("c3").down_revisions == std::vector<std::string>{"a1"});
    CHECK(heads(sd) == std::vector<std::string>{"b2", "c3"});
  }
  SECTION("the mtime put back after the edit (the ctime still tells)") {
    write_file(path, revision_text("c3", "b2", "MSG"));
    std::filesystem::last_write_time(path, mtime);
    auto sd = p.load(20 * kSecond);
    CHECK(sd.load_stats().parsed == 1);
    CHECK(sd.summary("c3").message == "MSG");
  }
  SECTION("replaced by another file (editors that save by rename)") {
    write_file(p.versions("c3.tmp"), revision_text("c3", "b2", "new"));
    std::filesystem::rename(p.versions("c3.tmp"), path);
    auto sd = p.load(20 * kSecond);
    CHECK(sd.load_stats().parsed == 1);
    CHECK(sd.summary("c3").message == "new");
  }
}

TEST_CASE("added and removed files are seen", "[header_cache]") {
  Project p;
  p.load();
  write_file(p.versions("d4_fourth.sql"), revision_text("d4", "c3"));
  auto added = p.load(20 * kSecond);
  CHECK(added.load_stats().parsed == 1);
  CHECK(added.load_stats().from_cache == 3);
  CHECK(heads(added) == std::vector<std::string>{"d4"});

  std::filesystem::remove(p.versions("d4_fourth.sql"));
  std::filesystem::remove(p.versions("c3_third.sql"));
  auto removed = p.load(30 * kSecond);
  CHECK(removed.load_stats().files == 2);
  CHECK(removed.load_stats().from_cache == 2);
  CHECK(removed.load_stats().cache_written);  // the cache must forget them
  CHECK(heads(removed) == std::vector<std::string>{"b2"});
  CHECK_FALSE(removed.graph().contains("c3"));

  auto again = p.load(40 * kSecond);
  CHECK(again.load_stats().from_cache == 2);
  CHECK_FALSE(again.load_stats().cache_written);
}

TEST_CASE("the list of files comes from the cache only while versions/ is unchanged",
          "[header_cache]") {
  Project p;
  auto first = p.load();
  CHECK_FALSE(first.load_stats().listed_from_cache);
  REQUIRE(first.load_stats().cache_written);
  auto second = p.load(20 * kSecond);
  CHECK(second.load_stats().listed_from_cache);
  CHECK(second.load_stats().from_cache == 3);
  CHECK_FALSE(second.load_stats().cache_written);
  CHECK(heads(second) == std::vector<std::string>{"c3"});

  const std::string versions = p.dir / "m/versions";
  const auto dir_mtime = std::filesystem::last_write_time(versions);
  SECTION("a file added, the folder's mtime put back (its ctime still tells)") {
    write_file(p.versions("d4_fourth.sql"), revision_text("d4", "c3"));
    std::filesystem::last_write_time(versions, dir_mtime);
    auto sd = p.load(30 * kSecond);
    CHECK_FALSE(sd.load_stats().listed_from_cache);
    CHECK(sd.load_stats().files == 4);
    CHECK(heads(sd) == std::vector<std::string>{"d4"});
    // Rewritten with the new listing, which the next load trusts.
    CHECK(sd.load_stats().cache_written);
    auto next = p.load(40 * kSecond);
    CHECK(next.load_stats().listed_from_cache);
    CHECK(heads(next) == std::vector<std::string>{"d4"});
  }
  SECTION("a file removed, the folder's mtime put back") {
    std::filesystem::remove(p.versions("c3_third.sql"));
    std::filesystem::last_write_time(versions, dir_mtime);
    auto sd = p.load(30 * kSecond);
    CHECK_FALSE(sd.load_stats().listed_from_cache);
    CHECK(sd.load_stats().files == 2);
    CHECK(heads(sd) == std::vector<std::string>{"b2"});
  }
  SECTION("a file renamed") {
    std::filesystem::rename(p.versions("c3_third.sql"), p.versions("c3_renamed.sql"));
    auto sd = p.load(30 * kSecond);
    CHECK_FALSE(sd.load_stats().listed_from_cache);
    CHECK(sd.summary("c3").path == p.versions("c3_renamed.sql"));
  }
  SECTION("a file that no longer stats as one: the folder is listed again") {
    // A symlink whose target goes away leaves versions/ as it was.
    write_file(p.dir / "d4_target.sql", revision_text("d4", "c3"));
    std::filesystem::create_symlink(p.dir / "d4_target.sql", p.versions("d4_link.sql"));
    REQUIRE(heads(p.load(30 * kSecond)) == std::vector<std::string>{"d4"});
    REQUIRE(p.load(40 * kSecond).load_stats().listed_from_cache);
    std::filesystem::remove(p.dir / "d4_target.sql");
    auto sd = p.load(50 * kSecond);
    CHECK_FALSE(sd.load_stats().listed_from_cache);
    CHECK(sd.load_stats().files == 3);
    CHECK(heads(sd) == std::vector<std::string>{"c3"});
    // The same answer as without the cache.
    ScopedEnv off("MIGRATE_NO_CACHE", "1");
    CHECK(heads(p.load(50 * kSecond)) == std::vector<std::string>{"c3"});
  }
}

TEST_CASE("the listing of a folder changed close to the cache's time is not trusted (racy)",
          "[header_cache]") {
  Project p;
  // Every file trusted, the folder changed within the window: as with a
  // file, an entry added in the same tick could leave its times as they were.
  const std::int64_t written = wall_clock_ns();
  auto first = ScriptDirectory::load(p.location(), written + 3 * kSecond);
  REQUIRE(first.load_stats().cache_written);
  write_file(p.versions("d4_fourth.sql"), revision_text("d4", "c3"));
  // The files a1..c3 stay trusted (written before the window), d4 is parsed.
  const std::int64_t now = wall_clock_ns();
  auto racy = ScriptDirectory::load(p.location(), now);
  CHECK_FALSE(racy.load_stats().listed_from_cache);
  CHECK(racy.load_stats().cache_written);
  auto again = ScriptDirectory::load(p.location(), now);
  CHECK_FALSE(again.load_stats().listed_from_cache);  // still racy
  CHECK(heads(again) == std::vector<std::string>{"d4"});
  auto later = ScriptDirectory::load(p.location(), now + 3 * kSecond);
  CHECK_FALSE(later.load_stats().listed_from_cache);  // the cache's time was too close
  auto trusted = ScriptDirectory::load(p.location(), now + 4 * kSecond);
  CHECK(trusted.load_stats().listed_from_cache);
  CHECK(heads(trusted) == std::vector<std::string>{"d4"});
}

TEST_CASE("a damaged or foreign cache file is ignored and rebuilt", "[header_cache]") {
  Project p;
  p.load();
  const std::string good = read_file(p.cache_file());
  REQUIRE(good.size() > 100);
  std::string damaged;
  SECTION("truncated") { damaged = good.substr(0, good.size() / 2); }
  SECTION("one byte changed") {
    damaged = good;
    damaged[damaged.size() / 2] ^= 0x20;
  }
  SECTION("empty") { damaged = ""; }
  SECTION("another format") {
    damaged = good;
    damaged[7] = '\x7f';
  }
  SECTION("text") { damaged = "revision: zz\n"; }
  write_file(p.cache_file(), damaged);
  auto sd = p.load(20 * kSecond);
  CHECK(sd.load_stats().parsed == 3);
  CHECK(sd.load_stats().from_cache == 0);
  CHECK(sd.load_stats().cache_written);
  CHECK(heads(sd) == std::vector<std::string>{"c3"});
  CHECK(p.load(30 * kSecond).load_stats().from_cache == 3);
}

TEST_CASE("entries of files changed close to the cache's time are not trusted (racy)",
          "[header_cache]") {
  Project p;
  // Read now: the files were written within the racy window before.
  auto first = ScriptDirectory::load(p.location());
  CHECK(first.load_stats().parsed == 3);
  CHECK(first.load_stats().cache_written);
  // However often it is loaded, the cache's own time stays too close.
  auto second = ScriptDirectory::load(p.location(), wall_clock_ns());
  CHECK(second.load_stats().parsed == 3);
  CHECK(second.load_stats().from_cache == 0);

  // The rule itself: an entry is trusted only when both file times are more
  // than the window before the moment it was read.
  TempDir dir;
  HeaderCache cache = HeaderCache::open_dir(dir / "c");
  FileStamp stamp;
  stamp.size = 10;
  stamp.inode = 7;
  stamp.mtime_ns = 1000 * kSecond;
  stamp.ctime_ns = 1000 * kSecond;
  RevisionSummary sum;
  sum.id = "a1";
  REQUIRE(cache.save({{"a1.sql", stamp, sum}}, stamp.mtime_ns + kSecond));
  RevisionSummary out;
  CHECK_FALSE(HeaderCache::open_dir(dir / "c").find("a1.sql", stamp, out));
  REQUIRE(cache.save({{"a1.sql", stamp, sum}}, stamp.mtime_ns + 3 * kSecond));
  CHECK(HeaderCache::open_dir(dir / "c").find("a1.sql", stamp, out));
  CHECK(out.id == "a1");
  FileStamp recent_ctime = stamp;
  recent_ctime.ctime_ns = stamp.mtime_ns + 2 * kSecond;  // e.g. touch -d after an edit
  REQUIRE(cache.save({{"a1.sql", recent_ctime, sum}}, stamp.mtime_ns + 3 * kSecond));
  CHECK_FALSE(HeaderCache::open_dir(dir / "c").find("a1.sql", recent_ctime, out));
  // Any other stamp is a miss.
  FileStamp other = stamp;
  other.size = 11;
  REQUIRE(cache.save({{"a1.sql", stamp, sum}}, stamp.mtime_ns + 3 * kSecond));
  CHECK_FALSE(HeaderCache::open_dir(dir / "c").find("a1.sql", other, out));
  CHECK_FALSE(HeaderCache::open_dir(dir / "c").find("b2.sql", stamp, out));
}

TEST_CASE("encode() gives the bytes save() writes; read_bytes() reads them as open_dir()",
          "[header_cache]") {
  TempDir dir;
  FileStamp stamp;
  stamp.size = 10;
  stamp.inode = 7;
  stamp.mtime_ns = 1000 * kSecond;
  stamp.ctime_ns = 1000 * kSecond;
  RevisionSummary a, b;
  a.id = "a1";
  a.message = "first";
  b.id = "b2";
  b.down_revisions = {"a1"};
  b.branch_labels = {"feat"};
  const std::vector<HeaderCache::Entry> entries = {{"b2.sql", stamp, b}, {"a1.sql", stamp, a}};
  const std::int64_t read_ns = stamp.mtime_ns + 3 * kSecond;
  HeaderCache cache = HeaderCache::open_dir(dir / "c");
  REQUIRE(cache.save(entries, read_ns));
  const std::string bytes = HeaderCache::encode(entries, read_ns);
  CHECK(read_file(cache.file()) == bytes);

  HeaderCache read = HeaderCache::read_bytes(bytes);
  REQUIRE(read.loaded());
  REQUIRE(read.size() == 2);
  CHECK(read.name(0) == "a1.sql");
  CHECK(read.name(1) == "b2.sql");
  RevisionSummary out;
  REQUIRE(read.find("b2.sql", stamp, out));
  CHECK(out == b);
  REQUIRE(read.find("a1.sql", stamp, out));
  CHECK(out == a);
  CHECK(read.dir().empty());
  CHECK_FALSE(read.save(entries, read_ns));  // no folder to write to

  // Damaged bytes read as no cache at all, as a damaged file does.
  std::string damaged = bytes;
  damaged[damaged.size() / 2] ^= 1;
  HeaderCache none = HeaderCache::read_bytes(damaged);
  CHECK_FALSE(none.loaded());
  CHECK(none.size() == 0);
  CHECK_FALSE(HeaderCache::read_bytes(bytes.substr(0, 10)).loaded());
}

TEST_CASE("a broken file is not cached; the good ones are", "[header_cache]") {
  Project p;
  write_file(p.versions("b2_second.sql"), "-- revision: b2\n-- down_revision: a1\n");
  CHECK_THAT(error_of([&] { p.load(); }), Contains("b2_second.sql"));
  // It fails again (the cache holds no entry for it), and the others came
  // from the cache.
  CHECK_THAT(error_of([&] { p.load(20 * kSecond); }), Contains("no `-- migrate:upgrade` line"));
  write_file(p.versions("b2_second.sql"), revision_text("b2", "a1"));
  auto fixed = p.load(30 * kSecond);
  CHECK(fixed.load_stats().parsed == 1);
  CHECK(fixed.load_stats().from_cache == 2);
  CHECK(heads(fixed) == std::vector<std::string>{"c3"});
}

TEST_CASE("a file changed after the graph was loaded is refused when its SQL is read",
          "[header_cache]") {
  Project p;
  p.load();
  auto sd = p.load(20 * kSecond);
  REQUIRE(sd.load_stats().from_cache == 3);
  write_file(p.versions("b2_second.sql"), revision_text("b2", "null"));
  CHECK_THAT(error_of([&] { sd.file("b2"); }), Contains("changed while migrate was running"));
  // A change below the header is taken: the SQL is the file's as it is now.
  write_file(p.versions("c3_third.sql"), revision_text("c3", "b2") + "-- more downgrade\n");
  CHECK_THAT(sd.file("c3").downgrade_sql, Contains("-- more downgrade"));
}

TEST_CASE("an unwritable cache location is no error", "[header_cache]") {
  Project p;
  // A file where the folder should be: nothing can be created under it (a
  // read-only location behaves the same, but tests may run as root).
  write_file(p.dir / "m/.migrate-cache", "not a folder");
  auto sd = p.load();
  CHECK_FALSE(sd.load_stats().cache_written);
  CHECK(heads(sd) == std::vector<std::string>{"c3"});
  CHECK(p.load(20 * kSecond).load_stats().parsed == 3);
  CHECK(read_file(p.dir / "m/.migrate-cache") == "not a folder");
}

TEST_CASE("MIGRATE_NO_CACHE turns the cache off", "[header_cache]") {
  Project p;
  ScopedEnv off("MIGRATE_NO_CACHE", "1");
  auto sd = p.load();
  CHECK(sd.load_stats().parsed == 3);
  CHECK_FALSE(sd.load_stats().cache_written);
  CHECK_FALSE(std::filesystem::exists(p.dir / "m/.migrate-cache"));
  CHECK(heads(sd) == std::vector<std::string>{"c3"});
}

TEST_CASE("concurrent loads and rewrites never see a partial cache", "[header_cache]") {
  Project p;
  for (int i = 0; i < 20; ++i) {
    write_file(p.versions("x" + std::to_string(i) + ".sql"),
               revision_text("x" + std::to_string(i), "c3"));
  }
  std::atomic<int> failures{0};
  std::atomic<int> hits{0};
  auto worker = [&](int t) {
    for (int k = 0; k < 25; ++k) {
      try {
        // Alternate trusted and racy times: some loads read, some rewrite.
        auto sd = p.load((t + k) % 2 ? 10 * kSecond : 0);
        if (sd.graph().heads().size() != 20 || sd.summary("b2").down_revisions.at(0) != "a1")
          ++failures;
        hits += static_cast<int>(sd.load_stats().from_cache);
      } catch (...) {
        ++failures;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back(worker, t);
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
  CHECK(hits > 0);
  // No temporary file is left behind.
  for (const auto& e : std::filesystem::directory_iterator(p.dir / "m/.migrate-cache"))
    CHECK_THAT(e.path().filename().string(), !Contains(".tmp"));
}
