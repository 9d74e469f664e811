// Fuzz target: the offline SQL writer (runner/offline.h, `upgrade --sql`).
// The input gives a dialect and a chain of up to three revisions (message,
// upgrade SQL, transactional or not), written by `revision`'s own code
// (ScriptDirectory's rendering and check of a new file, which
// write_revision and write_chain share). Properties:
//  - a revision file `revision` wrote loads again (never a file after
//    which every command fails);
//  - the script `upgrade --sql` prints splits, with the dialect's own
//    splitter, into exactly the steps' statements, in order, plus
//    migrate's bookkeeping (BEGIN/COMMIT, the session settings, the
//    version and history tables): text in a message or a file name can
//    never become a statement (SQL injection through a comment).
#include <fuzzer/FuzzedDataProvider.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "build_paths.h"
#include "db/postgres/pg_dialect.h"
#include "db/sqlite/sqlite_dialect.h"
#include "fuzz_support.h"
#include "runner/offline.h"
#include "script/script_directory.h"
#include "util/error.h"

using migrate::fuzz::fail;
namespace fs = std::filesystem;

namespace {

std::string read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// What migrate itself writes into a script besides the steps' statements.
bool bookkeeping(const std::string& st, const migrate::db::Dialect& d,
                 const migrate::db::TableNames& t) {
  const std::string version = d.qualified(t, t.version_table);
  const std::string history = d.qualified(t, t.history_table);
  for (const auto& s : d.create_tables_sql(t))
    if (st == s) return true;
  if (st == d.begin_sql() || st == "COMMIT") return true;
  // (SQLite's offline foreign-key check and its version-table checks fail
  // through json_extract() with a message that starts with "migrate: ".)
  for (const char* p : {"SET ", "RESET ", "SELECT pg_catalog.set_config(", "CREATE SCHEMA ",
                        "SELECT json_extract('{}', 'migrate: "})
    if (starts_with(st, p)) return true;
  for (const std::string& p : {"INSERT INTO " + version + " ", "UPDATE " + version + " ",
                               "DELETE FROM " + version + " ", "INSERT INTO " + history + " "})
    if (starts_with(st, p)) return true;
  // PostgreSQL's checked version-table changes and guards: DO blocks that
  // name the version table.
  return starts_with(st, "DO ") && st.find(version) != std::string::npos;
}

// The script location, made once: versions/ stays empty between inputs
// (each input's files are removed when it ends), and the template is the
// one `migrate init` copies.
const std::string& location() {
  static const std::string dir = [] {
    const std::string d = migrate::fuzz::scratch_dir() + "/migrations";
    fs::create_directories(d + "/versions");
    migrate::fuzz::write_file(d + "/script.sql.tmpl",
                              read(MIGRATE_SOURCE_TEMPLATES "/generic/script.sql.tmpl"));
    return d;
  }();
  return dir;
}

// Removes the files an input wrote, however the input ends.
struct Written {
  std::vector<std::string> paths;
  ~Written() {
    for (const auto& p : paths) ::unlink(p.c_str());
  }
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ::setenv("MIGRATE_NO_CACHE", "1", 1);
  location();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  static const migrate::db::postgres::PostgresDialect postgres;
  static const migrate::db::sqlite::SqliteDialect sqlite;
  const migrate::db::Dialect* dialect =
      in.ConsumeBool() ? static_cast<const migrate::db::Dialect*>(&postgres) : &sqlite;

  // A chain of revisions, written as `revision` writes them (one rendering
  // and check per file, as write_revision does; write_chain writes them
  // after one load of versions/ rather than one load per file).
  const int n = in.ConsumeIntegralInRange<int>(1, 3);
  std::vector<migrate::script::NewRevision> revs(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    migrate::script::NewRevision& rev = revs[static_cast<std::size_t>(i)];
    rev.rev_id = "r" + std::to_string(i) + "abc";
    rev.message = in.ConsumeRandomLengthString(48);
    rev.upgrade_sql = in.ConsumeRandomLengthString(256);
    // No `-- migrate:` directives: a row guard wraps its statement in more
    // (a DO block, a temp-table count), which this property does not model.
    for (std::size_t at; (at = rev.upgrade_sql.find("migrate:")) != std::string::npos;)
      rev.upgrade_sql[at + 7] = '_';
    if (in.ConsumeBool()) rev.header_lines.push_back("transactional: false");
  }
  Written written;
  try {
    written.paths = migrate::script::ScriptDirectory::load(location()).write_chain(revs);
  } catch (const migrate::Error&) {
    return 0;  // refused: an error, not a broken file
  }

  std::ostringstream script;
  std::vector<migrate::db::Statement> expected;
  migrate::db::TableNames tables;
  try {
    auto scripts = migrate::script::ScriptDirectory::load(location());
    migrate::runner::OfflineWriter writer(*dialect, tables, scripts, script);
    writer.upgrade("heads");
    for (const auto& f : scripts.files()) {
      auto st = dialect->split(f.upgrade_sql, f.upgrade_line, f.path);
      expected.insert(expected.end(), st.begin(), st.end());
    }
  } catch (const migrate::Error& e) {
    const std::string what = e.what();
    if (what.find("versions/") == std::string::npos || what.find(".sql:") == std::string::npos)
      fail("an error about a file `revision` wrote, without its file:line", what);
    // The SQL does not split or is refused: nothing was printed.
    return 0;
  }
  std::vector<migrate::db::Statement> got;
  try {
    got = dialect->split(script.str(), 1, "script.sql");
  } catch (const migrate::Error& e) {
    fail("the script does not split", script.str() + "\n" + e.what());
  }
  std::size_t next = 0;
  for (const auto& st : got) {
    if (next < expected.size() && st.sql == expected[next].sql) {
      ++next;
    } else if (!bookkeeping(st.sql, *dialect, tables)) {
      fail("the script holds a statement that is neither a step's nor migrate's",
           st.sql + "\n---- script:\n" + script.str());
    }
  }
  if (next != expected.size()) fail("a step's statement is missing from the script", script.str());
  return 0;
}
