// A cache of parsed revision headers, so that commands which only need the
// revision graph (heads, history, current, branches, ...) stat the files in
// versions/ instead of reading and parsing every one of them.
//
// Where: <script_location>/.migrate-cache/headers (beside Alembic's
// __pycache__), in a folder holding its own `.gitignore` (`*`) and a
// CACHEDIR.TAG, so it is never committed or backed up. MIGRATE_NO_CACHE=1
// turns it off.
//
// Why it never gives a wrong answer:
//  - an entry is used only when the file's stat (size, mtime and ctime in
//    nanoseconds, inode, device) equals the one recorded *before* the file
//    was read and parsed;
//  - an entry whose mtime or ctime is within kRacyWindow of the moment its
//    file was read is "racy" (git's racy-clean rule: the file may have been
//    edited again within the filesystem's timestamp granularity without its
//    stat changing) and is not used: the file is parsed again;
//  - only files that parsed without error are recorded, so a hit stands for
//    a file that is known to be valid as a whole;
//  - the cache file names its format and the exact migrate binary that wrote
//    it (a rebuilt parser may judge files differently), and ends in a hash of
//    its bytes: anything else, or a truncated or corrupt file, reads as empty;
//  - it is replaced atomically (a temporary file renamed over it), so a
//    concurrent reader sees the old or the new one, whole. Two writers race
//    harmlessly: the last rename wins and both files are valid.
//  - the list of files is taken from the cache, without reading versions/,
//    only when the cache was written from a complete listing (every *.sql
//    file parsed and recorded) and versions/ itself has the stat recorded
//    then (adding, removing or renaming an entry changes a directory's mtime
//    and ctime), not racy; and every file it names still stats as a regular
//    file. Each file's own stat is still checked as above.
// Every failure to read, create or write the cache is silent: the cache is
// an optimisation, and a read-only checkout simply runs without it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace migrate::script {

struct RevisionFile;

// What the graph commands need of a revision file: its header's graph and
// display fields. Anything else (the SQL, transactional, timeouts, the
// checksum) is read from the file itself.
struct RevisionSummary {
  std::string path;  // as loaded; used in error messages
  std::string id;
  std::vector<std::string> down_revisions;  // empty = base
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  std::string message;
  std::string created;

  static RevisionSummary of(const RevisionFile& file);
  bool operator==(const RevisionSummary& o) const;
  bool operator!=(const RevisionSummary& o) const { return !(*this == o); }
};

// What stat(2) says about a file's contents.
struct FileStamp {
  std::uint64_t size = 0;
  std::uint64_t inode = 0;
  std::uint64_t device = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
  bool operator==(const FileStamp& o) const {
    return size == o.size && inode == o.inode && device == o.device && mtime_ns == o.mtime_ns &&
           ctime_ns == o.ctime_ns;
  }
};

// The stamp of `name` inside the open directory `dir_fd` (symlinks
// followed). False when it cannot be stat'ed or is not a regular file.
bool stamp_file_at(int dir_fd, const char* name, FileStamp& out);
// The stamp of the open directory `dir_fd` itself. False when fstat fails.
bool stamp_dir(int dir_fd, FileStamp& out);

// Nanoseconds since the epoch, CLOCK_REALTIME: the clock file times use.
std::int64_t wall_clock_ns();

class HeaderCache {
 public:
  // Entries this close to the moment their file was read are not trusted.
  static constexpr std::int64_t kRacyWindowNs = 2'000'000'000;

  // One file's entry, as save() takes it.
  struct Entry {
    std::string name;  // file name in versions/
    FileStamp stamp;   // taken before the file was read
    RevisionSummary summary;
  };

  // A cache that is never read or written.
  HeaderCache() = default;
  // Not copyable: the slots are views into bytes_, and a copy's would point
  // into the original. A move keeps them valid (a cache with entries is
  // far past the short-string buffer, so its bytes stay where they were).
  HeaderCache(const HeaderCache&) = delete;
  HeaderCache& operator=(const HeaderCache&) = delete;
  HeaderCache(HeaderCache&&) noexcept = default;
  HeaderCache& operator=(HeaderCache&&) noexcept = default;
  // Reads <script_location>/.migrate-cache/headers, if any and valid. Never
  // throws. With MIGRATE_NO_CACHE set (and not "0"), the cache is disabled.
  static HeaderCache open(const std::string& script_location);
  // The same for the cache folder `cache_dir` (tests).
  static HeaderCache open_dir(const std::string& cache_dir, bool enabled = true);

  // MIGRATE_NO_CACHE is set (and not "0").
  static bool disabled_by_environment();

  bool enabled() const { return enabled_; }
  // Whether a valid cache file was read (even an empty one).
  bool loaded() const { return loaded_; }
  std::size_t size() const { return slots_.size(); }
  // The file name of entry i (in name order), a view into the cache.
  std::string_view name(std::size_t i) const { return slots_[i].name; }

  // True when the entries are the complete listing of versions/ as it is
  // now: the cache was saved with a listing stamp equal to `dir` (the
  // directory's stamp, taken before it is read), which is not racy.
  bool listing_unchanged(const FileStamp& dir) const;

  // When the entry for `name` has exactly `stamp` and is not racy, sets
  // `out` from it (all but `path`, which is the caller's) and returns true.
  // Fastest when called in name order.
  bool find(std::string_view name, const FileStamp& stamp, RevisionSummary& out);

  // Replaces the cache file with `entries` (any order), recording `read_ns`
  // (taken before any of the files was stat'ed or read) as the moment the
  // entries were read. With `listing`, the entries are every *.sql file of
  // versions/, whose stamp (taken before it was listed) that is. Creates the
  // folder (with its .gitignore and CACHEDIR.TAG) when missing. Returns
  // false, silently, when it cannot.
  bool save(std::vector<Entry> entries, std::int64_t read_ns,
            const FileStamp* listing = nullptr) const;

  // The bytes save() writes for these arguments (a cache file's contents).
  static std::string encode(std::vector<Entry> entries, std::int64_t read_ns,
                            const FileStamp* listing = nullptr);
  // A cache read from `bytes` as open_dir() reads the file's contents:
  // empty and not loaded() when they are not a valid cache. It has no
  // folder (dir() is empty), so save() fails. With encode(), the reader
  // is exercised without a file (the header cache's fuzz target).
  static HeaderCache read_bytes(std::string bytes);

  const std::string& dir() const { return dir_; }
  const std::string& file() const { return file_; }

 private:
  // Checks the whole file and indexes its entries; false = not usable.
  bool index(std::string bytes);

  // An entry inside bytes_: its name, and where its stamp begins. Entries
  // are decoded only when found, so a hit costs one summary's allocations
  // and nothing else.
  struct Slot {
    std::string_view name;
    std::size_t offset;
  };

  bool enabled_ = false;
  bool loaded_ = false;
  std::string dir_;
  std::string file_;
  std::string bytes_;
  std::int64_t read_ns_ = 0;
  bool has_listing_ = false;
  FileStamp listing_;
  std::vector<Slot> slots_;  // sorted by name
  std::size_t hint_ = 0;     // where the next find() in name order looks first
};

// The name of the cache folder inside the script location.
inline constexpr const char* kCacheDirName = ".migrate-cache";

}  // namespace migrate::script
