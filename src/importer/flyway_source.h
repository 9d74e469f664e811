// A Flyway project's SQL migrations as a chain of revisions:
// `V<version>__<description>.sql` in version order (versions compare part by
// part as numbers, `.` and `_` separating parts, as Flyway does), each
// `U<version>__...sql` as the downgrade of the same version, `R__` repeatable
// migrations skipped and reported. Revision ids keep the version: `V` and
// its parts joined by `_` (V1_1 for 1.1).
#pragma once

#include <string>
#include <vector>

#include "importer/imported.h"

namespace migrate::importer {

// Reads every *.sql under `dir` (recursively, as Flyway scans a location).
// Throws migrate::Error for a folder that cannot be read, two files of one
// version, an undo file without its migration, or a version migrate cannot
// name.
ImportedProject read_flyway_project(const std::string& dir);

// A Flyway version as Flyway compares it: its parts as numbers without
// leading zeros, trailing zero parts dropped ("1.0" and "1" are one version;
// "1.01" is "1.1"). Empty when `version` is not digits separated by `.` or
// `_`.
std::vector<std::string> flyway_version_key(const std::string& version);

// The revision id of a version: "V" + its parts as written joined by "_".
std::string flyway_revision_id(const std::string& version);

}  // namespace migrate::importer
