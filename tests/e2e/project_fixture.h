// A throwaway migrate project in a temp dir: `migrate init`, revision files
// written with known ids, and helpers to run the CLI and read the database.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/matchers.h"
#include "support/test_support.h"

namespace e2e {

struct Rev {
  std::string id;
  std::vector<std::string> down;  // empty = base
  std::string upgrade;
  std::string downgrade;
  std::vector<std::string> labels = {};
  std::vector<std::string> depends_on = {};
  std::string extra_header = "";  // e.g. "transactional: false"
};

inline std::string yaml_list(const std::vector<std::string>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s + "]";
}

class Project {
 public:
  explicit Project(const std::string& tmpl = "generic") {
    auto r = run({"init", "--template", tmpl, "migrations"});
    REQUIRE_THAT(r, testsupport::ExitedWith(0));
  }

  std::string path(const std::string& rel) const { return dir / rel; }
  std::string db() const { return dir / "app.db"; }
  std::string versions() const { return dir / "migrations/versions"; }

  testsupport::RunResult run(const std::vector<std::string>& args,
                             std::map<std::string, std::string> env = {}) const {
    return testsupport::run_migrate(dir.path(), args, env);
  }

  std::string rev_path(const std::string& id) const { return versions() + "/" + id + "_rev.sql"; }

  void add(const Rev& r) const {
    std::string down =
        r.down.empty() ? "null" : (r.down.size() == 1 ? r.down[0] : yaml_list(r.down));
    std::string text = "-- revision: " + r.id + "\n-- down_revision: " + down +
                       "\n-- branch_labels: " + yaml_list(r.labels) +
                       "\n-- depends_on: " + yaml_list(r.depends_on) + "\n-- message: rev " + r.id +
                       "\n-- created: 2026-11-23T10:00:00Z\n";
    if (!r.extra_header.empty()) text += "-- " + r.extra_header + "\n";
    text +=
        "\n-- migrate:upgrade\n" + r.upgrade + "\n\n-- migrate:downgrade\n" + r.downgrade + "\n";
    testsupport::write_file(rev_path(r.id), text);
  }

  // A revision that creates table t_<id> and drops it on the way down.
  void add_table_rev(const std::string& id, std::vector<std::string> down,
                     std::vector<std::string> labels = {},
                     std::vector<std::string> depends_on = {}) const {
    add({id, down, "CREATE TABLE t_" + id + " (id INTEGER PRIMARY KEY);",
         "DROP TABLE t_" + id + ";", labels, depends_on});
  }

  std::vector<std::string> rows(const std::string& sql) const {
    return testsupport::sqlite_rows(db(), sql);
  }
  // No rows when the table does not exist: a refused run creates none.
  std::vector<std::string> version() const {
    if (!std::filesystem::exists(db()) ||
        rows("SELECT count(*) FROM sqlite_master WHERE name = 'migrate_version'") ==
            std::vector<std::string>{"0"})
      return {};
    return rows("SELECT version_num FROM migrate_version ORDER BY version_num");
  }
  std::vector<std::string> tables() const {
    return rows(
        "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 't\\_%' ESCAPE '\\' "
        "ORDER BY name");
  }

  testsupport::TempDir dir;
};

}  // namespace e2e
