// Reading a live database's schema into the model. One entry point; each
// dialect's inspector lives in src/schema/<dialect>/.
// Change (SQLite stage): includes <vector>, which InspectOptions uses.
#pragma once

#include <string>
#include <vector>

#include "schema/model.h"

namespace migrate::schema {

struct InspectOptions {
  // Tables never reported (the tool's own version and history tables).
  std::vector<std::string> exclude_tables;
};

// Inspects the database at `url` (relative SQLite paths against base_dir).
// Errors name the database (redacted) and the failing query.
Schema inspect_database(const std::string& url, const std::string& base_dir,
                        const InspectOptions& options);

}  // namespace migrate::schema
