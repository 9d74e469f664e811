// What `migrate import` reads from another tool's project, before it becomes
// revision files: one ImportedRevision per revision, in an order where every
// parent comes before its children.
#pragma once

#include <string>
#include <vector>

#include "script/script_directory.h"

namespace migrate::importer {

// One direction of an imported revision.
struct ImportedSection {
  std::string sql;      // converted SQL (statements end with ';')
  std::string problem;  // why it could not be converted; empty when it was
  // Where the problem is in the other tool's file (1-based; 0 = unknown).
  int line = 0;
  // The other tool's code for this direction (Alembic: the Python
  // function), kept as comments for whoever writes the step by hand.
  std::string source;
};

struct ImportedRevision {
  std::string id;
  std::vector<std::string> down_revisions;
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  std::string message;
  std::string created;  // as the other tool recorded it; empty = unknown
  std::string origin;   // the other tool's file, for messages
  ImportedSection upgrade, downgrade;
  bool transactional = true;
  // The downgrade does nothing (Flyway: no undo file): reported at import,
  // since `downgrade` past it would leave its changes in place.
  bool no_downgrade = false;
  // Facts worth a line of output that do not make the revision wrong
  // ("runs outside a transaction: autocommit_block()").
  std::vector<std::string> notes;
};

struct ImportedProject {
  std::string tool;    // "alembic", "flyway"
  std::string source;  // the folder read
  std::vector<ImportedRevision> revisions;
  // What was seen and not imported (Flyway's repeatable migrations).
  std::vector<std::string> skipped;
};

// The directive that marks a section that could not be converted. `migrate
// lint` reports it as an error (rule not-converted), so `upgrade` refuses
// the revision until someone writes the step by hand and removes the line.
inline constexpr const char* kNotConvertedDirective = "-- migrate:not-converted";

// The section's text for the revision file: the SQL, or, when there is a
// problem, the directive naming it, the other tool's code as comments, and
// a statement that fails on both dialects, so that even with lint turned
// off the step cannot pass for done. `direction` is "upgrade" or
// "downgrade", `tool` e.g. "Alembic".
std::string section_text(const ImportedSection& s, const ImportedRevision& rev,
                         const std::string& direction, const std::string& tool);

// The revision as a script::NewRevision, ready for write_revisions().
script::NewRevision to_new_revision(const ImportedRevision& rev, const std::string& tool);

// True when a section of `rev` could not be converted.
bool has_problem(const ImportedRevision& rev);

}  // namespace migrate::importer
