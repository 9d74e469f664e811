// The `migrate` executable: everything lives in migrate_core; see cli/app.h.
#include "cli/app.h"
#include "util/heap_pages.h"

int main(int argc, char** argv) {
  // First: a cached `heads` spends a fifth of its time in heap page faults.
  migrate::util::use_huge_heap_pages();
  return migrate::cli::run(argc, argv);
}
