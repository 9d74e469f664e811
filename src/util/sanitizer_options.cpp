// The sanitizers' run-time options (util/sanitizer.h). Not part of the
// core library: compiled into each program (CMakeLists.txt, migrate_host),
// because the runtimes look these functions up from libasan, which comes
// first in the search order after the program itself; defined in a shared
// core (MIGRATE_SHARED_CORE) they would never be found.
#include "util/sanitizer.h"

#if defined(__SANITIZE_ADDRESS__)
// The sanitizers' default options: the runtimes call these at start-up, and
// $ASAN_OPTIONS, $UBSAN_OPTIONS, $LSAN_OPTIONS still override them. Built
// in, so that ctest, scripts/test.sh and a run by hand check the same.
// - exitcode: one status for every report (ASan's is LeakSanitizer's too),
//   one no migrate error has;
// - detect_stack_use_after_return, check_initialization_order,
//   strict_init_order: off by default because they cost, and exactly the
//   bugs C++ code tends to have;
// - print_stacktrace: a UBSan report says how it was reached.
// UBSan's findings are fatal from the build (-fno-sanitize-recover=all).
static_assert(migrate::util::kSanitizerExitCode == 86, "update the options below");
extern "C" const char* __asan_default_options() {
  return "exitcode=86:detect_stack_use_after_return=1:check_initialization_order=1:"
         "strict_init_order=1";
}
extern "C" const char* __ubsan_default_options() { return "exitcode=86:print_stacktrace=1"; }

// Leaks that are not ours, each named and explained; nothing else.
// - libpqxx 6.4 (Debian bookworm), pipeline::obtain_result: when the
//   connection is lost mid-batch, PQgetResult hands it an error result and
//   it asks the connection for its encoding (which throws broken_connection)
//   before wrapping the result, so the PGresult is never freed (fixed in
//   libpqxx 7, which caches the encoding). Our code never holds a PGresult
//   itself (only pqxx::result, whose own allocation LSan still reports), so
//   suppressing leaked PGresults hides no leak of ours.
extern "C" const char* __lsan_default_suppressions() { return "leak:PQmakeEmptyPGresult\n"; }
#endif
