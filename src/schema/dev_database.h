// A scratch database for diffs: a desired-state .sql file is applied to it and
// then inspected (so the server's canonical form is compared, never SQL text),
// and `rev:TARGET` upgrades one to TARGET. Created on construction, removed on
// destruction (RAII), also when a diff fails. Each kind makes its own
// (src/schema/<dialect>/); callers get one through the registry
// (backend/backend.h: make_dev_database).
#pragma once

#include <memory>
#include <string>

namespace migrate::schema {

class DevDatabase {
 public:
  virtual ~DevDatabase() = default;
  // A URL that backend::open_database / backend::inspect_database accept.
  virtual std::string url() const = 0;
  // Runs a whole SQL script (a schema file). Errors name `file` and the line
  // of the failing statement.
  virtual void apply_sql(const std::string& sql, const std::string& file) = 0;
};

}  // namespace migrate::schema
