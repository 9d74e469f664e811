// Column order, which a diff does not compare: an added column goes at the
// end, and neither PostgreSQL nor SQLite's ALTER TABLE reorders columns.
// `diff`/`check --strict-column-order` report where the order a diff leaves
// differs from the target's, so that it never differs silently.
#pragma once

#include <string>
#include <vector>

#include "schema/diff.h"
#include "schema/model.h"

namespace migrate::schema {

struct ColumnOrderDifference {
  QualifiedName table;
  std::vector<std::string> after_diff;  // the order once `diff` has run
  std::vector<std::string> wanted;      // the order of `to`
};

// For each table of `to` that `diff` (from `from` to `to`) alters in place,
// the column order it leaves when that is not `to`'s. New tables are
// created in `to`'s order, and so are tables `diff` rebuilds (SQLite); a
// partition's columns are its parent's.
std::vector<ColumnOrderDifference> column_order_differences(const Schema& from, const Schema& to,
                                                            const Diff& diff);

// "table public.t: columns (id, b, a) after the diff, (id, a, b) wanted"
std::string describe(const ColumnOrderDifference& d);

}  // namespace migrate::schema
