// A PRIMARY KEY or UNIQUE constraint built the lock-safe way on a table that
// has rows: its index first (CREATE UNIQUE INDEX CONCURRENTLY, every option
// of the constraint's index carried over), then the constraint attached to
// it (ADD CONSTRAINT ... USING INDEX, which only takes the lock for the
// catalog change). Read from pg_get_constraintdef's canonical text:
//   UNIQUE [NULLS NOT DISTINCT] (cols) [INCLUDE (cols)] [DEFERRABLE]
//     [INITIALLY DEFERRED]
// (pg_get_constraintdef leaves the index's WITH (...) storage options and
// tablespace out, so the schema model has neither: nor does the index.)
#pragma once

#include <optional>
#include <string>

#include "schema/model.h"

namespace migrate::schema::postgres {

struct KeyIndex {
  std::string create_index;  // CREATE UNIQUE INDEX <name> ON <table> USING btree (...) ...
  std::string attach;        // the constraint's definition: UNIQUE USING INDEX <name> ...
};

// nullopt when `k` is not a PRIMARY KEY / UNIQUE or its definition holds
// something this does not know how to carry over (then it is written as is).
std::optional<KeyIndex> key_index(const QualifiedName& table, const Constraint& k);

}  // namespace migrate::schema::postgres
