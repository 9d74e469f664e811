#include "lint/server_facts.h"

#include <string>

#include "util/error.h"

namespace migrate::lint {

bool has_server_facts(Dialect dialect) { return dialect == Dialect::postgres; }

void apply_server_facts(Dialect dialect, db::Database& db, Settings& settings) {
  if (dialect != Dialect::postgres) return;
  auto work = db.begin_work(db::WorkOptions{});
  const db::WorkResult version = work->exec("SELECT current_setting('server_version_num')");
  if (!version.rows.empty() && !version.rows[0].empty() && version.rows[0][0]) {
    try {
      settings.set_postgres_version(std::stoi(*version.rows[0][0]) / 10000);
    } catch (const std::exception&) {
      throw Error("server_version_num is not a number: '" + *version.rows[0][0] + "'");
    }
  }
  // 'i' < 's' < 'v': max() is the most volatile form of an overloaded name.
  const db::WorkResult functions =
      work->exec("SELECT proname, max(provolatile::text) FROM pg_catalog.pg_proc GROUP BY 1");
  for (const auto& row : functions.rows)
    if (row.size() == 2 && row[0] && row[1] && !row[1]->empty())
      settings.set_volatility(*row[0], (*row[1])[0]);
}

}  // namespace migrate::lint
