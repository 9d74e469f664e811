#include "util/heap_pages.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string read_all(const char* path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The VmFlags line of the mapping of /proc/self/smaps that holds `addr`.
std::string vm_flags_of(const void* addr) {
  const auto a = reinterpret_cast<std::uintptr_t>(addr);
  std::istringstream smaps(read_all("/proc/self/smaps"));
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && dash == '-' && line.find(':') > line.find(' ')) {
      inside = lo <= a && a < hi;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line;
    }
  }
  return "";
}

}  // namespace

TEST_CASE("use_huge_heap_pages: later heap allocations land in an MADV_HUGEPAGE mapping") {
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer's allocator replaces glibc's malloc: no brk heap.
  WARN("AddressSanitizer build: glibc's malloc is not in use, nothing to check");
  return;
#endif
  const std::string thp = read_all("/sys/kernel/mm/transparent_hugepage/enabled");
  if (thp.empty() || thp.find("[never]") != std::string::npos) {
    WARN("transparent huge pages are off on this machine: nothing to check");
    return;
  }
  REQUIRE(migrate::util::use_huge_heap_pages());
  // Small blocks, as the loaded revisions are: from the brk heap.
  // 4 MiB of them: past the first 2 MiB boundary of the advised step.
  std::vector<std::unique_ptr<char[]>> blocks(1024);
  for (auto& b : blocks) b.reset(new char[4096]);
  const char* last = blocks.back().get();
  const std::string flags = vm_flags_of(last);
  INFO("VmFlags: " << flags);
  CHECK(flags.find(" hg") != std::string::npos);
  // The memory is ordinary memory.
  for (auto& b : blocks) b[4095] = 'x';
  CHECK(blocks[0][4095] == 'x');
}
