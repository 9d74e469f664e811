#include "util/heap_pages.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

namespace migrate::util {

namespace {
constexpr std::size_t kTopPad = 32u << 20;
constexpr std::uintptr_t kHugePage = 2u << 20;
// Below malloc's mmap threshold (128 KiB), so it comes from the brk heap.
constexpr std::size_t kProbe = 100u << 10;
}  // namespace

bool use_huge_heap_pages() {
  // Every brk extension is a new mapping without the advice (the kernel
  // does not merge it into the advised one), so make the next extension
  // large enough for a whole command, and advise it.
  if (::mallopt(M_TOP_PAD, static_cast<int>(kTopPad)) != 1) return false;
  auto* before = static_cast<char*>(::sbrk(0));
  char* after = before;
  void* probes[4] = {};
  // The first probes may fit in what the heap already holds.
  for (void*& p : probes) {
    p = std::malloc(kProbe);
    after = static_cast<char*>(::sbrk(0));
    if (after != before) break;
  }
  const auto lo = (reinterpret_cast<std::uintptr_t>(before) + kHugePage - 1) & ~(kHugePage - 1);
  const auto hi = reinterpret_cast<std::uintptr_t>(after) & ~(kHugePage - 1);
  // NOLINTNEXTLINE(performance-no-int-to-ptr): page-aligned addresses, computed as integers
  bool advised = hi > lo && ::madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE) == 0;
  // free() keeps M_TOP_PAD at the top of the heap: the advised range stays.
  for (void* p : probes) std::free(p);
  return advised;
}

}  // namespace migrate::util
