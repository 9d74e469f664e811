#include "script/header_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "script/header_cache_fuzzing.h"
#include "script/revision_file.h"
#include "util/error.h"
#include "util/fd.h"
#include "util/file_io.h"

namespace migrate::script {

namespace {

// Bump whenever the layout below or the meaning of an entry changes.
constexpr char kMagic[8] = {'M', 'G', 'R', 'H', 'D', 'R', 'C', '\x01'};
constexpr std::uint32_t kFormat = 2;
constexpr const char* kFileName = "headers";
constexpr const char* kGitignore = "# Created by migrate: a cache of parsed revision headers.\n*\n";
// https://bford.info/cachedir/
constexpr const char* kCachedirTag =
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by migrate.\n";

std::int64_t ns_of(const struct timespec& t) {
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

// The binary that reads or writes the cache: its version and its file's
// stamp. Another build may parse headers differently, so its entries are not
// ours to trust.
const std::string& binary_identity() {
  static const std::string id = [] {
    std::string s = "migrate " MIGRATE_VERSION;
    struct stat st {};
    if (::stat("/proc/self/exe", &st) == 0) {
      s += " " + std::to_string(st.st_size) + " " + std::to_string(ns_of(st.st_mtim)) + " " +
           std::to_string(st.st_ino);
    }
    return s;
  }();
  return id;
}

// A fast 64-bit hash to tell a damaged cache file from a good one (not
// against tampering: whoever can write the cache can write the revisions).
std::uint64_t hash_bytes(const char* p, std::size_t n) {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
  std::uint64_t h = 0x243F6A8885A308D3ull ^ n;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, p + i, n - i);
  h = (h ^ tail) * kMul;
  h ^= h >> 32;
  return h;
}

class Writer {
 public:
  void u32(std::uint32_t v) { raw(&v, sizeof v); }
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void i64(std::int64_t v) { raw(&v, sizeof v); }
  void str(const std::string& s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  void list(const std::vector<std::string>& v) {
    u32(static_cast<std::uint32_t>(v.size()));
    for (const auto& s : v) str(s);
  }
  std::string& bytes() { return out_; }

 private:
  void raw(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string out_;
};

// Reads what Writer wrote; every read is bounds-checked and a failure sticks.
class Reader {
 public:
  Reader(const char* p, std::size_t n) : p_(p), end_(p + n) {}
  bool ok() const { return ok_; }
  bool at_end() const { return p_ == end_; }
  std::uint32_t u32() { return fixed<std::uint32_t>(); }
  std::uint64_t u64() { return fixed<std::uint64_t>(); }
  std::int64_t i64() { return fixed<std::int64_t>(); }
  std::string_view view() {
    std::uint32_t n = u32();
    if (!ok_ || static_cast<std::size_t>(end_ - p_) < n) return fail_view();
    std::string_view s(p_, n);
    p_ += n;
    return s;
  }
  std::string str() { return std::string(view()); }
  void skip(std::size_t n) {
    if (!ok_ || static_cast<std::size_t>(end_ - p_) < n) {
      ok_ = false;
      return;
    }
    p_ += n;
  }
  void skip_list() {
    std::uint32_t n = u32();
    for (std::uint32_t i = 0; i < n && ok_; ++i) view();
  }
  std::size_t offset(const char* base) const { return static_cast<std::size_t>(p_ - base); }
  bool list(std::vector<std::string>& out) {
    std::uint32_t n = u32();
    // Each item takes at least 4 bytes: a count beyond that is damage.
    if (!ok_ || n > static_cast<std::size_t>(end_ - p_) / 4) return ok_ = false;
    out.reserve(n);
    for (std::uint32_t i = 0; i < n && ok_; ++i) out.push_back(str());
    return ok_;
  }

 private:
  template <typename T>
  T fixed() {
    T v{};
    if (!ok_ || static_cast<std::size_t>(end_ - p_) < sizeof v) {
      ok_ = false;
      return v;
    }
    std::memcpy(&v, p_, sizeof v);
    p_ += sizeof v;
    return v;
  }
  std::string_view fail_view() {
    ok_ = false;
    return {};
  }
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

// The whole file, or false (missing, unreadable, not a regular file).
bool slurp(const std::string& path, std::string& out) {
  util::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return false;
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  out.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::read(fd.get(), out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  return got == out.size();
}

// Creates `path` with `text` unless it exists; failures are ignored (the
// cache works without these files).
void write_if_missing(const std::string& path, const char* text) {
  util::Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
  if (!fd.valid()) return;
  bool ok = util::write_all(fd.get(), text);
  ok = fd.close() == 0 && ok;
  if (!ok) ::unlink(path.c_str());
}

}  // namespace

RevisionSummary RevisionSummary::of(const RevisionFile& f) {
  return {f.path, f.id, f.down_revisions, f.branch_labels, f.depends_on, f.message, f.created};
}

bool RevisionSummary::operator==(const RevisionSummary& o) const {
  return path == o.path && id == o.id && down_revisions == o.down_revisions &&
         branch_labels == o.branch_labels && depends_on == o.depends_on && message == o.message &&
         created == o.created;
}

namespace {

FileStamp stamp_of(const struct stat& st) {
  FileStamp out;
  out.size = static_cast<std::uint64_t>(st.st_size);
  out.inode = static_cast<std::uint64_t>(st.st_ino);
  out.device = static_cast<std::uint64_t>(st.st_dev);
  out.mtime_ns = ns_of(st.st_mtim);
  out.ctime_ns = ns_of(st.st_ctim);
  return out;
}

}  // namespace

bool stamp_file_at(int dir_fd, const char* name, FileStamp& out) {
  struct stat st {};
  if (::fstatat(dir_fd, name, &st, 0) != 0 || !S_ISREG(st.st_mode)) return false;
  out = stamp_of(st);
  return true;
}

bool stamp_dir(int dir_fd, FileStamp& out) {
  struct stat st {};
  if (::fstat(dir_fd, &st) != 0) return false;
  out = stamp_of(st);
  return true;
}

std::int64_t wall_clock_ns() {
  struct timespec t {};
  ::clock_gettime(CLOCK_REALTIME, &t);
  return ns_of(t);
}

bool HeaderCache::disabled_by_environment() {
  const char* v = std::getenv("MIGRATE_NO_CACHE");
  return v && *v && std::strcmp(v, "0") != 0;
}

HeaderCache HeaderCache::open(const std::string& script_location) {
  return open_dir(script_location + "/" + kCacheDirName, !disabled_by_environment());
}

HeaderCache HeaderCache::open_dir(const std::string& cache_dir, bool enabled) {
  HeaderCache c;
  c.enabled_ = enabled;
  c.dir_ = cache_dir;
  c.file_ = cache_dir + "/" + kFileName;
  if (!enabled) return c;
  std::string bytes;
  if (slurp(c.file_, bytes) && !c.index(std::move(bytes))) {
    c.slots_.clear();
    c.bytes_.clear();
  }
  return c;
}

// Layout: magic, u32 format, str binary identity, i64 read_ns, u32 has
// listing (0 or 1), the listing's stamp (see below), u32 count, count
// entries, u64 hash of all that. An entry: str name, the stamp (u64
// size, inode, device; i64 mtime_ns, ctime_ns), str id, list down_revisions,
// list branch_labels, list depends_on, str message, str created. A str is a
// u32 length and bytes; a list a u32 count and strs. Host byte order: the
// cache never leaves the machine (the identity names the binary).
constexpr std::size_t kStampBytes = std::size_t{5} * 8;

bool HeaderCache::index(std::string bytes) {
  bytes_ = std::move(bytes);
  constexpr std::size_t kTrailer = sizeof(std::uint64_t);
  if (bytes_.size() < sizeof kMagic + kTrailer) return false;
  const std::size_t body = bytes_.size() - kTrailer;
  std::uint64_t stored;
  std::memcpy(&stored, bytes_.data() + body, kTrailer);
  if (std::memcmp(bytes_.data(), kMagic, sizeof kMagic) != 0) return false;
  if (hash_bytes(bytes_.data(), body) != stored) return false;

  const char* base = bytes_.data();
  Reader r(base + sizeof kMagic, body - sizeof kMagic);
  if (r.u32() != kFormat || r.view() != binary_identity()) return false;
  read_ns_ = r.i64();
  const std::uint32_t has_listing = r.u32();
  listing_.size = r.u64();
  listing_.inode = r.u64();
  listing_.device = r.u64();
  listing_.mtime_ns = r.i64();
  listing_.ctime_ns = r.i64();
  if (has_listing > 1) return false;
  has_listing_ = has_listing == 1;
  std::uint32_t count = r.u32();
  if (!r.ok() || count > body / 64) return false;  // an entry takes more than 64 bytes
  slots_.resize(count);
  for (Slot& s : slots_) {
    s.name = r.view();
    s.offset = r.offset(base);
    r.skip(kStampBytes);
    r.view();  // id
    r.skip_list();
    r.skip_list();
    r.skip_list();
    r.view();  // message
    r.view();  // created
    if (!r.ok()) return false;
  }
  if (!r.at_end()) return false;
  // Written sorted; a file that is not is not ours.
  for (std::size_t i = 1; i < slots_.size(); ++i) {
    if (!(slots_[i - 1].name < slots_[i].name)) return false;
  }
  loaded_ = true;
  return true;
}

std::string rehash_cache_for_fuzzing(std::string bytes) {
  constexpr std::size_t kTrailer = sizeof(std::uint64_t);
  if (bytes.size() < kTrailer) return bytes;
  const std::size_t body = bytes.size() - kTrailer;
  const std::uint64_t h = hash_bytes(bytes.data(), body);
  std::memcpy(bytes.data() + body, &h, kTrailer);
  return bytes;
}

bool HeaderCache::listing_unchanged(const FileStamp& dir) const {
  // Racy as a file is: an entry added within the window may have left the
  // directory's times as they were.
  return loaded_ && has_listing_ && listing_ == dir &&
         std::max(dir.mtime_ns, dir.ctime_ns) <= read_ns_ - kRacyWindowNs;
}

bool HeaderCache::find(std::string_view name, const FileStamp& stamp, RevisionSummary& out) {
  std::size_t i = hint_;
  if (i >= slots_.size() || slots_[i].name != name) {
    auto it = std::lower_bound(slots_.begin(), slots_.end(), name,
                               [](const Slot& s, std::string_view n) { return s.name < n; });
    if (it == slots_.end() || it->name != name) return false;
    i = static_cast<std::size_t>(it - slots_.begin());
  }
  hint_ = i + 1;

  const char* base = bytes_.data();
  const std::size_t end = bytes_.size() - sizeof(std::uint64_t);
  Reader r(base + slots_[i].offset, end - slots_[i].offset);
  FileStamp s;
  s.size = r.u64();
  s.inode = r.u64();
  s.device = r.u64();
  s.mtime_ns = r.i64();
  s.ctime_ns = r.i64();
  if (!r.ok() || !(s == stamp)) return false;
  // Racy: changed within the window before the file was read, so a later
  // edit could have left the same stat behind. Parse it again.
  if (std::max(stamp.mtime_ns, stamp.ctime_ns) > read_ns_ - kRacyWindowNs) return false;

  RevisionSummary sum;
  sum.id = r.str();
  r.list(sum.down_revisions);
  r.list(sum.branch_labels);
  r.list(sum.depends_on);
  sum.message = r.str();
  sum.created = r.str();
  if (!r.ok()) return false;  // cannot happen: index() walked it
  sum.path = std::move(out.path);
  out = std::move(sum);
  return true;
}

std::string HeaderCache::encode(std::vector<Entry> entries, std::int64_t read_ns,
                                const FileStamp* listing) {
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.name < b.name; });
  Writer w;
  w.bytes().reserve(64 + entries.size() * 160);
  w.bytes().append(kMagic, sizeof kMagic);
  w.u32(kFormat);
  w.str(binary_identity());
  w.i64(read_ns);
  const FileStamp no_listing;
  const FileStamp& l = listing ? *listing : no_listing;
  w.u32(listing ? 1 : 0);
  w.u64(l.size);
  w.u64(l.inode);
  w.u64(l.device);
  w.i64(l.mtime_ns);
  w.i64(l.ctime_ns);
  w.u32(static_cast<std::uint32_t>(entries.size()));
  for (const Entry& e : entries) {
    w.str(e.name);
    w.u64(e.stamp.size);
    w.u64(e.stamp.inode);
    w.u64(e.stamp.device);
    w.i64(e.stamp.mtime_ns);
    w.i64(e.stamp.ctime_ns);
    w.str(e.summary.id);
    w.list(e.summary.down_revisions);
    w.list(e.summary.branch_labels);
    w.list(e.summary.depends_on);
    w.str(e.summary.message);
    w.str(e.summary.created);
  }
  w.u64(hash_bytes(w.bytes().data(), w.bytes().size()));
  return std::move(w.bytes());
}

HeaderCache HeaderCache::read_bytes(std::string bytes) {
  HeaderCache c;
  c.enabled_ = true;
  if (!c.index(std::move(bytes))) {
    c.slots_.clear();
    c.bytes_.clear();
  }
  return c;
}

bool HeaderCache::save(std::vector<Entry> entries, std::int64_t read_ns,
                       const FileStamp* listing) const {
  if (!enabled_) return false;
  const std::string bytes = encode(std::move(entries), read_ns, listing);

  if (::mkdir(dir_.c_str(), 0777) == 0) {
    write_if_missing(dir_ + "/.gitignore", kGitignore);
    write_if_missing(dir_ + "/CACHEDIR.TAG", kCachedirTag);
  } else if (errno != EEXIST) {
    return false;  // read-only checkout, missing parent, ...: run without
  }
  // Under a name no concurrent writer (another process, or another thread
  // of this one) can pick, then renamed over the old cache: a reader sees
  // one whole cache or the other. Not synced: a lost cache is rebuilt.
  try {
    util::replace_file(file_, bytes, util::Sync::kNo);
    return true;
  } catch (const Error&) {
    return false;  // a full disk, a read-only folder: run without
  }
}

}  // namespace migrate::script
