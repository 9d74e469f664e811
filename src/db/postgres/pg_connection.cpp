#include "db/postgres/pg_connection.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <sstream>
#include <thread>

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
    line.erase(0, line.find_first_not_of(" \t"));
    if (line.empty()) continue;
    if (!out.empty()) out += "; ";
    out += line;
  }
  return out;
}

// Why a connection broke, for users. libpqxx sometimes reports a later
// symptom of its own ("Could not obtain client encoding") rather than what
// happened; that text says nothing useful, so it is replaced.
std::string broken_reason(const pqxx::broken_connection& e) {
  std::string why = one_line(e.what());
  // What libpqxx says when it tries to reconnect on its own after the
  // server ended the session (reading the next result of a message).
  if (why.find("client encoding") != std::string::npos || why.find("not connected") == 0 ||
      why.find("Connection to database failed") == 0)
    return "the server closed it (the session was ended, the server restarted or shut down, "
           "or the network failed)";
  return why;
}

// The SQLSTATE libpqxx's exception class stands for, most specific first:
// some paths (its pipeline) throw the class without the code, e.g.
// insufficient_privilege for a 42501.
const char* class_sqlstate(const pqxx::failure& e) {
  if (dynamic_cast<const pqxx::insufficient_privilege*>(&e)) return "42501";
  if (dynamic_cast<const pqxx::undefined_table*>(&e)) return "42P01";
  if (dynamic_cast<const pqxx::undefined_column*>(&e)) return "42703";
  if (dynamic_cast<const pqxx::undefined_function*>(&e)) return "42883";
  if (dynamic_cast<const pqxx::syntax_error*>(&e)) return "42601";
  if (dynamic_cast<const pqxx::unique_violation*>(&e)) return "23505";
  if (dynamic_cast<const pqxx::foreign_key_violation*>(&e)) return "23503";
  if (dynamic_cast<const pqxx::not_null_violation*>(&e)) return "23502";
  if (dynamic_cast<const pqxx::check_violation*>(&e)) return "23514";
  if (dynamic_cast<const pqxx::restrict_violation*>(&e)) return "23001";
  if (dynamic_cast<const pqxx::integrity_constraint_violation*>(&e)) return "23000";
  if (dynamic_cast<const pqxx::data_exception*>(&e)) return "22000";
  if (dynamic_cast<const pqxx::feature_not_supported*>(&e)) return "0A000";
  if (dynamic_cast<const pqxx::disk_full*>(&e)) return "53100";
  if (dynamic_cast<const pqxx::out_of_memory*>(&e)) return "53200";
  if (dynamic_cast<const pqxx::insufficient_resources*>(&e)) return "53000";
  if (dynamic_cast<const pqxx::plpgsql_raise*>(&e)) return "P0001";
  if (dynamic_cast<const pqxx::plpgsql_error*>(&e)) return "P0000";
  return "";
}

// libpqxx throws some server errors as classes other than sql_error, which
// carry no SQLSTATE: a deadlock or a serialization failure as
// transaction_rollback, and an error of class 08 raised by the server for
// another connection (dblink, postgres_fdw) as broken_connection although
// this one is fine. Their SQLSTATE, or empty when `e` is not a server error
// on a live connection.
std::string sqlstate_of(const pqxx::failure& e, bool connection_open) {
  if (const auto* s = dynamic_cast<const pqxx::sql_error*>(&e))
    return s->sqlstate().empty() ? class_sqlstate(e) : s->sqlstate();
  if (!connection_open) return "";
  if (dynamic_cast<const pqxx::deadlock_detected*>(&e)) return "40P01";
  if (dynamic_cast<const pqxx::serialization_failure*>(&e)) return "40001";
  if (dynamic_cast<const pqxx::statement_completion_unknown*>(&e)) return "40003";
  if (dynamic_cast<const pqxx::transaction_rollback*>(&e)) return "40000";
  if (dynamic_cast<const pqxx::broken_connection*>(&e)) return "08000";
  return "";
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

bool connection_may_succeed_later(const std::string& message) {
  // Failures no wait can cure; anything else (refused, no route, a name not
  // resolving yet, "the database system is starting up", a timeout) may be
  // a server that is still coming up.
  static const char* const kFinal[] = {
      "authentication failed",
      "pg_hba.conf",
      "does not exist",
      "password is required",
      "SSL",
      "invalid",
      "unsupported",
      "permission denied",
  };
  for (const char* final : kFinal)
    if (message.find(final) != std::string::npos) return false;
  return true;
}

Connection::Connection(const ConnectTarget& target, std::chrono::milliseconds wait)
    : describe_(target.describe) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto pause = std::chrono::milliseconds(100);
  bool said_waiting = false;
  for (;;) {
    std::string error;
    try {
      conn_.emplace(target.conninfo);
      return;
    } catch (const std::exception& e) {
      error = one_line(e.what());
    }
    const auto now = Clock::now();
    const bool retry =
        wait.count() > 0 && now - start < wait && connection_may_succeed_later(error);
    if (!retry) {
      // libpq's text may echo parts of the conninfo; redact_secrets hides any
      // password in it.
      std::string waited;
      if (said_waiting)
        waited = fmt::format(" (gave up after waiting {:.1f} s: --wait / wait_timeout)",
                             std::chrono::duration<double>(now - start).count());
      throw Error(config::redact_secrets(fmt::format("cannot connect to PostgreSQL ({}): {}{}",
                                                     describe_endpoint(target), error, waited)));
    }
    if (!said_waiting) {
      auto or_default = [](const std::string& v, const char* dflt) {
        return v.empty() ? std::string(dflt) : v;
      };
      std::cerr << config::redact_secrets(fmt::format(
                       "migrate: waiting for the database at {}:{}/{} (up to {:g} s) ...",
                       or_default(target.host, "localhost"), or_default(target.port, "5432"),
                       or_default(target.dbname, "?"), std::chrono::duration<double>(wait).count()))
                << std::endl;
      said_waiting = true;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(wait - (now - start));
    std::this_thread::sleep_for(std::min(pause, left));
    pause = std::min(pause * 2, std::chrono::milliseconds(1000));
  }
}

pqxx::result Connection::exec(const std::string& sql) {
  try {
    pqxx::nontransaction tx(*conn_);
    return tx.exec(sql);
  } catch (const pqxx::sql_error& e) {
    if (!e.sqlstate().empty()) throw;
    // The class without its code (see class_sqlstate): give it one.
    throw pqxx::sql_error(e.what(), sql, class_sqlstate(e));
  } catch (const pqxx::failure& e) {
    const std::string state = sqlstate_of(e, conn_->is_open());
    if (!state.empty()) throw pqxx::sql_error(e.what(), sql, state.c_str());
    throw lost_connection(e);
  }
}

Error Connection::lost_connection(const pqxx::failure& e) const {
  const auto* broken = dynamic_cast<const pqxx::broken_connection*>(&e);
  return Error(
      config::redact_secrets(fmt::format("{}: lost the connection to the server: {}", describe_,
                                         broken ? broken_reason(*broken) : one_line(e.what()))));
}

pqxx::result Connection::query(const std::string& sql) {
  try {
    return exec(sql);
  } catch (const pqxx::sql_error& e) {
    throw Error(fmt::format("{}: {}", describe_, format_server_error(e.what())));
  }
}

std::optional<BatchFailure> Connection::exec_batch(
    const std::vector<std::string>& statements, std::vector<pqxx::result>* results,
    const std::function<void(std::size_t)>& on_result) {
  try {
    pqxx::nontransaction tx(*conn_);
    pqxx::pipeline pipe(tx);
    // Retain everything, so complete() issues the batch as one query string.
    pipe.retain(static_cast<int>(statements.size()) + 1);
    std::vector<pqxx::pipeline::query_id> ids;
    ids.reserve(statements.size());
    if (results) {
      results->clear();
      results->reserve(statements.size());
    }
    for (const auto& sql : statements) ids.push_back(pipe.insert(sql));
    // The first retrieve() sends the whole message; each result is then
    // read as the server sends it (not after the last: no complete()), so
    // a step's progress line comes when that step commits.
    for (std::size_t i = 0; i < ids.size(); ++i) {
      try {
        pqxx::result r = pipe.retrieve(ids[i]);
        if (results) results->push_back(std::move(r));
        if (on_result) on_result(i);
      } catch (const pqxx::failure& e) {
        // Whatever the class, with or without a code: while the connection
        // is up, the server refused statement i, and the caller names it
        // (file:line, step, the steps committed before it).
        if (!conn_->is_open()) throw;
        const std::string state = sqlstate_of(e, true);
        pipe.flush();
        return BatchFailure{i, format_server_error(e.what()), state};
      }
    }
    return std::nullopt;
  } catch (const pqxx::failure& e) {
    if (!conn_->is_open()) throw lost_connection(e);
    throw Error(fmt::format("{}: {}", describe_, format_server_error(e.what())));
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
