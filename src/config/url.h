// Database URLs (contract: "Database URLs"). A password never leaves this
// module unredacted except through `libpq_conninfo()`, which goes straight to
// libpq.
#pragma once

#include <string>

#include "config/secrets.h"

namespace migrate::config {

struct DatabaseUrl {
  enum Kind { kSqlite, kPostgres };
  Kind kind = kSqlite;
  std::string raw;          // as given (may hold a password: never print it)
  std::string sqlite_path;  // kSqlite: the file path, or ":memory:"

  // kPostgres: the parts of the URL, percent-decoded; empty when not given
  // (libpq then falls back to PGHOST, PGPORT, PGDATABASE, PGUSER, ...).
  std::string user;
  std::string host;
  std::string port;
  std::string dbname;

  bool is_memory() const { return kind == kSqlite && sqlite_path == ":memory:"; }
  // The URL rebuilt from its parts with the password of the user info and
  // of any secret query parameter (`password`, `sslpassword`, however the
  // key is percent-encoded) replaced by "***"; safe for any output.
  std::string redacted() const;
  // kPostgres: what to hand to libpq (the URL itself: libpq parses URIs,
  // including query parameters such as sslmode). Never print it.
  std::string libpq_conninfo() const { return raw; }
  // kPostgres: the same URL naming another database on the same server, with
  // the same credentials and parameters (the scratch database of `diff`).
  std::string with_dbname(const std::string& other_dbname) const;
};

// sqlite:///relative.db, sqlite:////abs.db, sqlite:///:memory:,
// postgresql://... and postgres://... . A relative SQLite path is resolved
// against `base_dir` (the config file's folder). Throws migrate::Error for
// an unknown scheme or a malformed URL (the message shows the redacted URL,
// or only its scheme when it cannot be cut into parts). Remembers the URL's
// secrets for redact_secrets() first, so no later message can print them.
DatabaseUrl parse_database_url(const std::string& url, const std::string& base_dir = "");

}  // namespace migrate::config
