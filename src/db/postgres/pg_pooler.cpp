#include "db/postgres/pg_pooler.h"

#include <fmt/format.h>

#include <iostream>

namespace migrate::db::postgres {

ConnectFacts probe_connection(Connection& conn, const std::string& pooler) {
  const int announced = conn.announced_pid();
  pqxx::result r = conn.query(fmt::format(
      "SELECT current_schema(), pg_backend_pid(), current_setting('server_version_num')::int >= "
      "140000, CASE WHEN current_setting('server_version_num')::int >= 140000 AND {} THEN "
      "set_config('client_connection_check_interval', '1000', false) END",
      pooler == "transaction" ? "false"
      : pooler == "session"   ? "true"
                              : fmt::format("pg_backend_pid() = {}", announced)));
  ConnectFacts facts;
  const bool behind_pooler = r[0][1].as<int>() != announced;
  facts.pooled = pooler == "transaction" || (pooler == "auto" && behind_pooler);
  facts.check_interval = facts.pooled ? r[0][2].as<bool>() : !r[0][3].is_null();
  if (!r[0][0].is_null()) facts.current_schema = r[0][0].c_str();
  if (facts.pooled && pooler == "auto")
    std::cerr << fmt::format(
                     "migrate: note: {} is reached through a connection pooler (the server "
                     "process id it announced is not the server's): taking the run lock as a "
                     "lease row and setting nothing outside transactions, as for `pooler: "
                     "transaction` (set `pooler:` in migrate.yaml to say which)",
                     conn.describe())
              << std::endl;
  return facts;
}

}  // namespace migrate::db::postgres
