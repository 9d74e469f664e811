// What every command needs, loaded on first use: the config, the script
// directory, a database connection. Commands that need none of them (init,
// list-templates) never touch the config.
#pragma once

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "db/database.h"
#include "script/script_directory.h"

namespace migrate::cli {

struct GlobalOptions {
  std::string config_file;  // -c; empty = MIGRATE_CONFIG or ./migrate.yaml
  std::string url;          // --url; empty = the config's database_url
  // --wait[=DURATION]: empty = not given; kWaitFlagAlone (what CLI11 stores
  // for a bare flag) = wait for wait_timeout, else config::kDefaultWaitTimeout.
  std::string wait;
  static constexpr const char* kWaitFlagAlone = "true";
  // The command line as parsed (after --wait's value is joined), which a run
  // on many databases repeats for each (cli/fanout_command.h).
  std::vector<std::string> argv;
  // Hidden, set by that parent for each child: the database of `databases:`
  // to run on instead of database_url, and where to report (target_report.h).
  std::string as_database;
  int report_fd = -1;
};

class Context {
 public:
  explicit Context(std::ostream& out = std::cout, std::ostream& err = std::cerr)
      : out(out), err(err) {}

  GlobalOptions options;
  std::ostream& out;
  std::ostream& err;

  const config::Config& config();
  const script::ScriptDirectory& scripts();
  db::TableNames tables();
  // The runtime settings for the database session: migrate.yaml's
  // lock_timeout, statement_timeout, lock_retries, and how long to wait for
  // the server (--wait, wait_timeout). Throws on a bad --wait value.
  db::SessionSettings session();
  // Opens the configured database. With `create_if_missing` false, a missing
  // SQLite file is not created (read-only commands must not leave files),
  // and a note on `err` says it does not exist.
  std::unique_ptr<db::Database> open_database(bool create_if_missing);
  std::unique_ptr<db::Dialect> dialect();
  // The database URL with any password redacted.
  std::string database_description();
  // From here on, the configured database is the named target of
  // `databases:` (as --as-database NAME would make it): a command that
  // writes one script (--sql) runs in this process on the one --db chosen.
  void use_named_database(const std::string& name);

 private:
  std::optional<config::Config> config_;
  std::optional<script::ScriptDirectory> scripts_;
};

}  // namespace migrate::cli
