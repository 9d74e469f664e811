// What the error of a failing non-transactional step (`transactional:
// false`) adds: that the step was not transactional and what stayed
// applied. One wording for every backend, as docs/guarantees.md promises:
// the reader must not take it that the step rolled back.
#pragma once

#include <string>

namespace migrate::db {

// A statement of the step failed. `error` names the file, line and
// statement; `label` is "step REV (upgrade)"; `extra` is appended to the
// note (e.g. why the step is not retried).
std::string nontransactional_statement_failed(const std::string& error, const std::string& label,
                                              const std::string& extra = "");

// Every statement ran, but the version change and history row did not
// commit.
std::string nontransactional_version_failed(const std::string& error, const std::string& label);

}  // namespace migrate::db
