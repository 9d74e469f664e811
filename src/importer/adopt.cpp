#include "importer/adopt.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "importer/flyway_source.h"
#include "util/clock.h"
#include "util/error.h"

namespace migrate::importer {

namespace {

// `schema.table` or `table`, each part quoted for the dialect.
std::string quoted_table(const db::Dialect& d, const std::string& table) {
  std::size_t dot = table.find('.');
  if (dot == std::string::npos) return d.quote_ident(table);
  return d.quote_ident(table.substr(0, dot)) + "." + d.quote_ident(table.substr(dot + 1));
}

std::string text(const std::optional<std::string>& v) { return v ? *v : ""; }

bool truthy(const std::string& v) { return v == "t" || v == "1" || v == "true" || v == "TRUE"; }

// Every revision the heads stand for: their ancestors and dependencies.
std::set<std::string> applied_set(const graph::RevisionGraph& g,
                                  const std::vector<std::string>& heads) {
  std::set<std::string> seen;
  std::vector<std::string> todo(heads.begin(), heads.end());
  while (!todo.empty()) {
    std::string id = std::move(todo.back());
    todo.pop_back();
    if (!seen.insert(id).second) continue;
    for (const auto& parent : g.get(id).down_revisions) todo.push_back(parent);
    for (const auto& dep : g.resolved_dependencies(id)) todo.push_back(dep);
  }
  return seen;
}

// `ids` with every revision after its parents and dependencies, so the
// history reads like the run that applied them.
std::vector<std::string> parents_first(const graph::RevisionGraph& g,
                                       const std::set<std::string>& ids) {
  std::vector<std::string> order;
  std::set<std::string> done;
  while (order.size() < ids.size()) {
    std::size_t before = order.size();
    for (const auto& node : g.nodes()) {
      if (!ids.count(node.id) || done.count(node.id)) continue;
      bool ready = true;
      for (const auto& p : node.down_revisions) ready = ready && (!ids.count(p) || done.count(p));
      for (const auto& p : g.resolved_dependencies(node.id))
        ready = ready && (!ids.count(p) || done.count(p));
      if (!ready) continue;
      order.push_back(node.id);
      done.insert(node.id);
    }
    if (order.size() == before) break;  // a cycle: the graph refuses those
  }
  return order;
}

// The rows of `sql` (a read of the other tool's table), or an error that
// says which table could not be read.
std::vector<std::vector<std::optional<std::string>>> read_rows(db::Work& w, const std::string& sql,
                                                               const std::string& table,
                                                               const std::string& tool,
                                                               const std::string& where) {
  try {
    return w.exec(sql).rows;
  } catch (const db::WorkConflict&) {
    throw;
  } catch (const Error& e) {
    throw Error(fmt::format("{}: cannot read {} ({}); is this a database {} migrated?", where,
                            table, e.what(), tool));
  }
}

std::vector<std::string> alembic_heads(db::Work& w, const db::Dialect& d, const std::string& table,
                                       const graph::RevisionGraph& g, const std::string& where) {
  auto rows =
      read_rows(w, "SELECT version_num FROM " + quoted_table(d, table), table, "Alembic", where);
  std::vector<std::string> heads;
  for (const auto& row : rows) {
    std::string v = text(row.at(0));
    if (!g.contains(v))
      throw Error(fmt::format(
          "{}: {} holds revision {}, which is not among the imported revisions in {}; import "
          "the Alembic project this database was migrated with",
          where, table, v, "the versions folder"));
    heads.push_back(v);
  }
  std::sort(heads.begin(), heads.end());
  for (const auto& a : heads)
    for (const auto& b : heads)
      if (a != b && applied_set(g, {b}).count(a))
        throw Error(
            fmt::format("{}: {} holds both {} and its descendant {}; Alembic never "
                        "leaves that, so the table was edited by hand",
                        where, table, a, b));
  return heads;
}

// Flyway's record: the versions applied (rows of type SQL/JDBC/BASELINE that
// succeeded, minus those undone since), all of which must be a prefix of the
// imported chain (every imported version up to the newest applied one).
std::vector<std::string> flyway_heads(db::Work& w, const db::Dialect& d, const std::string& table,
                                      const script::ScriptDirectory& scripts,
                                      const std::string& where) {
  auto rows = read_rows(w,
                        "SELECT installed_rank, version, type, success FROM " +
                            quoted_table(d, table) + " ORDER BY installed_rank",
                        table, "Flyway", where);
  std::map<std::vector<std::string>, std::string> id_of;
  for (const auto& s : scripts.summaries()) {
    if (s.id.size() < 2 || s.id[0] != 'V') continue;
    auto key = flyway_version_key(s.id.substr(1));
    if (!key.empty()) id_of[key] = s.id;
  }
  std::set<std::vector<std::string>> applied;
  std::vector<std::string> baseline;
  for (const auto& row : rows) {
    std::string rank = text(row.at(0)), version = text(row.at(1)), type = text(row.at(2));
    if (!truthy(text(row.at(3))))
      throw Error(fmt::format(
          "{}: {} records a failed migration (installed_rank {}, version {}, type {}); fix the "
          "database and run `flyway repair` first, then adopt",
          where, table, rank, version.empty() ? "none" : version, type));
    if (version.empty()) continue;  // repeatable migrations, schema markers
    auto key = flyway_version_key(version);
    if (key.empty())
      throw Error(
          fmt::format("{}: {} has version '{}' (installed_rank {}), which is not a "
                      "Flyway version",
                      where, table, version, rank));
    if (type == "BASELINE") {
      baseline = key;
    } else if (type == "UNDO_SQL" || type == "UNDO_JDBC") {
      applied.erase(key);
    } else if (type != "DELETE") {
      if (!id_of.count(key))
        throw Error(
            fmt::format("{}: {} records version {} as applied (installed_rank {}), which has no "
                        "V{}__*.sql among the imported revisions",
                        where, table, version, rank, version));
      applied.insert(key);
    }
  }
  // The imported versions, oldest first, as a chain of the graph.
  std::vector<std::pair<std::vector<std::string>, std::string>> versions(id_of.begin(),
                                                                         id_of.end());
  auto less = [](const std::vector<std::string>& a, const std::vector<std::string>& b) {
    for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
      std::string x = i < a.size() ? a[i] : "0", y = i < b.size() ? b[i] : "0";
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
    }
    return false;
  };
  std::sort(versions.begin(), versions.end(),
            [&](const auto& a, const auto& b) { return less(a.first, b.first); });
  // Everything at or below the baseline counts as applied, as Flyway takes it.
  if (!baseline.empty())
    for (const auto& [key, id] : versions)
      if (!less(baseline, key)) applied.insert(key);
  std::string head;
  bool gap = false;
  std::string missing;
  for (const auto& [key, id] : versions) {
    if (applied.count(key)) {
      if (gap)
        throw Error(
            fmt::format("{}: {} records {} as applied but not {} before it (applied out "
                        "of order); migrate's revisions are one chain, so it cannot say "
                        "that: apply the missing ones with Flyway first",
                        where, table, id, missing));
      head = id;
    } else if (!gap) {
      gap = true;
      missing = id;
    }
  }
  return head.empty() ? std::vector<std::string>{} : std::vector<std::string>{head};
}

}  // namespace

AdoptResult adopt(db::Database& db, const script::ScriptDirectory& scripts, const std::string& tool,
                  const std::string& table, std::chrono::milliseconds wait) {
  const db::Dialect& d = db.dialect();
  const db::TableNames& t = db.tables();
  const std::string where = db.describe();
  auto lock = db.lock(wait);
  auto w = db.begin_work(db::WorkOptions{});
  for (const auto& sql : d.create_tables_sql(t)) w->exec(sql);
  auto existing = w->exec("SELECT version_num FROM " + d.qualified(t, t.version_table)).rows;
  if (!existing.empty())
    throw Error(
        fmt::format("{}: {} already has {} row{} (first: {}); adopt is for a database "
                    "migrate has not recorded yet",
                    where, t.version_table, existing.size(), existing.size() == 1 ? "" : "s",
                    text(existing[0].at(0))));
  AdoptResult result;
  result.table = table;
  result.heads = tool == "alembic" ? alembic_heads(*w, d, table, scripts.graph(), where)
                                   : flyway_heads(*w, d, table, scripts, where);
  for (const auto& h : result.heads)
    w->exec(d.version_op_sql(t, graph::VersionOp{graph::VersionOp::kInsert, "", h}));
  const std::set<std::string> applied = applied_set(scripts.graph(), result.heads);
  const std::string by = util::user_at_host();
  const std::string now = util::iso8601_utc_millis(std::chrono::system_clock::now());
  for (const auto& id : parents_first(scripts.graph(), applied)) {
    w->exec(fmt::format(
        "INSERT INTO {} (revision, direction, checksum, started_at, duration_ms, applied_by, "
        "status) VALUES ({}, 'adopt', {}, {}, 0, {}, 'ok')",
        d.qualified(t, t.history_table), d.quote_literal(id),
        d.quote_literal(scripts.file(id).checksum()), d.quote_literal(now),
        d.quote_literal(by + " (from " + table + ")")));
  }
  result.applied = applied.size();
  w->commit();
  return result;
}

}  // namespace migrate::importer
