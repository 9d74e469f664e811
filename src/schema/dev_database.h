// A scratch database for diffs: a desired-state .sql file is applied to it and
// then inspected (so the server's canonical form is compared, never SQL text),
// and `rev:TARGET` upgrades one to TARGET. Created on construction, removed on
// destruction (RAII), also when a diff fails.
#pragma once

#include <memory>
#include <string>

namespace migrate::schema {

class DevDatabase {
 public:
  virtual ~DevDatabase() = default;
  // A URL that open_database / inspect_database accept.
  virtual std::string url() const = 0;
  // Runs a whole SQL script (a schema file). Errors name `file` and the line
  // of the failing statement.
  virtual void apply_sql(const std::string& sql, const std::string& file) = 0;
};

// `dev_url` when non-empty (used as is: it must be empty, or be emptied by
// the caller's choice -- see docs), else for SQLite a private temporary
// database and for PostgreSQL a temporary database created on the server of
// `database_url` and dropped afterwards.
std::unique_ptr<DevDatabase> make_dev_database(const std::string& database_url,
                                               const std::string& dev_url,
                                               const std::string& base_dir);

}  // namespace migrate::schema
