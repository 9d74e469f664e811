// One revision file (contract: "Revision files"): a `--` YAML header, then
// `-- migrate:upgrade` and `-- migrate:downgrade` sections.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "script/backfill_spec.h"

namespace migrate::script {

// `phase:` of a revision written by `revision --expand-contract` (contract:
// "Zero-downtime changes"); kNone for every other revision.
enum class Phase { kNone, kExpand, kBackfill, kContract };
const char* phase_name(Phase p);  // "expand", "backfill", "contract"; "" for kNone

struct RevisionFile {
  std::string path;  // as loaded; used in every error message
  std::string id;
  std::vector<std::string> down_revisions;  // empty = base (null)
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  std::string message;
  std::string created;
  bool transactional = true;
  // `lock_timeout:` / `statement_timeout:` (PostgreSQL time values, checked,
  // as written): this revision's steps use them instead of migrate.yaml's.
  std::optional<std::string> lock_timeout;
  std::optional<std::string> statement_timeout;
  Phase phase = Phase::kNone;  // `phase: expand|backfill|contract`
  // `backfill:` (only with `phase: backfill`): what the backfill engine
  // fills (script/backfill_spec.h). A backfill revision without one (the
  // planner's when there is nothing to fill) runs as an ordinary step.
  std::optional<BackfillSpec> backfill;
  // `max_rows_affected: N` (db/row_guards.h): no statement of its steps may
  // insert, update or delete more than N rows.
  std::optional<long long> max_rows_affected;

  std::string upgrade_sql;    // text between the markers, verbatim
  int upgrade_line = 0;       // 1-based file line of upgrade_sql's first line
  std::string downgrade_sql;  // text after the downgrade marker, verbatim
  int downgrade_line = 0;

  std::string content;           // the whole file, for the checksum
  std::string checksum() const;  // SHA-256 hex of `content`
};

// Parses a file's text. Throws migrate::Error "PATH:LINE: what is wrong" for:
// a missing or duplicated marker, markers out of order, a header line without
// `--`, bad YAML, a missing `revision`/`down_revision`, an unknown or
// duplicated key, a value of the wrong kind (a bad time value in
// `lock_timeout`/`statement_timeout` too; a `phase` other than expand,
// backfill or contract; a `backfill:` section without `phase: backfill`, or
// a bad one), a bad id (letters, digits, `_`,
// at most 64 characters; branch labels and depends_on entries follow the same
// rule). A line that starts like a marker (`-- migrate:...`, `--migrate:...`)
// but is not exactly one is an error too, so a typo cannot turn a section
// into a comment. A leading UTF-8 byte order mark is skipped; CRLF line ends
// are accepted.
RevisionFile parse_revision_text(const std::string& text, const std::string& path);
// The same, taking ownership of the text (no copy into `content`).
RevisionFile parse_revision_text(std::string&& text, const std::string& path);
// Reads the file (one open/read/close) and parses it.
RevisionFile parse_revision_file(const std::string& path);

bool is_valid_revision_id(const std::string& id);

// `head`, `heads`, `base` and `current` are targets: a revision id or a
// branch label spelled so would be read as the target by every command
// after it is written, so neither may be one. The error text, or "" when
// `name` is not reserved.
std::string reserved_name_problem(const std::string& name, const char* what);

}  // namespace migrate::script
