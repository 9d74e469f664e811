#include "script/revision_file.h"

#include <cstring>
#include <optional>
#include <string_view>

#include "config/duration.h"
#include "config/strict_yaml.h"
#include "script/revision_header.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace migrate::script {

namespace {

constexpr std::string_view kUpgradeMarker = "-- migrate:upgrade";
constexpr std::string_view kDowngradeMarker = "-- migrate:downgrade";
// The header keys, in the order the contract lists them.
enum Key {
  kRevision,
  kDownRevision,
  kBranchLabels,
  kDependsOn,
  kMessage,
  kCreated,
  kTransactional,
  kLockTimeout,
  kStatementTimeout,
  kPhase,
  kBackfill,
  kMaxRowsAffected,
  kKeyCount
};
constexpr std::string_view kKeyNames[kKeyCount] = {
    "revision",          "down_revision", "branch_labels", "depends_on",
    "message",           "created",       "transactional", "lock_timeout",
    "statement_timeout", "phase",         "backfill",      "max_rows_affected"};
constexpr std::string_view kKnownKeys =
    "revision, down_revision, branch_labels, depends_on, message, created, transactional, "
    "lock_timeout, statement_timeout, phase, backfill, max_rows_affected";

int key_index(std::string_view key) {
  for (int k = 0; k < kKeyCount; ++k) {
    if (key == kKeyNames[k]) return k;
  }
  return -1;
}

std::string at(const std::string& path, int line) { return path + ":" + std::to_string(line); }

enum class LineKind { kOther, kUpgrade, kDowngrade, kBadMarker };

// A marker is exactly `-- migrate:upgrade` / `-- migrate:downgrade` (trailing
// whitespace allowed). Anything else that starts like one (`--migrate:`,
// `-- migrate: upgrade`, `-- migrate:upgrad`) is reported, not taken for
// a comment, except the statement directives `-- migrate:lint-ignore ...`,
// `-- migrate:expect-rows ...` and `-- migrate:not-converted ...`.
LineKind classify(std::string_view line) {
  if (line.size() < 10 || line[0] != '-' || line[1] != '-') return LineKind::kOther;
  std::string_view t = util::trim_right(line);
  if (t == kUpgradeMarker) return LineKind::kUpgrade;
  if (t == kDowngradeMarker) return LineKind::kDowngrade;
  std::string_view rest = util::trim(t.substr(2));
  if (!util::starts_with(rest, "migrate:")) return LineKind::kOther;
  // Statement directives (a word, then a space or the end): comments to the
  // database, read by the linter and the row guards.
  for (std::string_view directive :
       {"migrate:lint-ignore", "migrate:expect-rows", "migrate:not-converted"}) {
    if (util::starts_with(rest, directive) &&
        (rest.size() == directive.size() || rest[directive.size()] == ' ' ||
         rest[directive.size()] == '\t'))
      return LineKind::kOther;
  }
  return LineKind::kBadMarker;
}

struct Layout {
  std::vector<std::string_view> header;      // `--` stripped; index i = line i+1
  int first_bad_header_line = 0;             // a header line without `--`
  int upgrade_line = 0, downgrade_line = 0;  // marker lines
  std::size_t upgrade_begin = 0, upgrade_end = 0, downgrade_begin = 0;  // offsets
};

// One pass over the lines: the header lines, the markers and the sections'
// offsets. Marker errors are thrown here; a bad header line only after we
// know the markers are right (a file without markers would otherwise be
// reported as a bad header at its first SQL line).
Layout scan(std::string_view text, std::size_t start, const std::string& path) {
  Layout l;
  l.header.reserve(8);
  int line_no = 0;
  std::size_t pos = start;
  while (pos < text.size() || (pos == text.size() && line_no == 0)) {
    ++line_no;
    const char* nl =
        static_cast<const char*>(std::memchr(text.data() + pos, '\n', text.size() - pos));
    std::size_t end = nl ? static_cast<std::size_t>(nl - text.data()) : text.size();
    std::size_t next = nl ? end + 1 : text.size();
    std::string_view line = text.substr(pos, end - pos);
    switch (classify(line)) {
      case LineKind::kUpgrade:
        if (l.upgrade_line) {
          throw Error(at(path, line_no) +
                      ": a second `-- migrate:upgrade` line (the first is line " +
                      std::to_string(l.upgrade_line) + ")");
        }
        l.upgrade_line = line_no;
        l.upgrade_begin = next;
        break;
      case LineKind::kDowngrade:
        if (l.downgrade_line) {
          throw Error(at(path, line_no) +
                      ": a second `-- migrate:downgrade` line (the first is line " +
                      std::to_string(l.downgrade_line) + ")");
        }
        if (!l.upgrade_line) {
          throw Error(at(path, line_no) +
                      ": `-- migrate:downgrade` before any `-- migrate:upgrade` line; the upgrade "
                      "section comes first");
        }
        l.downgrade_line = line_no;
        l.upgrade_end = pos;
        l.downgrade_begin = next;
        break;
      case LineKind::kBadMarker:
        throw Error(at(path, line_no) + ": '" + std::string(util::trim(line)) +
                    "' is not a marker; a marker line is exactly `-- migrate:upgrade` or "
                    "`-- migrate:downgrade`");
      case LineKind::kOther:
        if (!l.upgrade_line) {
          std::string_view t = util::trim_right(line);  // also drops a CR
          if (t.empty()) {
            l.header.emplace_back();
          } else if (t.size() >= 2 && t[0] == '-' && t[1] == '-') {
            t.remove_prefix(t.size() > 2 && t[2] == ' ' ? 3 : 2);
            l.header.push_back(t);
          } else {
            if (!l.first_bad_header_line) l.first_bad_header_line = line_no;
            l.header.emplace_back();
          }
        }
        break;
    }
    if (!nl) break;
    pos = next;
  }
  if (!l.upgrade_line) {
    throw Error(at(path, line_no) +
                ": no `-- migrate:upgrade` line (every revision file has "
                "`-- migrate:upgrade` and then `-- migrate:downgrade`)");
  }
  if (!l.downgrade_line) {
    throw Error(at(path, line_no) +
                ": no `-- migrate:downgrade` line after `-- migrate:upgrade` (line " +
                std::to_string(l.upgrade_line) + "); an empty downgrade section is allowed");
  }
  if (l.first_bad_header_line) {
    throw Error(at(path, l.first_bad_header_line) +
                ": a header line must begin with `--` (the header is everything before "
                "`-- migrate:upgrade`)");
  }
  return l;
}

// Whether `s` is one of the spellings of a boolean that yaml-cpp's
// as<bool>() accepts, minus the one-letter y/n.
std::optional<bool> to_bool(const std::string& s) {
  static const char* const kTrue[] = {"true", "True", "TRUE", "yes", "Yes",
                                      "YES",  "on",   "On",   "ON"};
  static const char* const kFalse[] = {"false", "False", "FALSE", "no", "No",
                                       "NO",    "off",   "Off",   "OFF"};
  for (const char* t : kTrue) {
    if (s == t) return true;
  }
  for (const char* f : kFalse) {
    if (s == f) return false;
  }
  return std::nullopt;
}

// Turns the neutral header entries into RevisionFile fields; the one place
// that knows what each key means.
class HeaderReader {
 public:
  HeaderReader(RevisionFile& rev, const std::string& path) : rev_(rev), path_(path) {}

  void read(const std::vector<HeaderEntry>& entries) {
    int lines[kKeyCount] = {};  // where each key was seen; 0 = not yet
    for (const HeaderEntry& e : entries) {
      int k = key_index(e.key);
      if (k < 0) {
        fail(e, "unknown header key `" + e.key + "` (known keys: " + std::string(kKnownKeys) + ")");
      }
      if (lines[k]) {
        fail(e, "duplicate key `" + e.key + "` (first at line " + std::to_string(lines[k]) + ")");
      }
      lines[k] = e.line;
      if (e.value.kind == HeaderValue::kMapping && k != kBackfill)
        fail(e, "`" + e.key + "` must be a value or a list, not a mapping");
      read_entry(static_cast<Key>(k), e);
    }
    if (lines[kBackfill] && rev_.phase != Phase::kBackfill)
      throw Error(at(path_, lines[kBackfill]) +
                  ": `backfill:` belongs to a `phase: backfill` revision only");
    if (!lines[kRevision]) throw Error(at(path_, 1) + ": the header has no `revision`");
    if (!lines[kDownRevision]) {
      throw Error(at(path_, lines[kRevision]) +
                  ": the header has no `down_revision` (write `down_revision: null` for a "
                  "revision with no parent)");
    }
  }

 private:
  [[noreturn]] void fail(const HeaderEntry& e, const std::string& what) const {
    throw Error(at(path_, e.line) + ": " + what);
  }

  void read_entry(Key key, const HeaderEntry& e) {
    switch (key) {
      case kRevision:
        if (e.value.kind != HeaderValue::kScalar) fail(e, "`revision` must be one id");
        rev_.id = checked_id(e, e.value.scalar, "revision id");
        break;
      case kDownRevision:
        rev_.down_revisions = ids(e, "revision id");
        for (std::size_t i = 0; i < rev_.down_revisions.size(); ++i) {
          for (std::size_t j = 0; j < i; ++j) {
            if (rev_.down_revisions[i] == rev_.down_revisions[j]) {
              fail(e, "`down_revision` lists '" + rev_.down_revisions[i] + "' twice");
            }
          }
        }
        break;
      case kBranchLabels:
        rev_.branch_labels = ids(e, "branch label");
        break;
      case kDependsOn:
        rev_.depends_on = ids(e, "depends_on entry");
        break;
      case kMessage:
        rev_.message = text(e);
        break;
      case kCreated:
        rev_.created = text(e);
        break;
      case kTransactional: {
        std::optional<bool> b;
        if (e.value.kind == HeaderValue::kScalar) b = to_bool(e.value.scalar);
        if (!b) fail(e, "`transactional` must be true or false");
        rev_.transactional = *b;
        break;
      }
      case kLockTimeout:
        rev_.lock_timeout = duration(e);
        break;
      case kStatementTimeout:
        rev_.statement_timeout = duration(e);
        break;
      case kPhase: {
        const std::string p = e.value.kind == HeaderValue::kScalar ? e.value.scalar : "";
        if (p == "expand")
          rev_.phase = Phase::kExpand;
        else if (p == "backfill")
          rev_.phase = Phase::kBackfill;
        else if (p == "contract")
          rev_.phase = Phase::kContract;
        else
          fail(e,
               "`phase` must be expand, backfill or contract (revisions written by "
               "`migrate revision --expand-contract`)");
        break;
      }
      case kBackfill:
        if (e.value.kind != HeaderValue::kMapping)
          fail(e, "`backfill` must be a mapping (table, key, set, where, ...)");
        rev_.backfill = parse_backfill_spec(e.value.scalar, path_, e.line);
        break;
      case kMaxRowsAffected:
        rev_.max_rows_affected = row_count(e);
        break;
      case kKeyCount:
        break;
    }
  }

  std::string checked_id(const HeaderEntry& e, const std::string& id, const char* what) const {
    if (!is_valid_revision_id(id)) {
      fail(e, "invalid " + std::string(what) + " '" + id + "' in `" + e.key +
                  "` (letters, digits and _, at most 64 characters)");
    }
    if (std::string why = reserved_name_problem(id, what); !why.empty()) fail(e, why);
    return id;
  }

  // null, one value, or a list of values.
  std::vector<std::string> ids(const HeaderEntry& e, const char* what) const {
    std::vector<std::string> out;
    if (e.value.kind == HeaderValue::kScalar) {
      out.push_back(checked_id(e, e.value.scalar, what));
    } else if (e.value.kind == HeaderValue::kList) {
      for (const HeaderScalar& item : e.value.items) {
        if (item.is_null) fail(e, "`" + e.key + "` holds a null item");
        out.push_back(checked_id(e, item.text, what));
      }
    }
    return out;
  }

  // A PostgreSQL time value (config/duration.h), kept as written.
  std::string duration(const HeaderEntry& e) const {
    if (e.value.kind != HeaderValue::kScalar || !config::parse_duration(e.value.scalar))
      fail(e,
           config::bad_duration_message(e.key, e.value.kind == HeaderValue::kScalar ? e.value.scalar
                                               : e.value.kind == HeaderValue::kNull ? "null"
                                                                                    : "a list"));
    return std::string(util::trim(e.value.scalar));
  }

  // A non-negative integer (a row guard's bound, db/row_guards.h).
  long long row_count(const HeaderEntry& e) const {
    const std::string& s = e.value.scalar;
    bool ok = e.value.kind == HeaderValue::kScalar && !s.empty() && s.size() <= 18 &&
              s.find_first_not_of("0123456789") == std::string::npos;
    if (!ok) fail(e, "`" + e.key + "` must be a whole number of rows (0 or more)");
    return std::stoll(s);
  }

  std::string text(const HeaderEntry& e) const {
    if (e.value.kind == HeaderValue::kList) fail(e, "`" + e.key + "` must be text, not a list");
    return e.value.scalar;
  }

  RevisionFile& rev_;
  const std::string& path_;
};

}  // namespace

const char* phase_name(Phase p) {
  switch (p) {
    case Phase::kExpand:
      return "expand";
    case Phase::kBackfill:
      return "backfill";
    case Phase::kContract:
      return "contract";
    case Phase::kNone:
      break;
  }
  return "";
}

std::string RevisionFile::checksum() const { return util::sha256_hex(content); }

bool is_valid_revision_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string reserved_name_problem(const std::string& name, const char* what) {
  for (const char* word : {"head", "heads", "base", "current"}) {
    if (name == word) {
      return std::string(what) + " '" + name +
             "' is a target keyword (head, heads, base, current): every command would read it as "
             "the keyword; choose another name";
    }
  }
  return "";
}

RevisionFile parse_revision_text(std::string&& text, const std::string& path) {
  RevisionFile rev;
  rev.path = path;
  rev.content = std::move(text);
  std::string_view body = rev.content;
  // Editors on some systems prepend a UTF-8 byte order mark; it is not text.
  std::size_t start = util::starts_with(body, "\xEF\xBB\xBF") ? 3 : 0;
  Layout layout = scan(body, start, path);

  // Bytes no header may hold (NUL, controls, invalid UTF-8) are refused
  // before either reader sees them: the fast reader would pass them on.
  config::check_yaml_text(body.substr(start, layout.upgrade_begin - start), path);
  std::optional<std::vector<HeaderEntry>> entries = parse_header_fast(layout.header);
  if (!entries) entries = parse_header_yaml(layout.header, path);
  HeaderReader(rev, path).read(*entries);

  rev.upgrade_sql =
      std::string(body.substr(layout.upgrade_begin, layout.upgrade_end - layout.upgrade_begin));
  rev.upgrade_line = layout.upgrade_line + 1;
  rev.downgrade_sql = std::string(body.substr(layout.downgrade_begin));
  rev.downgrade_line = layout.downgrade_line + 1;
  return rev;
}

RevisionFile parse_revision_text(const std::string& text, const std::string& path) {
  return parse_revision_text(std::string(text), path);
}

RevisionFile parse_revision_file(const std::string& path) {
  return parse_revision_text(util::read_file(path), path);
}

}  // namespace migrate::script
