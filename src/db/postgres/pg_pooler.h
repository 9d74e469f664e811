// How a connection finds out whether a pooler in transaction mode sits
// between it and the server (SessionSettings::pooler), in the query it
// starts with anyway: PgBouncer announces a server process id of its own
// at connect (libpq's PQbackendPID), not the server's pg_backend_pid().
// Behind such a pooler nothing is SET for the session (the next
// transaction may run in another server session, and another client would
// get the setting), and the run lock is a lease row (pg_lease_lock.h).
#pragma once

#include <string>

#include "db/postgres/pg_connection.h"

namespace migrate::db::postgres {

struct ConnectFacts {
  bool pooled = false;  // a pooler in transaction mode: SET LOCAL only
  // client_connection_check_interval is available (PostgreSQL 14+): set for
  // the session when not pooled, to SET LOCAL in each transaction when
  // pooled.
  bool check_interval = false;
  std::string current_schema;  // empty when search_path names no schema
};

// One round trip on a new connection: current_schema(), whether a pooler
// is in between (`pooler`: auto, transaction or session), and, when the
// session is this connection's alone, client_connection_check_interval set
// to 1 s for it: if migrate dies (killed, OOM, a lost container) while a
// step's statement runs, the server would go on to run the rest of the
// step's message, COMMIT included, and only then find the client gone;
// with it, it checks the socket every second and rolls the step back.
// Recognized without `pooler:` being set, says so once on stderr.
ConnectFacts probe_connection(Connection& conn, const std::string& pooler);

}  // namespace migrate::db::postgres
