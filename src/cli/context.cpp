#include "cli/context.h"

#include "backend/backend.h"
#include "config/duration.h"
#include "config/url.h"
#include "util/error.h"

namespace migrate::cli {

const config::Config& Context::config() {
  if (!config_) {
    std::optional<std::string> cli_path;
    if (!options.config_file.empty()) cli_path = options.config_file;
    std::optional<std::string> url;
    if (!options.url.empty()) url = options.url;
    config_ = config::load_config(config::config_path(cli_path), url);
    if (!options.as_database.empty()) {
      if (url) throw UsageError("--url and --as-database name two databases; give one");
      const auto& target = config::find_database(config_->databases, options.as_database);
      config_->database_url = target.url;
      // Schema per tenant: the target's schema holds its version table and
      // comes first in its search_path.
      if (!target.schema.empty()) {
        config_->version_table_schema = target.schema;
        config_->search_path = {target.schema};
      }
      if (!target.search_path.empty()) config_->search_path = target.search_path;
    }
  }
  return *config_;
}

void Context::use_named_database(const std::string& name) {
  options.as_database = name;
  config_.reset();  // loaded again, with the target's URL and schema
}

const script::ScriptDirectory& Context::scripts() {
  if (!scripts_) scripts_ = script::ScriptDirectory::load(config().script_location);
  return *scripts_;
}

db::TableNames Context::tables() {
  const auto& c = config();
  db::TableNames t;
  t.version_table = c.version_table;
  t.history_table = c.history_table;
  t.schema = c.version_table_schema;
  return t;
}

db::SessionSettings Context::session() {
  const auto& c = config();
  db::SessionSettings s;
  s.lock_timeout = c.lock_timeout;
  s.statement_timeout = c.statement_timeout;
  s.lock_retries = c.lock_retries.value_or(config::kDefaultLockRetries);
  s.pooler = c.pooler;
  s.search_path = c.search_path;
  // Checked at load.
  s.run_lock_lease = config::parse_duration_ms(c.run_lock_lease).value_or(s.run_lock_lease);
  // Waiting is asked for by --wait, or by a wait_timeout in the file (a
  // container's config says so once instead of on every command line).
  std::string wait = c.wait_timeout;
  std::string where = c.where("wait_timeout");
  if (!options.wait.empty()) {
    if (options.wait != GlobalOptions::kWaitFlagAlone) {
      wait = options.wait;
      where = "--wait";
    } else if (wait.empty()) {
      wait = config::kDefaultWaitTimeout;
    }
  }
  if (!wait.empty()) {
    auto ms = config::parse_duration_ms(wait);
    if (!ms) {
      if (where == "--wait") throw UsageError(config::bad_duration_message("--wait", wait, "s"));
      throw Error(where + ": " + config::bad_duration_message("wait_timeout", wait, "s"));
    }
    s.connect_wait = *ms;
  }
  return s;
}

std::unique_ptr<db::Database> Context::open_database(bool create_if_missing) {
  const auto& c = config();
  if (c.database_url.empty())
    // The environment is read only through the config (`${VAR}`): say so,
    // since DATABASE_URL alone is a common guess.
    throw Error("no database URL: set database_url in " + c.file +
                " (`database_url: ${DATABASE_URL}` reads it from the environment), or pass "
                "--url");
  auto db = backend::open_database(c.database_url, tables(), c.dir, create_if_missing, session());
  if (std::string missing = db->missing(); !missing.empty()) {
    err << "migrate: note: " << db->describe() << ": " << missing
        << " (a mistyped path?); it reads as an empty database, and only upgrade or stamp "
           "creates it\n";
  }
  return db;
}

std::unique_ptr<db::Dialect> Context::dialect() {
  const auto& c = config();
  if (c.database_url.empty())
    throw Error("no database URL: offline mode needs one to pick the SQL dialect (--url)");
  return backend::dialect_for_url(c.database_url, session());
}

std::string Context::database_description() {
  return config::parse_database_url(config().database_url, config().dir).redacted();
}

}  // namespace migrate::cli
