// The script directory: migrations/versions/*.sql loaded into RevisionFiles
// and a RevisionGraph, plus writing new revision files from the template.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "graph/revision_graph.h"
#include "script/revision_file.h"

namespace migrate::script {

struct NewRevision {
  std::string message;
  std::optional<std::string> rev_id;        // else 12 random lowercase hex digits
  std::vector<std::string> down_revisions;  // resolved full ids; empty = base
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  std::string upgrade_sql;    // body to put in the upgrade section (may be empty)
  std::string downgrade_sql;  // body for the downgrade section
};

class ScriptDirectory {
 public:
  // Loads every *.sql in `script_location`/versions. Throws migrate::Error
  // for a missing directory (saying to run `migrate init`) and for any
  // parse or graph error.
  static ScriptDirectory load(const std::string& script_location);

  const std::string& location() const { return location_; }
  std::string versions_dir() const { return location_ + "/versions"; }
  const graph::RevisionGraph& graph() const { return graph_; }
  const RevisionFile& file(const std::string& id) const;  // full id
  const std::vector<RevisionFile>& files() const { return files_; }

  // Fills script.sql.tmpl and writes versions/<id>_<slug>.sql. Returns the
  // path. Refuses a duplicate or invalid id.
  std::string write_revision(const NewRevision& rev) const;

 private:
  std::string location_;
  std::vector<RevisionFile> files_;
  std::map<std::string, std::size_t> by_id_;
  graph::RevisionGraph graph_;
};

// "Create accounts table!" -> "create_accounts_table" (at most 40 chars).
std::string slugify(const std::string& message);
// 12 lowercase hex digits from a CSPRNG.
std::string generate_revision_id();

}  // namespace migrate::script
