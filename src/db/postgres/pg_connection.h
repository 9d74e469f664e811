// One libpqxx connection to the server, with the errors that leave it made
// fit for users: connection failures name host, port and database (never
// the password), server errors keep their DETAIL, HINT and CONTEXT.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "util/error.h"

namespace migrate::db::postgres {

// Where to connect, and how to name it in messages.
struct ConnectTarget {
  std::string conninfo;  // the URL as given, for libpq only: never print it
  std::string describe;  // the redacted URL
  // From the URL, else PG* variables; empty = libpq's default.
  std::string host, port, dbname, user;
};

// A failed statement of a batch.
struct BatchFailure {
  std::size_t index = 0;  // which statement of the batch failed
  std::string message;    // format_server_error's text
  std::string sqlstate;
};

class Connection {
 public:
  // Connects; throws migrate::Error naming host, port and database. With a
  // `wait`, a server that is not up yet (refused, starting up, name not
  // resolving yet: containers starting together) is tried again until it
  // accepts or `wait` has passed, after one "waiting for the database" line
  // on stderr. Failures that waiting cannot cure (authentication, a missing
  // database or role, bad parameters) are reported at once.
  explicit Connection(const ConnectTarget& target,
                      std::chrono::milliseconds wait = std::chrono::milliseconds(0));
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const std::string& describe() const { return describe_; }
  // The server process id the server announced at connect (libpq's
  // PQbackendPID). A pooler in between (PgBouncer) announces one of its own,
  // which differs from the server's pg_backend_pid().
  int announced_pid() const { return conn_ ? conn_->backendpid() : 0; }

  // Runs `sql` (one or more statements) in autocommit, one round trip.
  // Throws pqxx::sql_error with the SQLSTATE for every server error
  // (deadlocks and serialization failures included, which libpqxx throws
  // otherwise; use format_server_error), or migrate::Error when the
  // connection breaks.
  pqxx::result exec(const std::string& sql);
  // exec() for migrate's own statements: a server error becomes a
  // migrate::Error naming the database.
  pqxx::result query(const std::string& sql);

  // Sends all statements in ONE message (one round trip) and reports the
  // first that failed (any server error, with its SQLSTATE); the server
  // skips the rest. Throws migrate::Error when the connection breaks. Used
  // through TransactionBatch (pg_transaction.h) for BEGIN ... COMMIT: after
  // a failure the transaction is aborted until a ROLLBACK ends it.
  // With `results`, it receives the result of every statement before the
  // failing one (of all of them on success), by index. `on_result(i)` is
  // called as statement i's result arrives (results[i] is set by then),
  // while the server runs the rest: a COMMIT's result is its step done.
  std::optional<BatchFailure> exec_batch(
      const std::vector<std::string>& statements, std::vector<pqxx::result>* results = nullptr,
      const std::function<void(std::size_t)>& on_result = nullptr);

  // ROLLBACK, ignoring every error (including "no transaction in progress").
  void rollback_quietly() noexcept;

  // False once the connection broke (libpqxx would reconnect to run the next
  // statement: no ROLLBACK is sent on a broken one).
  bool is_open() const { return conn_ && conn_->is_open(); }

 private:
  // "DB: lost the connection to the server: why".
  Error lost_connection(const pqxx::failure& e) const;

  std::optional<pqxx::connection> conn_;
  std::string describe_;
};

// A server error as users read it: the primary message without "ERROR:  ",
// then the DETAIL, HINT and CONTEXT lines, indented. The "LINE n:" excerpt
// with its caret is left out (its line counts from the start of a batch,
// not the file). Secrets are redacted.
std::string format_server_error(const std::string& what);

// Whether a failed connection's libpq message (one line) is worth trying
// again after a pause: the server is not up, not reachable yet, or starting.
bool connection_may_succeed_later(const std::string& message);

// "host 127.0.0.1, port 5432, database app, user alice" for messages.
std::string describe_endpoint(const ConnectTarget& target);

}  // namespace migrate::db::postgres
