// Dependency order for DDL, shared by the dialect differs: create what is
// depended on first (a referenced table before its referencing table, a
// view before the views that read it), drop in the reverse order.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace migrate::schema {

// `items` ordered so that each comes after every item it depends on
// (`depends(a, b)`: a needs b). Ties and cycles keep the input order, so the
// result is deterministic; a cycle (two tables referencing each other) is
// broken at the first item of it met in input order.
std::vector<std::size_t> dependency_order(
    std::size_t count, const std::function<bool(std::size_t, std::size_t)>& depends);

}  // namespace migrate::schema
