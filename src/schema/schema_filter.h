// --schema NAME / --exclude-schema NAME (as migra has them) on `diff`,
// `check` and `revision --autogenerate`: which schemas a comparison covers.
//
// The filter applies to the inspected model, right after inspection and
// before the differ (never to SQL text): an object is kept when its schema
// is (a trigger, index, constraint or policy goes with its table). Objects
// that belong to no schema follow the schema they live in or are left out:
// the schema list itself keeps the included schemas (so a CREATE SCHEMA for
// one of them is still written), an extension is kept when it is installed
// in an included schema. PostgreSQL only: a SQLite database has one schema,
// `main`, which --schema may name; anything else is refused.
//
// What the filter leaves out cannot be created by the script, so references
// across its boundary are checked on the whole models: an included object
// the script creates that needs an excluded one the --from side lacks, and
// an excluded object of --from that needs an included one the script drops,
// are reported as warnings naming both (the script would fail there).
#pragma once

#include <string>
#include <vector>

#include "schema/model.h"

namespace migrate::schema {

struct SchemaFilter {
  std::vector<std::string> only;     // --schema: these schemas alone
  std::vector<std::string> exclude;  // --exclude-schema: every schema but these
  bool empty() const { return only.empty() && exclude.empty(); }
  bool keeps(const std::string& schema) const;
};

// Refuses a filter the schemas cannot take (migrate::UsageError: both kinds
// at once, SQLite with anything but --schema main; migrate::Error: a
// --schema name that no side has as a user schema, most often a typo).
// Returns warnings: an --exclude-schema name that no side has.
std::vector<std::string> check_filter(const SchemaFilter& filter,
                                      const std::vector<const Schema*>& sides);

// `s` with only what `filter` keeps.
Schema filtered(const SchemaFilter& filter, Schema s);

// For a script turning `from` into `to` (both whole, unfiltered): each
// reference across the filter's boundary it would trip on, as a warning.
std::vector<std::string> boundary_warnings(const SchemaFilter& filter, const Schema& from,
                                           const Schema& to);

}  // namespace migrate::schema
