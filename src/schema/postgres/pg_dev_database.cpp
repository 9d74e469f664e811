// The PostgreSQL dev database: a temporary database on the configured
// server, or the user's --dev-url / dev_url (which must be empty, and is
// emptied after each use: pg_dev_contents.h).
#include <fmt/format.h>

#include <atomic>
#include <random>

#include "config/url.h"
#include "db/postgres/pg_connection.h"
#include "db/postgres/pg_splitter.h"
#include "db/postgres/pg_transaction.h"
#include "schema/postgres/pg_dev_contents.h"
#include "schema/postgres/pg_quote.h"
#include "schema/postgres/pg_target.h"
#include "schema/postgres/postgres_schema.h"
#include "util/error.h"

namespace migrate::schema {

namespace {

using db::postgres::Connection;

// Runs a schema file on `url` as one batch (one round trip; the server runs a
// multi-statement message as one implicit transaction, so a failing file
// leaves nothing behind). The error names the file line of the statement.
void apply_script(const std::string& url, const std::string& sql, const std::string& file) {
  std::vector<db::Statement> statements = db::postgres::split_sql(sql, 1, file);
  if (statements.empty()) return;
  Connection conn(postgres::connect_target(url));
  db::postgres::TransactionBatch batch(conn);
  for (const auto& s : statements) batch.add(s.sql);
  if (auto failure = batch.send())
    throw Error(fmt::format("{}:{}: {}", file, statements[failure->index].line, failure->message));
}

// The user's dev database. The sides that share it are loaded one after
// the other (backend/load_sources.h), each making its own GivenDevDatabase
// and destroying it before the next is made: the check on construction
// sees what the previous use left, if its emptying failed.
class GivenDevDatabase : public DevDatabase {
 public:
  explicit GivenDevDatabase(std::string url) : url_(std::move(url)) {
    Connection conn(postgres::connect_target(url_));
    std::vector<postgres::DevObject> objects = postgres::dev_objects(conn);
    if (!objects.empty())
      throw Error("dev database " + config::parse_database_url(url_).redacted() +
                  " is not empty: it holds " + postgres::describe_dev_objects(objects, 5) +
                  ". A diff applies each schema to it in turn and then drops everything in it, "
                  "so it must hold nothing of its own (use an empty scratch database, or leave "
                  "dev_url unset for a temporary database created and dropped on the server)");
  }
  ~GivenDevDatabase() override {
    try {
      Connection conn(postgres::connect_target(url_));
      postgres::empty_dev_database(conn);
    } catch (...) {
      // Best effort: a destructor must not throw; the next use reports a
      // database that is not empty.
    }
  }
  std::string url() const override { return url_; }
  void apply_sql(const std::string& sql, const std::string& file) override {
    apply_script(url_, sql, file);
  }

 private:
  std::string url_;
};

// Whether two PostgreSQL URLs name one database (same host, port and
// database, after libpq's PG* defaults): as far as the URLs tell. A URL
// that does not parse is some other command's error: not the same.
bool same_database(const std::string& a, const std::string& b) {
  try {
    if (config::parse_database_url(a).kind != config::DatabaseUrl::kPostgres ||
        config::parse_database_url(b).kind != config::DatabaseUrl::kPostgres)
      return false;
    db::postgres::ConnectTarget ta = postgres::connect_target(a);
    db::postgres::ConnectTarget tb = postgres::connect_target(b);
    return ta.host == tb.host && ta.port == tb.port && ta.dbname == tb.dbname;
  } catch (const Error&) {
    return false;
  }
}

// CREATE DATABASE through a connection to the configured database (else to
// `postgres` on the same server, when the configured one does not exist
// yet); DROP DATABASE ... WITH (FORCE) (PostgreSQL 13+) on destruction, so a
// session left open by a failure cannot keep it alive.
class TemporaryDevDatabase : public DevDatabase {
 public:
  explicit TemporaryDevDatabase(const std::string& database_url) {
    config::DatabaseUrl parsed = config::parse_database_url(database_url);
    admin_url_ = database_url;
    std::unique_ptr<Connection> admin;
    try {
      admin = std::make_unique<Connection>(postgres::connect_target(admin_url_));
    } catch (const Error&) {
      admin_url_ = parsed.with_dbname("postgres");
      try {
        admin = std::make_unique<Connection>(postgres::connect_target(admin_url_));
      } catch (const Error&) {
        admin_url_ = database_url;
        throw;  // the first error would name the same server; this one is as good
      }
    }
    // Random, and numbered within the process: the sides of a diff make
    // theirs at once (backend/load_sources.h), and must not meet.
    static std::atomic<unsigned> made{0};
    std::random_device rd;
    name_ = fmt::format("migrate_dev_{:08x}{:04x}_{}", rd(), rd() & 0xffff, made++);
    admin->query("CREATE DATABASE " + postgres::ident(name_));
    url_ = parsed.with_dbname(name_);
  }
  ~TemporaryDevDatabase() override {
    try {
      Connection admin(postgres::connect_target(admin_url_));
      admin.query("DROP DATABASE IF EXISTS " + postgres::ident(name_) + " WITH (FORCE)");
    } catch (...) {
      // Best effort: a destructor must not throw; the name says what it is.
    }
  }
  std::string url() const override { return url_; }
  void apply_sql(const std::string& sql, const std::string& file) override {
    apply_script(url_, sql, file);
  }

 private:
  std::string admin_url_, name_, url_;
};

}  // namespace

std::unique_ptr<DevDatabase> make_postgres_dev_database(const std::string& database_url,
                                                        const std::string& dev_url) {
  if (!dev_url.empty()) {
    // Its emptying would drop what the diff compares.
    if (!database_url.empty() && same_database(database_url, dev_url))
      throw Error("dev database " + config::parse_database_url(dev_url).redacted() +
                  " is the database being compared (database_url, or a side of the diff): give "
                  "a scratch database of its own as dev_url, or leave it unset");
    return std::make_unique<GivenDevDatabase>(dev_url);
  }
  return std::make_unique<TemporaryDevDatabase>(database_url);
}

}  // namespace migrate::schema
