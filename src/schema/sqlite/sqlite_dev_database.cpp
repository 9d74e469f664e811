// The SQLite dev database: by default a private temporary file, deleted on
// destruction. Not ":memory:": a diff opens several connections (one to
// apply the schema file or run the migrations, one to inspect), and each
// connection to ":memory:" would see its own empty database.
#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>

#include "config/url.h"
#include "db/sqlite/sqlite_connection.h"
#include "db/sqlite/sqlite_executor.h"
#include "db/sqlite/sqlite_lock.h"
#include "schema/sqlite/sqlite_schema.h"
#include "util/error.h"
#include "util/fd.h"

namespace migrate::schema::sqlite {

namespace {

using db::sqlite::Connection;

// Names of the user objects in a database (SQLite's own excluded).
std::vector<std::pair<std::string, std::string>> objects(Connection& conn) {
  std::vector<std::pair<std::string, std::string>> out;
  auto stmt = conn.prepare(
      "SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
      "AND type IN ('table', 'view') ORDER BY type DESC");
  while (sqlite3_step(stmt.get()) == SQLITE_ROW)
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0)),
                     reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 1)));
  return out;
}

class SqliteDevDatabase : public DevDatabase {
 public:
  // `temporary`: `path` is ours, deleted on destruction; else it is the
  // user's dev database, emptied on destruction.
  SqliteDevDatabase(std::string path, std::string describe, bool temporary)
      : path_(std::move(path)), describe_(std::move(describe)), temporary_(temporary) {
    if (!temporary_) {
      Connection conn(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, describe_);
      auto found = objects(conn);
      if (!found.empty()) {
        std::string names;
        for (std::size_t i = 0; i < found.size() && i < 5; ++i)
          names += (i ? ", " : "") + found[i].first + " " + found[i].second;
        if (found.size() > 5) names += " and " + std::to_string(found.size() - 5) + " more";
        throw Error("dev database " + describe_ + " is not empty: it holds " + names +
                    ". A diff applies schemas to it, so it must hold no tables or views (use a "
                    "scratch file, or leave dev_url unset for a private temporary database)");
      }
    }
  }

  ~SqliteDevDatabase() override {
    if (temporary_) {
      // The database, its journals, and the run-lock file the runner puts
      // beside it for a rev: source.
      for (const std::string& p : {path_, path_ + "-journal", path_ + "-wal", path_ + "-shm",
                                   db::sqlite::lock_path_for(path_)})
        ::unlink(p.c_str());
      return;
    }
    try {
      Connection conn(path_, SQLITE_OPEN_READWRITE, describe_);
      for (const auto& [type, name] : objects(conn))
        conn.exec("DROP " + std::string(type == "view" ? "VIEW" : "TABLE") + " IF EXISTS \"" +
                  name + "\"");
    } catch (const std::exception&) {
      // Best effort: a destructor must not throw; the next use reports a
      // database that is not empty.
    }
  }

  std::string url() const override { return "sqlite:///" + path_; }

  void apply_sql(const std::string& sql, const std::string& file) override {
    Connection conn(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, describe_);
    db::sqlite::run_section(conn, {sql, 1, file, "applying the schema", false});
  }

 private:
  std::string path_;
  std::string describe_;
  bool temporary_;
};

std::string temp_dir() {
  const char* t = std::getenv("TMPDIR");
  return t && *t ? t : "/tmp";
}

}  // namespace

std::unique_ptr<DevDatabase> make_sqlite_dev_database(const std::string& dev_url,
                                                      const std::string& base_dir) {
  if (!dev_url.empty()) {
    config::DatabaseUrl parsed = config::parse_database_url(dev_url, base_dir);
    if (!parsed.is_memory())
      return std::make_unique<SqliteDevDatabase>(parsed.sqlite_path, parsed.redacted(), false);
  }
  std::string path = temp_dir() + "/migrate-dev-XXXXXX";
  // Only the name is wanted (SQLite opens the file itself): closed at once.
  if (!util::Fd(::mkstemp(path.data())).valid())
    throw Error("cannot create a temporary dev database in " + temp_dir());
  return std::make_unique<SqliteDevDatabase>(path, "dev database (temporary)", true);
}

}  // namespace migrate::schema::sqlite
