// Reading a live database's schema into the model: what every inspector
// takes. Each kind's inspector lives in src/schema/<dialect>/; callers reach
// them by URL through the registry (backend/backend.h: inspect_database).
#pragma once

#include <string>
#include <vector>

#include "schema/model.h"

namespace migrate::schema {

struct InspectOptions {
  // Tables never reported (the tool's own version and history tables).
  std::vector<std::string> exclude_tables;
  // PostgreSQL: owners and privileges too (Schema::privileges).
  bool privileges = false;
};

}  // namespace migrate::schema
