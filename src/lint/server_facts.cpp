#include "lint/server_facts.h"

#include <string>

#include "util/error.h"

namespace migrate::lint {

bool has_server_facts(Dialect dialect) { return dialect == Dialect::postgres; }

void apply_server_facts(Dialect dialect, db::Database& db, Settings& settings) {
  if (dialect != Dialect::postgres) return;
  // One statement outside a transaction: one round trip (the upgrade gate
  // asks on the run's connection, whose round trips are counted). The
  // version is the row whose function name is NULL. 'i' < 's' < 'v': max()
  // is the most volatile form of an overloaded name.
  db::WorkOptions autocommit;
  autocommit.transaction = false;
  const db::WorkResult facts =
      db.begin_work(autocommit)
          ->exec(
              "SELECT NULL::text, current_setting('server_version_num') UNION ALL "
              "SELECT proname::text, max(provolatile::text) FROM pg_catalog.pg_proc GROUP BY 1");
  for (const auto& row : facts.rows) {
    if (row.size() != 2 || !row[1]) continue;
    if (!row[0]) {
      try {
        settings.set_postgres_version(std::stoi(*row[1]) / 10000);
      } catch (const std::exception&) {
        throw Error("server_version_num is not a number: '" + *row[1] + "'");
      }
    } else if (!row[1]->empty()) {
      settings.set_volatility(*row[0], (*row[1])[0]);
    }
  }
}

}  // namespace migrate::lint
