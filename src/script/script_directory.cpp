#include "script/script_directory.h"

#include <dirent.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <algorithm>
#include <exception>
#include <system_error>
#include <thread>

#include "script/revision_header.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace migrate::script {

namespace {

// Below this many files a second thread costs more than it saves. The cap
// keeps thread start-up small next to the work on machines with many cores.
constexpr std::size_t kParallelThreshold = 256;
constexpr std::size_t kMaxThreads = 4;
constexpr std::size_t kMaxSlug = 40;

// An open directory, closed on every path out of a scope.
class OpenDir {
 public:
  explicit OpenDir(const std::string& path) : dir_(::opendir(path.c_str())) {}
  ~OpenDir() {
    if (dir_) ::closedir(dir_);
  }
  OpenDir(const OpenDir&) = delete;
  OpenDir& operator=(const OpenDir&) = delete;
  DIR* get() const { return dir_; }
  int fd() const { return ::dirfd(dir_); }

 private:
  DIR* dir_;
};

bool is_regular_file_at(int dir_fd, const char* name) {
  struct stat st {};
  return ::fstatat(dir_fd, name, &st, 0) == 0 && S_ISREG(st.st_mode);
}

// versions/*.sql sorted by name, so that loading (and every error message it
// can raise) is the same on every machine. Hidden files (editor backups such
// as `.#x.sql`) are skipped. readdir() rather than std::filesystem: no
// per-entry path objects or stat calls on the hot path of every command.
std::vector<std::string> list_sql_files(const OpenDir& dir) {
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(dir.get())) {
    std::string_view name = e->d_name;
    if (name.empty() || name[0] == '.' || !util::ends_with(name, ".sql")) continue;
    if (e->d_type == DT_REG) {
      names.emplace_back(name);
    } else if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) {
      // Some filesystems do not fill d_type; a symlink may point at a file.
      if (is_regular_file_at(dir.fd(), e->d_name)) names.emplace_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Parses every file, on several threads when there are many: on a small VM the
// open/read/close system calls, not the parsing, are most of the time, and
// they overlap well. Files are opened relative to the directory's descriptor
// (no path walk per file). On failure throws the error of the first failing
// file in name order, so that the message does not depend on thread timing.
std::vector<RevisionFile> parse_all(const OpenDir& dir, const std::string& dir_path,
                                    const std::vector<std::string>& names) {
  std::vector<RevisionFile> files(names.size());
  std::vector<std::exception_ptr> errors(names.size());
  const int dir_fd = dir.fd();
  auto work = [&](std::size_t first, std::size_t step) {
    for (std::size_t i = first; i < names.size(); i += step) {
      try {
        std::string path = dir_path + "/" + names[i];
        files[i] = parse_revision_text(util::read_file_at(dir_fd, names[i], path), path);
      } catch (...) {
        errors[i] = std::current_exception();
        return;  // later files of this stride cannot be the first error
      }
    }
  };
  // Threads take every n-th file (not a contiguous block), so each sees the
  // same mix of sizes and they finish together.
  std::size_t threads = 1;
  if (names.size() >= kParallelThreshold) {
    threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, kMaxThreads);
  }
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < threads; ++t) {
    try {
      helpers.emplace_back(work, t, threads);
    } catch (const std::system_error&) {
      work(t, threads);  // no thread to be had: do its share here
    }
  }
  work(0, threads);
  for (auto& h : helpers) h.join();
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  return files;
}

std::string flow_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += yaml_quote(items[i], /*in_flow_list=*/true);
  }
  return out + "]";
}

std::string down_revision_value(const std::vector<std::string>& ids) {
  if (ids.empty()) return "null";
  if (ids.size() == 1) return yaml_quote(ids[0]);
  return flow_list(ids);
}

// A message on one line: any run of whitespace holding a line break becomes
// one space (the header is line-based).
std::string one_line(const std::string& message) {
  std::string out;
  std::string_view m = util::trim(message);
  for (std::size_t i = 0; i < m.size();) {
    if (util::is_space(m[i])) {
      std::size_t j = i;
      bool breaks = false;
      while (j < m.size() && util::is_space(m[j])) {
        breaks = breaks || m[j] == '\n' || m[j] == '\r';
        ++j;
      }
      out += breaks ? std::string(" ") : std::string(m.substr(i, j - i));
      i = j;
    } else {
      out += m[i++];
    }
  }
  return out;
}

// The section body without trailing line breaks: the template supplies the
// line structure around ${upgrade} and ${downgrade}.
std::string body(const std::string& sql) {
  std::string_view s = sql;
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

// Replaces each known ${name} once, in a single left-to-right pass, so text
// inside a substituted value (an SQL body holding `${message}`, say) is never
// substituted again. Unknown ${...} are left as they are.
std::string fill_template(const std::string& tmpl, const std::map<std::string, std::string>& vars) {
  std::string out;
  out.reserve(tmpl.size() + 256);
  std::size_t i = 0;
  while (i < tmpl.size()) {
    if (tmpl.compare(i, 2, "${") == 0) {
      std::size_t close = tmpl.find('}', i + 2);
      if (close != std::string::npos) {
        auto it = vars.find(tmpl.substr(i + 2, close - i - 2));
        if (it != vars.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += tmpl[i++];
  }
  return out;
}

}  // namespace

ScriptDirectory ScriptDirectory::load(const std::string& script_location) {
  ScriptDirectory sd;
  sd.location_ = script_location;
  const std::string dir_path = sd.versions_dir();
  OpenDir dir(dir_path);
  if (!dir.get()) {
    throw Error(dir_path +
                ": no such directory; run `migrate init DIR` to create the migration "
                "environment, or fix script_location in migrate.yaml");
  }
  sd.files_ = parse_all(dir, dir_path, list_sql_files(dir));

  std::vector<graph::RevisionNode> nodes;
  nodes.reserve(sd.files_.size());
  for (std::size_t i = 0; i < sd.files_.size(); ++i) {
    const RevisionFile& f = sd.files_[i];
    auto [it, fresh] = sd.by_id_.emplace(f.id, i);
    if (!fresh) {
      throw Error("revision " + f.id + " is defined twice: in " + sd.files_[it->second].path +
                  " and in " + f.path);
    }
    nodes.push_back({f.id, f.down_revisions, f.branch_labels, f.depends_on, f.path});
  }
  sd.graph_ = graph::RevisionGraph(std::move(nodes));
  return sd;
}

const RevisionFile& ScriptDirectory::file(const std::string& id) const {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) throw Error("no revision file for revision '" + id + "'");
  return files_[it->second];
}

std::string ScriptDirectory::write_revision(const NewRevision& rev) const {
  std::string id;
  if (rev.rev_id) {
    id = *rev.rev_id;
    if (!is_valid_revision_id(id)) {
      throw Error("invalid revision id '" + id +
                  "': use letters, digits and _, at most 64 characters");
    }
    if (by_id_.count(id)) throw Error("revision id '" + id + "' already exists: " + file(id).path);
  } else {
    do {
      id = generate_revision_id();
    } while (by_id_.count(id));
  }

  // Ids and labels share one namespace in targets (`label@head`, `id@head`).
  for (const RevisionFile& f : files_) {
    for (const auto& label : f.branch_labels) {
      if (label == id) {
        throw Error("revision id '" + id + "' is already a branch label (in " + f.path + ")");
      }
      if (std::find(rev.branch_labels.begin(), rev.branch_labels.end(), label) !=
          rev.branch_labels.end()) {
        throw Error("branch label '" + label + "' is already used by revision " + f.id + " (" +
                    f.path + ")");
      }
    }
  }
  for (const auto& label : rev.branch_labels) {
    if (!is_valid_revision_id(label)) {
      throw Error("invalid branch label '" + label +
                  "': use letters, digits and _, at most 64 characters");
    }
    if (label == id || by_id_.count(label)) {
      throw Error("branch label '" + label + "' is also a revision id");
    }
  }
  for (std::size_t i = 0; i < rev.down_revisions.size(); ++i) {
    const std::string& parent = rev.down_revisions[i];
    if (!by_id_.count(parent)) throw Error("down revision '" + parent + "' does not exist");
    if (std::find(rev.down_revisions.begin(), rev.down_revisions.begin() + i, parent) !=
        rev.down_revisions.begin() + i) {
      throw Error("down revision '" + parent + "' is given twice");
    }
  }
  for (const auto& dep : rev.depends_on) {
    if (!is_valid_revision_id(dep)) throw Error("invalid depends_on entry '" + dep + "'");
  }

  const std::string tmpl_path = location_ + "/script.sql.tmpl";
  std::string tmpl;
  try {
    tmpl = util::read_file(tmpl_path);
  } catch (const Error& e) {
    throw Error(std::string(e.what()) +
                " (the template for new revisions; copy one from a `migrate list-templates` "
                "template)");
  }
  const std::map<std::string, std::string> vars = {
      {"revision", yaml_quote(id)},
      {"down_revision", down_revision_value(rev.down_revisions)},
      {"branch_labels", flow_list(rev.branch_labels)},
      {"depends_on", flow_list(rev.depends_on)},
      {"message", yaml_quote(one_line(rev.message))},
      {"created", util::iso8601_utc_now()},
      {"upgrade", body(rev.upgrade_sql)},
      {"downgrade", body(rev.downgrade_sql)},
  };
  const std::string text = fill_template(tmpl, vars);

  const std::string slug = slugify(rev.message);
  const std::string path = versions_dir() + "/" + id + (slug.empty() ? "" : "_" + slug) + ".sql";
  // Check the result before writing it: a broken script.sql.tmpl must fail
  // here, naming the template, not at the next command naming a new file.
  try {
    RevisionFile check = parse_revision_text(text, path);
    if (check.id != id || check.down_revisions != rev.down_revisions) {
      throw Error("it does not keep `revision: ${revision}` and `down_revision: ${down_revision}`");
    }
  } catch (const Error& e) {
    throw Error(tmpl_path + ": the template gives an invalid revision file: " + e.what());
  }
  util::write_new_file(path, text);
  return path;
}

std::string slugify(const std::string& message) {
  std::string slug;
  bool gap = false;
  for (char c : message) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      gap = !slug.empty();
      continue;
    }
    if (slug.size() + (gap ? 1 : 0) >= kMaxSlug) break;
    if (gap) slug += '_';
    gap = false;
    slug += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return slug;
}

std::string generate_revision_id() {
  unsigned char bytes[6];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    throw Error("cannot generate a revision id: RAND_bytes failed");
  static const char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 0xf];
  }
  return id;
}

}  // namespace migrate::script
