// Forgetting the secrets remembered by config/secrets.h. Only for the fuzz
// targets that parse URLs (tests/fuzz/fuzz_url.cpp, fuzz_config.cpp), whose
// millions of runs would otherwise pile up secrets and slow every
// redaction; a command never
// forgets one. Kept out of secrets.h so that no command can reach it by
// accident.
#pragma once

namespace migrate::config {

void forget_secrets();

}  // namespace migrate::config
