// The script directory: migrations/versions/*.sql loaded into RevisionFiles
// and a RevisionGraph, plus writing new revision files from the template.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/revision_graph.h"
#include "script/header_cache.h"
#include "script/revision_file.h"

namespace migrate::script {

class VersionsDir;  // script_directory.cpp

struct NewRevision {
  std::string message;
  std::optional<std::string> rev_id;        // else 12 random lowercase hex digits
  std::vector<std::string> down_revisions;  // resolved full ids; empty = base
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  std::string upgrade_sql;    // body to put in the upgrade section (may be empty)
  std::string downgrade_sql;  // body for the downgrade section
  // More header keys, as YAML lines without "-- " ("phase: expand"), put
  // after the template's header lines.
  std::vector<std::string> header_lines;
  // `created:` as written; empty = now. An imported revision keeps the
  // other tool's date.
  std::string created;
};

// The revision files of a script location and their graph.
//
// Loading takes each file's header from the header cache (header_cache.h)
// when the file's stat shows it unchanged, and reads and parses the others
// (then records them in the cache). So after load() only the headers are
// known for sure; a file's SQL is read on first use, by file() or files().
// Both check that the header read then is the one the graph was built from.
// Not thread-safe (the lazy reads mutate).
class ScriptDirectory {
 public:
  // How load() went, for tests and diagnostics.
  struct LoadStats {
    std::size_t files = 0;           // *.sql files in versions/
    std::size_t from_cache = 0;      // headers taken from the cache
    std::size_t parsed = 0;          // files read and parsed
    bool cache_written = false;      // the cache file was (re)written
    bool listed_from_cache = false;  // versions/ was not read: the cache's listing held
  };

  // Loads every *.sql in `script_location`/versions. Throws migrate::Error
  // for a missing directory (saying to run `migrate init`) and for any
  // parse or graph error (of the first bad file in name order). Uses the
  // header cache unless MIGRATE_NO_CACHE is set.
  static ScriptDirectory load(const std::string& script_location);
  // The same, with `read_ns` (wall-clock nanoseconds) as the moment the
  // files are taken to be read: the racy-entry rule of the header cache
  // counts from it. Tests pass a later moment to have fresh files trusted.
  static ScriptDirectory load(const std::string& script_location, std::int64_t read_ns);

  const std::string& location() const { return location_; }
  std::string versions_dir() const { return location_ + "/versions"; }
  const graph::RevisionGraph& graph() const { return graph_; }
  // The header fields of a revision (full id), without reading its file.
  const RevisionSummary& summary(const std::string& id) const;
  // In file-name order.
  const std::vector<RevisionSummary>& summaries() const { return summaries_; }
  // The whole file (full id): read and parsed on first use.
  const RevisionFile& file(const std::string& id) const;
  // Every file, in file-name order: reads those not read yet.
  const std::vector<RevisionFile>& files() const;
  const LoadStats& load_stats() const { return stats_; }

  // Fills script.sql.tmpl and writes versions/<id>_<slug>.sql. Returns the
  // path. Refuses a duplicate or invalid id.
  std::string write_revision(const NewRevision& rev) const;
  // Several revisions in a chain (an expand/contract plan's three): revs[i]
  // for i > 0 follows revs[i-1] (its down_revisions are set here). Every
  // file is rendered and checked before the first is written. Returns the
  // paths in order.
  std::vector<std::string> write_chain(std::vector<NewRevision> revs) const;
  // Several revisions of any shape (an imported graph), all or none: each
  // needs its rev_id, and its down_revisions must exist or come earlier in
  // `revs`. Every file is rendered and checked before the first is written.
  // Returns the paths in order.
  std::vector<std::string> write_revisions(const std::vector<NewRevision>& revs) const;

 private:
  struct Prepared {
    std::string id, path, text;
  };
  // The file `rev` becomes, checked; `pending` are ids about to be written
  // with it (parents it may name, ids it must not reuse).
  Prepared prepare(const NewRevision& rev, const std::vector<std::string>& pending) const;
  // Prepares every revision, then writes them all or none (`chain`: each
  // follows the one before).
  std::vector<std::string> write_prepared(std::vector<NewRevision> revs, bool chain) const;
  std::size_t index_of(const std::string& id) const;
  // Reads file i (must not be read yet) and checks its header.
  void read_file(std::size_t i) const;
  // Stores a freshly read file i after checking it against summaries_[i].
  void adopt(std::size_t i, RevisionFile&& file) const;

  std::string location_;
  // versions/, kept open after load() for the files read later.
  std::shared_ptr<const VersionsDir> dir_;
  // File i's name in versions/: the tail of its path, from name_at_.
  std::string_view name(std::size_t i) const {
    return std::string_view(summaries_[i].path).substr(name_at_);
  }
  std::size_t name_at_ = 0;
  std::vector<RevisionSummary> summaries_;
  graph::RevisionGraph graph_;
  LoadStats stats_;
  // files_[i] is valid when read_[i]; files_ is empty until a file is needed.
  mutable std::vector<RevisionFile> files_;
  mutable std::vector<char> read_;
  mutable std::size_t unread_ = 0;
};

// "Create accounts table!" -> "create_accounts_table" (at most 40 bytes).
// As Alembic's `\W` on Python 3: letters beyond ASCII are kept in UTF-8
// ("Café" -> "café"), never cut in half; Latin-1 and general punctuation
// (U+00A0-U+00BF, U+00D7, U+00F7, U+2000-U+206F: "—", "“") and bytes that
// are not UTF-8 separate words like ASCII punctuation.
std::string slugify(const std::string& message);
// 12 lowercase hex digits from a CSPRNG.
std::string generate_revision_id();

}  // namespace migrate::script
