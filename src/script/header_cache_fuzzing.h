// For the header cache's fuzz target (tests/fuzz/fuzz_header_cache.cpp)
// only: a cache file's bytes with their trailing hash recomputed, so that a
// damaged body reaches the checks past the hash (a real file is rejected
// by its hash first). Unchanged when too short to hold a hash.
#pragma once

#include <string>

namespace migrate::script {

std::string rehash_cache_for_fuzzing(std::string bytes);

}  // namespace migrate::script
