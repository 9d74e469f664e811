// A throwaway database on the private PostgreSQL server that scripts/test.sh
// starts (MIGRATE_TEST_PG_URL), for end-to-end tests: created with a random
// name, dropped WITH (FORCE) on scope exit, read back with libpqxx. Tests
// using it fail (never skip) when MIGRATE_TEST_PG_URL is not set.
#pragma once

#include <catch2/catch.hpp>
#include <pqxx/pqxx>
#include <random>
#include <string>
#include <vector>

#include "config/url.h"
#include "e2e/project_fixture.h"
#include "support/test_support.h"

namespace e2e {

class TempPgDatabase {
 public:
  TempPgDatabase() : TempPgDatabase(testsupport::pg_url()) {}
  // On another server: `admin_url` is its maintenance database's URL (the
  // second cluster of scripts/test.sh: testsupport::pg2_url()).
  explicit TempPgDatabase(const std::string& admin_url) {
    admin_url_ = admin_url;
    REQUIRE_FALSE(admin_url_.empty());  // scripts/test.sh sets MIGRATE_TEST_PG_URL (and _PG2_)
    std::random_device rd;
    name_ = "migrate_t_" + std::to_string(rd()) + std::to_string(rd() % 1000);
    admin_exec("CREATE DATABASE " + name_);
    url_ = migrate::config::parse_database_url(admin_url_).with_dbname(name_);
  }
  ~TempPgDatabase() {
    try {
      admin_exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
    }
  }
  TempPgDatabase(const TempPgDatabase&) = delete;
  TempPgDatabase& operator=(const TempPgDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

  // Rows of a query, each row's columns joined by "|" (NULL as "NULL").
  std::vector<std::string> rows(const std::string& sql) const {
    pqxx::connection c(url_);
    pqxx::nontransaction tx(c);
    std::vector<std::string> out;
    for (const auto& row : tx.exec(sql)) {
      std::string line;
      for (pqxx::row::size_type i = 0; i < row.size(); ++i) {
        if (i) line += "|";
        line += row[i].is_null() ? "NULL" : row[i].c_str();
      }
      out.push_back(line);
    }
    return out;
  }
  void exec(const std::string& sql) const {
    if (sql.empty()) return;  // an empty diff applies as nothing
    pqxx::connection c(url_);
    pqxx::nontransaction tx(c);
    tx.exec(sql);
  }
  // No rows when the table does not exist: a refused run creates none.
  std::vector<std::string> version(const std::string& table = "migrate_version") const {
    if (rows("SELECT to_regclass('" + table + "') IS NULL") == std::vector<std::string>{"t"})
      return {};
    return rows("SELECT version_num FROM " + table + " ORDER BY version_num");
  }
  std::vector<std::string> tables() const {
    return rows(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\\_%' "
        "ORDER BY tablename");
  }
  int history_count(const std::string& where = "true") const {
    return std::stoi(rows("SELECT count(*) FROM migrate_history WHERE " + where)[0]);
  }

 private:
  void admin_exec(const std::string& sql) const {
    pqxx::connection c(admin_url_);
    pqxx::nontransaction tx(c);
    tx.exec(sql);
  }
  std::string admin_url_, name_, url_;
};

// `migrate --url URL ARGS...` in the project.
inline testsupport::RunResult run_pg(const Project& p, const TempPgDatabase& db,
                                     std::vector<std::string> args) {
  args.insert(args.begin(), {"--url", db.url()});
  return p.run(args);
}

// `migrate diff --from FROM --to TO EXTRA...` in the project.
inline testsupport::RunResult diff_databases(const Project& p, const TempPgDatabase& from,
                                             const TempPgDatabase& to,
                                             const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args{"diff", "--from", from.url(), "--to", to.url()};
  args.insert(args.end(), extra.begin(), extra.end());
  return p.run(args);
}

}  // namespace e2e
