#include "db/postgres/pg_connection.h"

#include <fmt/format.h>

#include <sstream>

#include "config/url.h"
#include "util/error.h"

namespace migrate::db::postgres {

namespace {

std::string trim_right(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// libpq's own message for a failed connection, on one line.
std::string one_line(const std::string& text) {
  std::string out;
  std::istringstream in(trim_right(text));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (!out.empty()) out += "; ";
    out += line;
  }
  return out;
}

}  // namespace

std::string describe_endpoint(const ConnectTarget& t) {
  auto or_default = [](const std::string& v, const char* dflt) { return v.empty() ? dflt : v; };
  return fmt::format("host {}, port {}, database {}, user {}",
                     or_default(t.host, "(libpq default)"), or_default(t.port, "5432"),
                     or_default(t.dbname, "(same as the user)"),
                     or_default(t.user, "(current user)"));
}

std::string format_server_error(const std::string& what) {
  std::istringstream in(trim_right(what));
  std::string line, out;
  bool skip_caret = false;
  while (std::getline(in, line)) {
    if (skip_caret) {
      // The caret line under "LINE n: ..." is all blanks and one '^'.
      skip_caret = false;
      if (line.find_first_not_of(" ^") == std::string::npos) continue;
    }
    if (starts_with(line, "LINE ")) {
      skip_caret = true;
      continue;
    }
    if (out.empty()) {
      for (const char* prefix : {"ERROR:  ", "FATAL:  ", "PANIC:  "})
        if (starts_with(line, prefix)) line = line.substr(std::string(prefix).size());
      out = line;
    } else {
      out += "\n  " + line;
    }
  }
  return config::redact_secrets(out);
}

Connection::Connection(const ConnectTarget& target) : describe_(target.describe) {
  try {
    conn_.emplace(target.conninfo);
  } catch (const std::exception& e) {
    // libpq's text may echo parts of the conninfo; redact_secrets hides any
    // password in it.
    throw Error(config::redact_secrets(fmt::format("cannot connect to PostgreSQL ({}): {}",
                                                   describe_endpoint(target), one_line(e.what()))));
  }
}

pqxx::result Connection::exec(const std::string& sql) {
  try {
    pqxx::nontransaction tx(*conn_);
    return tx.exec(sql);
  } catch (const pqxx::broken_connection& e) {
    throw Error(config::redact_secrets(
        fmt::format("{}: lost the connection to the server: {}", describe_, one_line(e.what()))));
  }
}

pqxx::result Connection::query(const std::string& sql) {
  try {
    return exec(sql);
  } catch (const pqxx::sql_error& e) {
    throw Error(fmt::format("{}: {}", describe_, format_server_error(e.what())));
  }
}

std::optional<BatchFailure> Connection::exec_batch(const std::vector<std::string>& statements) {
  try {
    pqxx::nontransaction tx(*conn_);
    pqxx::pipeline pipe(tx);
    // Retain everything, so complete() issues the batch as one query string.
    pipe.retain(static_cast<int>(statements.size()) + 1);
    std::vector<pqxx::pipeline::query_id> ids;
    ids.reserve(statements.size());
    for (const auto& sql : statements) ids.push_back(pipe.insert(sql));
    pipe.complete();
    for (std::size_t i = 0; i < ids.size(); ++i) {
      try {
        pipe.retrieve(ids[i]);
      } catch (const pqxx::sql_error& e) {
        pipe.flush();
        return BatchFailure{i, format_server_error(e.what()), e.sqlstate()};
      }
    }
    return std::nullopt;
  } catch (const pqxx::broken_connection& e) {
    throw Error(config::redact_secrets(
        fmt::format("{}: lost the connection to the server: {}", describe_, one_line(e.what()))));
  }
}

void Connection::rollback_quietly() noexcept {
  try {
    pqxx::nontransaction tx(*conn_);
    tx.exec("ROLLBACK");
  } catch (...) {
  }
}

}  // namespace migrate::db::postgres
