// The PostgreSQL dev database: a temporary database on the configured
// server (or the user's --dev-url / dev_url, used as is).
#include <fmt/format.h>

#include <atomic>
#include <random>

#include "config/url.h"
#include "db/postgres/pg_connection.h"
#include "db/postgres/pg_splitter.h"
#include "db/postgres/pg_transaction.h"
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

class GivenDevDatabase : public DevDatabase {
 public:
  explicit GivenDevDatabase(std::string url) : url_(std::move(url)) {}
  std::string url() const override { return url_; }
  void apply_sql(const std::string& sql, const std::string& file) override {
    apply_script(url_, sql, file);
  }

 private:
  std::string url_;
};

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
  if (!dev_url.empty()) return std::make_unique<GivenDevDatabase>(dev_url);
  return std::make_unique<TemporaryDevDatabase>(database_url);
}

}  // namespace migrate::schema
