// db::Work on PostgreSQL: one transaction on the database's connection, each
// statement a round trip, for the backfill engine. BEGIN and the SET LOCAL
// settings go in one message. A lock timeout (55P03), deadlock (40P01) or
// statement timeout (57014) becomes db::WorkConflict; libpqxx 6.4 throws
// some of these without a SQLSTATE, so the server's message text is checked
// as well. Every way out without commit() rolls back.
#pragma once

#include <string>
#include <vector>

#include "db/database.h"
#include "db/postgres/pg_connection.h"
#include "db/postgres/pg_dialect.h"

namespace migrate::db::postgres {

class PgWork : public Work {
 public:
  // `restore`: the statements that give the session its configured settings
  // back (PostgresDatabase::restore_session_sql), run after BEGIN.
  PgWork(Connection& conn, const PostgresDialect& dialect, const WorkOptions& options,
         const std::vector<std::string>& restore);
  ~PgWork() override;
  WorkResult exec(const std::string& sql) override;
  void commit() override;

 private:
  // Rolls back, then throws WorkConflict or migrate::Error for `e`.
  [[noreturn]] void fail(const pqxx::sql_error& e, const std::string& sql);

  Connection& conn_;
  bool open_ = false;
};

// Which WorkConflict kind a server error is, from its SQLSTATE or, when
// libpqxx gave none, its text; -1 when it is no conflict.
int work_conflict_kind(const std::string& sqlstate, const std::string& message);

}  // namespace migrate::db::postgres
