#include "script/script_directory.h"

#include <dirent.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <exception>
#include <system_error>
#include <thread>

#include "script/revision_header.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace migrate::script {

// The open versions/ directory, closed with the last ScriptDirectory (or
// scope) that holds it. Files are opened relative to it: no walk of the
// whole path per file.
class VersionsDir {
 public:
  explicit VersionsDir(const std::string& path) : dir_(::opendir(path.c_str())) {}
  ~VersionsDir() {
    if (dir_) ::closedir(dir_);
  }
  VersionsDir(const VersionsDir&) = delete;
  VersionsDir& operator=(const VersionsDir&) = delete;
  DIR* get() const { return dir_; }
  int fd() const { return ::dirfd(dir_); }

 private:
  DIR* dir_;
};

namespace {

// Below this many files a second thread costs more than it saves. The cap
// keeps thread start-up small next to the work on machines with many cores.
constexpr std::size_t kParallelThreshold = 256;
constexpr std::size_t kMaxThreads = 4;
constexpr std::size_t kMaxSlug = 40;

bool is_regular_file_at(int dir_fd, const char* name) {
  struct stat st {};
  return ::fstatat(dir_fd, name, &st, 0) == 0 && S_ISREG(st.st_mode);
}

// "versions_dir/name", built in one allocation: the path every loaded file
// keeps (RevisionSummary::path), whose tail is its name.
std::string join_path(const std::string& dir_path, std::string_view name) {
  std::string path;
  path.reserve(dir_path.size() + 1 + name.size());
  path += dir_path;
  path += '/';
  path += name;
  return path;
}

// A *.sql file of versions/ and, when the cache is on, its stat. The name
// is the tail of the path, from `name_at` (the same for every file): one
// string per file, not two.
struct Listed {
  std::string path;
  unsigned char type = DT_UNKNOWN;  // readdir's d_type
  bool stamped = false;
  FileStamp stamp;
  const char* name(std::size_t name_at) const { return path.c_str() + name_at; }
};

// Runs fn(first, step) over `count` items on up to kMaxThreads threads
// (this one included) when there are at least kParallelThreshold items:
// thread t takes items t, t+step, ... so that each sees the same mix.
template <typename Fn>
void in_parallel(std::size_t count, Fn fn) {
  std::size_t threads = 1;
  if (count >= kParallelThreshold) {
    threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, kMaxThreads);
  }
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < threads; ++t) {
    try {
      helpers.emplace_back(fn, t, threads);
    } catch (const std::system_error&) {
      fn(t, threads);  // no thread to be had: do its share here
    }
  }
  fn(0, threads);
  for (auto& h : helpers) h.join();
}

// versions/*.sql sorted by name, so that loading (and every error message it
// can raise) is the same on every machine. Hidden files (editor backups such
// as `.#x.sql`) are skipped. readdir() rather than std::filesystem: no
// per-entry path objects on the hot path of every command. With `stamp`,
// every file is stat'ed (for the header cache; on several threads, as stat
// calls are most of the time of a cached load); else only those readdir
// cannot type.
std::vector<Listed> list_sql_files(const VersionsDir& dir, const std::string& dir_path,
                                   bool stamp) {
  const std::size_t at = dir_path.size() + 1;
  std::vector<Listed> all;
  while (const dirent* e = ::readdir(dir.get())) {
    std::string_view name = e->d_name;
    if (name.empty() || name[0] == '.' || !util::ends_with(name, ".sql")) continue;
    // Some filesystems do not fill d_type; a symlink may point at a file.
    if (e->d_type != DT_REG && e->d_type != DT_UNKNOWN && e->d_type != DT_LNK) continue;
    Listed l;
    l.path = join_path(dir_path, name);
    l.type = e->d_type;
    all.push_back(std::move(l));
  }
  in_parallel(all.size(), [&](std::size_t first, std::size_t step) {
    for (std::size_t i = first; i < all.size(); i += step) {
      Listed& l = all[i];
      if (stamp) {
        l.stamped = stamp_file_at(dir.fd(), l.name(at), l.stamp);
      } else if (l.type != DT_REG && is_regular_file_at(dir.fd(), l.name(at))) {
        l.type = DT_REG;
      }
    }
  });
  std::vector<Listed> out;
  out.reserve(all.size());
  for (Listed& l : all) {
    // A DT_REG file is kept even when its stat failed: reading it says why.
    if (l.type == DT_REG || l.stamped) out.push_back(std::move(l));
  }
  // Same prefix everywhere: the order of the paths is the order of the names.
  std::sort(out.begin(), out.end(),
            [](const Listed& a, const Listed& b) { return a.path < b.path; });
  return out;
}

// The listing as the header cache recorded it (names in order), when
// listing_unchanged() says versions/ is as it was then: every file is
// stat'ed, as list_sql_files does. False (and `out` unusable) when one no
// longer stats as a regular file (a symlink whose target went away leaves
// the directory as it was): the caller lists the directory instead.
bool list_from_cache(const VersionsDir& dir, const std::string& dir_path, const HeaderCache& cache,
                     std::vector<Listed>& out) {
  const std::size_t at = dir_path.size() + 1;
  const std::size_t n = cache.size();
  out.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i].path = join_path(dir_path, cache.name(i));
    out[i].type = DT_REG;
  }
  std::atomic<bool> all{true};
  in_parallel(n, [&](std::size_t first, std::size_t step) {
    bool ok = true;
    for (std::size_t i = first; i < n && ok; i += step) {
      Listed& l = out[i];
      ok = l.stamped = stamp_file_at(dir.fd(), l.name(at), l.stamp);
    }
    if (!ok) all = false;
  });
  return all;
}

// Parses the files `which` (indexes into `summaries`, whose paths are set),
// on several threads when there are many: on a small VM the open/read/close
// system calls, not the parsing, are most of the time, and they overlap
// well. Files are opened relative to the directory's descriptor (no path
// walk per file), by the name at `name_at` in each path. Fills files[k] or
// errors[k] for which[k].
void parse_some(int dir_fd, std::size_t name_at, const std::vector<RevisionSummary>& summaries,
                const std::vector<std::size_t>& which, std::vector<RevisionFile>& files,
                std::vector<std::exception_ptr>& errors) {
  files.assign(which.size(), RevisionFile{});
  errors.assign(which.size(), nullptr);
  auto work = [&](std::size_t first, std::size_t step) {
    for (std::size_t k = first; k < which.size(); k += step) {
      try {
        const std::string& path = summaries[which[k]].path;
        files[k] =
            parse_revision_text(util::read_file_at(dir_fd, path.c_str() + name_at, path), path);
      } catch (...) {
        // Go on: the good files after a bad one are still worth caching.
        errors[k] = std::current_exception();
      }
    }
  };
  in_parallel(which.size(), work);
}

// The first error in `which` order (= name order), if any.
void rethrow_first(const std::vector<std::exception_ptr>& errors) {
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
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
// substituted again. An unknown ${...} in the template (`${mesage}`) is
// refused, naming `path` and its line: copied as written it would become a
// revision's message or SQL unnoticed.
std::string fill_template(const std::string& tmpl, const std::map<std::string, std::string>& vars,
                          const std::string& path) {
  std::string out;
  out.reserve(tmpl.size() + 256);
  std::size_t i = 0;
  while (i < tmpl.size()) {
    if (tmpl.compare(i, 2, "${") == 0) {
      std::size_t close = tmpl.find('}', i + 2);
      if (close != std::string::npos) {
        auto it = vars.find(tmpl.substr(i + 2, close - i - 2));
        if (it == vars.end()) {
          throw Error(path + ":" +
                      std::to_string(1 + std::count(tmpl.begin(), tmpl.begin() + i, '\n')) +
                      ": unknown placeholder " + tmpl.substr(i, close + 1 - i) +
                      " in the template for new revisions (the placeholders are ${revision}, "
                      "${down_revision}, ${branch_labels}, ${depends_on}, ${message}, "
                      "${created}, ${upgrade} and ${downgrade})");
        }
        out += it->second;
        i = close + 1;
        continue;
      }
    }
    out += tmpl[i++];
  }
  return out;
}

}  // namespace

ScriptDirectory ScriptDirectory::load(const std::string& script_location) {
  // Before any file is stat'ed or read: entries changed after this moment
  // minus the racy window are not trusted next time.
  return load(script_location, wall_clock_ns());
}

ScriptDirectory ScriptDirectory::load(const std::string& script_location, std::int64_t read_ns) {
  ScriptDirectory sd;
  sd.location_ = script_location;
  const std::string dir_path = sd.versions_dir();
  auto dir_handle = std::make_shared<const VersionsDir>(dir_path);
  const VersionsDir& dir = *dir_handle;
  if (!dir.get()) {
    throw Error(dir_path +
                ": no such directory; run `migrate init DIR` to create the migration "
                "environment, or fix script_location in migrate.yaml");
  }
  const bool use_cache = !HeaderCache::disabled_by_environment();
  // The directory's own stamp, before it is listed: an entry added or
  // removed from now on changes it.
  FileStamp dir_stamp;
  const bool have_dir_stamp = use_cache && stamp_dir(dir.fd(), dir_stamp);
  HeaderCache cache;
  try {
    cache = HeaderCache::open(script_location);
  } catch (...) {
    cache = HeaderCache();  // out of memory: run without it
  }
  // When versions/ is as the cache saw it, its listing is the cache's: no
  // readdir of 10,000 entries and no sort (a third of a cached load).
  std::vector<Listed> listed;
  const bool listed_from_cache = have_dir_stamp && cache.listing_unchanged(dir_stamp) &&
                                 list_from_cache(dir, dir_path, cache, listed);
  if (!listed_from_cache) listed = list_sql_files(dir, dir_path, use_cache);

  const std::size_t n = listed.size();
  sd.name_at_ = dir_path.size() + 1;
  sd.summaries_.resize(n);
  std::vector<std::size_t> misses;
  for (std::size_t i = 0; i < n; ++i) {
    RevisionSummary& sum = sd.summaries_[i];
    sum.path = std::move(listed[i].path);  // find() keeps it
    if (!listed[i].stamped || !cache.find(sd.name(i), listed[i].stamp, sum)) misses.push_back(i);
  }

  std::vector<RevisionFile> parsed;
  std::vector<std::exception_ptr> errors;
  parse_some(dir.fd(), sd.name_at_, sd.summaries_, misses, parsed, errors);
  sd.read_.assign(n, 0);
  sd.unread_ = n;
  if (!misses.empty()) sd.files_.resize(n);
  for (std::size_t k = 0; k < misses.size(); ++k) {
    if (errors[k]) continue;
    const std::size_t i = misses[k];
    sd.summaries_[i] = RevisionSummary::of(parsed[k]);
    sd.files_[i] = std::move(parsed[k]);
    sd.read_[i] = 1;
    --sd.unread_;
  }
  sd.stats_.files = n;
  sd.stats_.parsed = misses.size();
  sd.stats_.from_cache = n - misses.size();
  sd.stats_.listed_from_cache = listed_from_cache;

  // Rewrite the cache when it does not hold exactly the files just seen,
  // each trusted, or could not vouch for the listing: before throwing any
  // parse error, so that the good files stay cached while the bad one is
  // being fixed.
  if (cache.enabled() && (!misses.empty() || cache.size() != n || !cache.loaded() ||
                          (have_dir_stamp && !listed_from_cache))) {
    std::vector<HeaderCache::Entry> entries;
    entries.reserve(n);
    std::size_t k = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const bool missed = k < misses.size() && misses[k] == i;
      const bool failed = missed && errors[k];
      if (missed) ++k;
      if (failed || !listed[i].stamped || sd.summaries_[i].id.empty()) continue;
      entries.push_back({std::string(sd.name(i)), listed[i].stamp, sd.summaries_[i]});
    }
    // The listing is recorded only when every file is in the cache.
    const bool complete = have_dir_stamp && entries.size() == n;
    sd.stats_.cache_written =
        cache.save(std::move(entries), read_ns, complete ? &dir_stamp : nullptr);
  }
  rethrow_first(errors);

  std::vector<graph::RevisionNode> nodes;
  nodes.reserve(n);
  for (const RevisionSummary& f : sd.summaries_) {
    nodes.push_back({f.id, f.down_revisions, f.branch_labels, f.depends_on, f.path});
  }
  // Rejects a revision defined twice, naming both files. Its node order is
  // ours: position(id) is the file's index.
  sd.graph_ = graph::RevisionGraph(std::move(nodes));
  sd.dir_ = std::move(dir_handle);
  return sd;
}

std::size_t ScriptDirectory::index_of(const std::string& id) const {
  std::size_t i = graph_.position(id);
  if (i == graph::RevisionGraph::npos) throw Error("no revision file for revision '" + id + "'");
  return i;
}

const RevisionSummary& ScriptDirectory::summary(const std::string& id) const {
  return summaries_[index_of(id)];
}

void ScriptDirectory::adopt(std::size_t i, RevisionFile&& file) const {
  if (RevisionSummary::of(file) != summaries_[i]) {
    throw Error(file.path +
                ": the file changed while migrate was running (its header is not the one "
                "just loaded); run the command again");
  }
  if (files_.empty()) files_.resize(summaries_.size());
  files_[i] = std::move(file);
  read_[i] = 1;
  --unread_;
}

void ScriptDirectory::read_file(std::size_t i) const {
  const std::string& path = summaries_[i].path;
  if (!dir_) {
    adopt(i, parse_revision_file(path));
    return;
  }
  adopt(i,
        parse_revision_text(util::read_file_at(dir_->fd(), path.c_str() + name_at_, path), path));
}

const RevisionFile& ScriptDirectory::file(const std::string& id) const {
  const std::size_t i = index_of(id);
  if (!read_[i]) read_file(i);
  return files_[i];
}

const std::vector<RevisionFile>& ScriptDirectory::files() const {
  if (unread_ > 0) {
    std::vector<std::size_t> which;
    which.reserve(unread_);
    for (std::size_t i = 0; i < read_.size(); ++i) {
      if (!read_[i]) which.push_back(i);
    }
    const std::string dir_path = versions_dir();
    std::shared_ptr<const VersionsDir> dir = dir_;
    if (!dir) dir = std::make_shared<const VersionsDir>(dir_path);
    if (!dir->get()) throw Error(dir_path + ": cannot open: " + std::strerror(errno));
    std::vector<RevisionFile> parsed;
    std::vector<std::exception_ptr> errors;
    parse_some(dir->fd(), name_at_, summaries_, which, parsed, errors);
    rethrow_first(errors);
    for (std::size_t k = 0; k < which.size(); ++k) adopt(which[k], std::move(parsed[k]));
  }
  return files_;
}

std::string ScriptDirectory::write_revision(const NewRevision& rev) const {
  Prepared p = prepare(rev, {});
  util::write_new_file(p.path, p.text);
  return p.path;
}

std::vector<std::string> ScriptDirectory::write_chain(std::vector<NewRevision> revs) const {
  return write_prepared(revs, /*chain=*/true);
}

std::vector<std::string> ScriptDirectory::write_revisions(
    const std::vector<NewRevision>& revs) const {
  for (const auto& r : revs)
    if (!r.rev_id) throw Error("write_revisions: a revision without an id");
  return write_prepared(revs, /*chain=*/false);
}

std::vector<std::string> ScriptDirectory::write_prepared(std::vector<NewRevision> revs,
                                                         bool chain) const {
  std::vector<Prepared> ready;
  std::vector<std::string> pending;
  for (std::size_t i = 0; i < revs.size(); ++i) {
    if (chain && i) revs[i].down_revisions = {ready.back().id};
    ready.push_back(prepare(revs[i], pending));
    pending.push_back(ready.back().id);
  }
  std::vector<std::string> paths;
  try {
    for (const auto& p : ready) {
      util::write_new_file(p.path, p.text);
      paths.push_back(p.path);
    }
  } catch (...) {
    // All or none: a chain cut short would leave a head nobody asked for.
    for (const std::string& path : paths) ::unlink(path.c_str());
    throw;
  }
  return paths;
}

ScriptDirectory::Prepared ScriptDirectory::prepare(const NewRevision& rev,
                                                   const std::vector<std::string>& pending) const {
  // What the header reader would refuse, refused before the file exists.
  if (util::invalid_utf8_at(rev.message) != std::string_view::npos)
    throw Error("the message is not UTF-8 text; revision files are UTF-8");
  auto known = [&](const std::string& id) {
    return graph_.contains(id) || std::find(pending.begin(), pending.end(), id) != pending.end();
  };
  std::string id;
  if (rev.rev_id) {
    id = *rev.rev_id;
    if (!is_valid_revision_id(id)) {
      throw Error("invalid revision id '" + id +
                  "': use letters, digits and _, at most 64 characters");
    }
    if (std::string why = reserved_name_problem(id, "revision id"); !why.empty()) throw Error(why);
    if (graph_.contains(id))
      throw Error("revision id '" + id + "' already exists: " + summary(id).path);
    if (known(id)) throw Error("revision id '" + id + "' is given twice");
  } else {
    do {
      id = generate_revision_id();
    } while (known(id));
  }

  // Ids and labels share one namespace in targets (`label@head`, `id@head`).
  for (const RevisionSummary& f : summaries_) {
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
    if (std::string why = reserved_name_problem(label, "branch label"); !why.empty())
      throw Error(why);
    if (label == id || graph_.contains(label)) {
      throw Error("branch label '" + label + "' is also a revision id");
    }
  }
  for (std::size_t i = 0; i < rev.down_revisions.size(); ++i) {
    const std::string& parent = rev.down_revisions[i];
    if (!known(parent)) throw Error("down revision '" + parent + "' does not exist");
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
      {"created", rev.created.empty() ? util::iso8601_utc_now() : yaml_quote(rev.created)},
      {"upgrade", body(rev.upgrade_sql)},
      {"downgrade", body(rev.downgrade_sql)},
  };
  std::string text = fill_template(tmpl, vars, tmpl_path);
  if (!rev.header_lines.empty()) {
    // Extra keys go at the end of the header, before the blank lines above
    // the upgrade marker, whatever the template looks like.
    std::size_t marker = text.find("\n-- migrate:upgrade");
    std::size_t at = marker == std::string::npos ? 0 : marker + 1;
    while (at > 1 && text[at - 1] == '\n' && text[at - 2] == '\n') --at;
    std::string lines;
    for (const auto& l : rev.header_lines) lines += "-- " + l + "\n";
    text.insert(at, lines);
  }

  const std::string slug = slugify(rev.message);
  std::string path = versions_dir() + "/" + id + (slug.empty() ? "" : "_" + slug) + ".sql";
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
  return {id, path, text};
}

namespace {

// The length of the UTF-8 letter at the start of `s` that a slug keeps, or
// 0 when it is punctuation or not UTF-8.
std::size_t utf8_letter(std::string_view s) {
  auto u = static_cast<unsigned char>(s[0]);
  std::size_t len = u >= 0xf0 ? 4 : u >= 0xe0 ? 3 : u >= 0xc0 ? 2 : 0;
  if (len == 0 || len > s.size() || util::invalid_utf8_at(s.substr(0, len)) == 0) return 0;
  unsigned cp = u & (0xff >> (len + 1));
  for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[k]) & 0x3f);
  bool punct = (cp >= 0xa0 && cp <= 0xbf) || cp == 0xd7 || cp == 0xf7 ||
               (cp >= 0x2000 && cp <= 0x206f) || (cp >= 0x3000 && cp <= 0x303f);
  return punct ? 0 : len;
}

}  // namespace

std::string slugify(const std::string& message) {
  std::string slug;
  bool gap = false;
  for (std::size_t i = 0; i < message.size();) {
    char c = message[i];
    bool ascii = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    std::size_t len = ascii ? 1 : utf8_letter(std::string_view(message).substr(i));
    if (len == 0) {
      gap = !slug.empty();
      ++i;
      continue;
    }
    if (slug.size() + (gap ? 1 : 0) + len > kMaxSlug) break;
    if (gap) slug += '_';
    gap = false;
    if (c >= 'A' && c <= 'Z')
      slug += static_cast<char>(c - 'A' + 'a');
    else
      slug.append(message, i, len);
    i += len;
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
