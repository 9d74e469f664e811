// Fuzz target: the header cache's reader (script/header_cache.h).
// The input describes entries (names, stamps, summaries) and then byte
// edits. Properties: a cache encoded from the entries (the bytes save()
// writes, read back as open_dir() reads them) reads back with exactly
// those entries (every find() hit returns the summary saved); after the
// edits (with the trailing hash recomputed, so the damage reaches the
// parser past it) reading and finding every listed name never crashes nor
// reads outside the file (ASan), whatever the lengths and counts say.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "script/header_cache.h"
#include "script/header_cache_fuzzing.h"

using migrate::fuzz::fail;
using migrate::script::FileStamp;
using migrate::script::HeaderCache;

namespace {

std::vector<std::string> strings(FuzzedDataProvider& in) {
  std::vector<std::string> out(in.ConsumeIntegralInRange<int>(0, 3));
  for (auto& s : out) s = in.ConsumeRandomLengthString(16);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  std::map<std::string, HeaderCache::Entry> by_name;
  const int n = in.ConsumeIntegralInRange<int>(0, 6);
  for (int i = 0; i < n; ++i) {
    HeaderCache::Entry e;
    e.name = in.ConsumeRandomLengthString(24);
    e.stamp.size = in.ConsumeIntegral<std::uint64_t>();
    e.stamp.inode = in.ConsumeIntegral<std::uint64_t>();
    e.stamp.device = in.ConsumeIntegral<std::uint8_t>();
    e.stamp.mtime_ns = in.ConsumeIntegralInRange<std::int64_t>(0, 1'000'000'000'000);
    e.stamp.ctime_ns = in.ConsumeIntegralInRange<std::int64_t>(0, 1'000'000'000'000);
    e.summary.id = in.ConsumeRandomLengthString(16);
    e.summary.down_revisions = strings(in);
    e.summary.branch_labels = strings(in);
    e.summary.depends_on = strings(in);
    e.summary.message = in.ConsumeRandomLengthString(64);
    e.summary.created = in.ConsumeRandomLengthString(24);
    by_name[e.name] = e;
  }
  std::vector<HeaderCache::Entry> entries;
  for (const auto& [name, e] : by_name) entries.push_back(e);
  // Long after every stamp: no entry is racy.
  const std::int64_t read_ns = 2'000'000'000'000;
  // The bytes save() would write, read as open_dir() reads the file: the
  // file itself (a write and a rename per input) is left out.
  const std::string original = HeaderCache::encode(entries, read_ns);

  HeaderCache reader = HeaderCache::read_bytes(original);
  if (!reader.loaded() || reader.size() != entries.size())
    fail("a saved cache does not read back whole", std::to_string(entries.size()));
  for (const auto& e : entries) {
    migrate::script::RevisionSummary got;
    if (!reader.find(e.name, e.stamp, got)) fail("a saved entry is not found", e.name);
    if (got != e.summary) fail("an entry reads back different", e.name);
  }

  // Damage: byte edits at chosen offsets, then the hash made right again.
  std::string bytes = original;
  while (in.remaining_bytes() >= 2 && !bytes.empty()) {
    std::size_t at = in.ConsumeIntegralInRange<std::size_t>(0, bytes.size() - 1);
    bytes[at] = static_cast<char>(in.ConsumeIntegral<std::uint8_t>());
  }
  HeaderCache damaged = HeaderCache::read_bytes(migrate::script::rehash_cache_for_fuzzing(bytes));
  for (std::size_t i = 0; i < damaged.size(); ++i) {
    std::string name(damaged.name(i));
    FileStamp stamp;
    auto it = by_name.find(name);
    if (it != by_name.end()) stamp = it->second.stamp;
    migrate::script::RevisionSummary got;
    if (damaged.find(name, stamp, got) && bytes == original && got != it->second.summary)
      fail("an undamaged entry reads back different", name);
  }
  return 0;
}
