// End to end on the private PostgreSQL server: applied revision files checked
// against the history table's checksums, `validate --accept`, and failed
// non-transactional steps shown by `status`. Fails (never skips) when
// MIGRATE_TEST_PG_URL is not set.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <random>

#include "config/url.h"
#include "e2e/project_fixture.h"
#include "util/sha256.h"

using testsupport::contains;
using V = std::vector<std::string>;

namespace {

// A fresh database on the test server, dropped (WITH FORCE) on scope exit.
class TempPgDatabase {
 public:
  TempPgDatabase() {
    admin_url_ = testsupport::pg_url();
    REQUIRE_FALSE(admin_url_.empty());  // scripts/test.sh sets MIGRATE_TEST_PG_URL
    std::random_device rd;
    name_ = "migrate_ck_" + std::to_string(rd()) + std::to_string(rd() % 1000);
    admin_exec("CREATE DATABASE " + name_);
    url_ = migrate::config::parse_database_url(admin_url_).with_dbname(name_);
  }
  ~TempPgDatabase() {
    try {
      admin_exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
    }
  }
  TempPgDatabase(const TempPgDatabase&) = delete;
  TempPgDatabase& operator=(const TempPgDatabase&) = delete;

  const std::string& url() const { return url_; }

  // Rows of a query, each row's columns joined by "|" (NULL as "NULL").
  std::vector<std::string> rows(const std::string& sql) const {
    pqxx::connection c(url_);
    pqxx::nontransaction tx(c);
    std::vector<std::string> out;
    for (const auto& row : tx.exec(sql)) {
      std::string line;
      for (pqxx::row::size_type i = 0; i < row.size(); ++i) {
        if (i) line += "|";
        line += row[i].is_null() ? "NULL" : row[i].c_str();
      }
      out.push_back(line);
    }
    return out;
  }
  V version() const { return rows("SELECT version_num FROM migrate_version ORDER BY version_num"); }
  V tables() const {
    return rows(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\\_%' "
        "ORDER BY tablename");
  }
  int history_count() const { return std::stoi(rows("SELECT count(*) FROM migrate_history")[0]); }

 private:
  void admin_exec(const std::string& sql) const {
    pqxx::connection c(admin_url_);
    pqxx::nontransaction tx(c);
    tx.exec(sql);
  }
  std::string admin_url_, name_, url_;
};

testsupport::RunResult run(const e2e::Project& p, const TempPgDatabase& db,
                           std::vector<std::string> args) {
  args.insert(args.begin(), {"--url", db.url()});
  return p.run(args);
}

void touch_file(const std::string& path) {
  testsupport::write_file(path, testsupport::read_file(path) + "-- edited\n");
}

std::string file_sha(const std::string& path) {
  return migrate::util::sha256_hex(testsupport::read_file(path));
}

void add_pg_table_rev(const e2e::Project& p, const std::string& id, std::vector<std::string> down) {
  p.add({id, down, "CREATE TABLE t_" + id + " (id integer PRIMARY KEY);",
         "DROP TABLE t_" + id + ";"});
}

}  // namespace

TEST_CASE("pg: a changed applied file stops upgrade and downgrade until allowed or accepted",
          "[e2e][postgres][checksum]") {
  TempPgDatabase db;
  e2e::Project p;
  add_pg_table_rev(p, "a1", {});
  add_pg_table_rev(p, "b2", {"a1"});
  add_pg_table_rev(p, "c3", {"b2"});
  REQUIRE(run(p, db, {"upgrade", "a1"}).exit_code == 0);
  CHECK(db.rows("SELECT checksum FROM migrate_history") == V{file_sha(p.rev_path("a1"))});
  CHECK(run(p, db, {"validate"}).exit_code == 0);

  touch_file(p.rev_path("a1"));
  auto r = run(p, db, {"upgrade", "heads"});
  CHECK(r.exit_code == 1);
  INFO(r.err);
  CHECK(contains(r.err, "refusing to upgrade"));
  CHECK(contains(r.err, "revision a1 (" + p.rev_path("a1") + ") changed since it was applied on "));
  CHECK(db.version() == V{"a1"});
  CHECK(db.tables() == V{"t_a1"});
  CHECK(db.history_count() == 1);

  r = run(p, db, {"upgrade", "b2", "--allow-changed"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.err, "warning: revision a1 ("));
  CHECK(db.version() == V{"b2"});

  // Downgrade checks too.
  r = run(p, db, {"downgrade", "a1"});
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "refusing to downgrade"));
  CHECK(db.version() == V{"b2"});

  auto v = run(p, db, {"validate"});
  CHECK(v.exit_code == 3);
  CHECK(contains(v.out, "CHANGED: revision a1 ("));
  auto j = nlohmann::json::parse(run(p, db, {"validate", "--json"}).out);
  REQUIRE(j["problems"].size() == 1);
  CHECK(j["problems"][0]["revision"] == "a1");
  CHECK(j["checked"] == nlohmann::json::array({"a1", "b2"}));

  auto acc = run(p, db, {"validate", "--accept"});
  INFO(acc.err);
  CHECK(acc.exit_code == 0);
  CHECK(db.rows("SELECT revision, direction, checksum, status, applied_by <> '' FROM "
                "migrate_history WHERE direction = 'accept'") ==
        V{"a1|accept|" + file_sha(p.rev_path("a1")) + "|ok|t"});
  CHECK(run(p, db, {"validate"}).exit_code == 0);
  r = run(p, db, {"upgrade", "heads"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(db.version() == V{"c3"});

  // A deleted applied file.
  std::filesystem::remove(p.rev_path("c3"));
  v = run(p, db, {"validate"});
  CHECK(v.exit_code == 3);
  CHECK(contains(v.out, "MISSING: revision c3 is applied but has no file"));
  CHECK(run(p, db, {"upgrade", "heads"}).exit_code == 1);
}

TEST_CASE("pg: a failed non-transactional step is recorded and shown by status until re-run",
          "[e2e][postgres][checksum][status]") {
  TempPgDatabase db;
  e2e::Project p;
  add_pg_table_rev(p, "a1", {});
  p.add({"b2",
         {"a1"},
         "CREATE TABLE t_b (id integer);\nCREATE INDEX CONCURRENTLY t_b_x ON t_b (nope);",
         "DROP TABLE t_b;",
         {},
         {},
         "transactional: false"});
  REQUIRE(run(p, db, {"upgrade", "a1"}).exit_code == 0);
  REQUIRE(run(p, db, {"upgrade", "heads"}).exit_code == 1);
  CHECK(db.rows("SELECT revision, direction, status FROM migrate_history ORDER BY id") ==
        V{"a1|upgrade|ok", "b2|upgrade|failed"});

  auto s = run(p, db, {"status"});
  CHECK(s.exit_code == 0);
  CHECK(contains(s.out, "FAILED: upgrade b2 (non-transactional) at 20"));
  auto j = nlohmann::json::parse(run(p, db, {"status", "--json"}).out);
  REQUIRE(j["failed_steps"].size() == 1);
  CHECK(j["failed_steps"][0]["revision"] == "b2");
  CHECK(j["failed_steps"][0]["direction"] == "upgrade");
  auto ec = run(p, db, {"status", "--exit-code"});
  CHECK(ec.exit_code == 3);
  CHECK(contains(ec.err, "failed step is unresolved"));

  // Fixed (the file and the half-made table), then re-run.
  p.add({"b2",
         {"a1"},
         "CREATE TABLE t_b (id integer);\nCREATE INDEX CONCURRENTLY t_b_x ON t_b (id);",
         "DROP TABLE t_b;",
         {},
         {},
         "transactional: false"});
  db.rows("DROP TABLE t_b");
  auto r = run(p, db, {"upgrade", "heads"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  s = run(p, db, {"status", "--exit-code"});
  CHECK(s.exit_code == 0);
  CHECK_FALSE(contains(s.out, "FAILED"));
  CHECK(nlohmann::json::parse(run(p, db, {"status", "--json"}).out)["failed_steps"].empty());
}
