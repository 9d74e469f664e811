#include "db/nontransactional_note.h"

#include <fmt/format.h>

namespace migrate::db {

std::string nontransactional_statement_failed(const std::string& error, const std::string& label,
                                              const std::string& extra) {
  return fmt::format(
      "{}\nnote: {} is not transactional: the statements before this one ran and stay applied; "
      "it is recorded as 'failed' in the history table{}",
      error, label, extra);
}

std::string nontransactional_version_failed(const std::string& error, const std::string& label) {
  return fmt::format(
      "{}\nnote: {} is not transactional: its statements ran and stay applied, but its version "
      "change was not recorded",
      error, label);
}

}  // namespace migrate::db
