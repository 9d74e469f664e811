#include "util/sanitizer.h"

#include <cstdlib>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

namespace migrate::util {

void exit_without_cleanup(int code) {
#if defined(__SANITIZE_ADDRESS__)
  __lsan_do_leak_check();  // exits with kSanitizerExitCode on a leak
#endif
  std::_Exit(code);
}

}  // namespace migrate::util
