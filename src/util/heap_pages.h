// Backs the malloc heap with transparent huge pages where the kernel offers
// them (THP "madvise" mode, Debian's default).
#pragma once

namespace migrate::util {

// Makes the heap grow in one 32 MiB step from here on and asks the kernel
// for 2 MiB pages over that step (madvise MADV_HUGEPAGE). Call once, before
// the command loads anything and before any thread starts. Only the
// graph-only commands do (cli/cmd_inspect.cpp): M_TOP_PAD also turns off
// glibc's dynamic mmap threshold, a change no other command was measured
// with.
//
// Why: a cached `migrate heads` on 10,000 revisions touches ~12 MB of heap,
// ~3,000 page faults of 4 KiB at ~1.8 us each on a VM: a fifth of its time.
// With 2 MiB pages that is a few faults. Nothing is touched until used, so
// the resident size grows by at most one partial huge page. Returns whether
// the advice was taken; when it is not (THP off, no brk heap), malloc works
// as before.
bool use_huge_heap_pages();

}  // namespace migrate::util
