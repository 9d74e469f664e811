// What the backfill phase fills, the same on every dialect: the `set`
// expressions (each idempotent, so a batch redone after a crash writes the
// same values), the rows that still need them, and the `backfill:` header
// section the engine reads (/work/wt/BACKFILL-FORMAT.md). `IS DISTINCT FROM`
// is PostgreSQL's and SQLite's (3.39+) spelling alike.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "expand/change.h"

namespace migrate::expand {

// Quotes an identifier for the dialect.
using QuoteFn = std::string (*)(const std::string&);

// (column, expression) pairs the engine sets.
std::vector<std::pair<std::string, std::string>> backfill_sets(const Change& c, QuoteFn ident);

// Conditions (OR-ed) of a row the backfill still has to write.
std::vector<std::string> backfill_unfilled(const Change& c, QuoteFn ident);

// The header lines of the backfill revision ("phase: backfill",
// "transactional: false", then the `backfill:` section when there is
// something to fill or `extra` lines to add to it, e.g. a rebuild's
// "  copy_to: ..."). `table`: as the engine should name it.
std::vector<std::string> backfill_header(const Change& c, QuoteFn ident, const std::string& table,
                                         const std::vector<std::string>& extra = {});

}  // namespace migrate::expand
