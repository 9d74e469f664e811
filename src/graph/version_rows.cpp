#include "graph/version_rows.h"

namespace migrate::graph::detail {

void VersionRows::insert(const std::string& rev) {
  if (!heads_.insert(rev).second)
    throw GraphError("version table: cannot insert " + rev + ", it is already there");
  ops_.push_back(VersionOp{VersionOp::kInsert, "", rev});
}

void VersionRows::remove(const std::string& rev) {
  if (heads_.erase(rev) == 0)
    throw GraphError("version table: cannot delete " + rev + ", it is not there");
  ops_.push_back(VersionOp{VersionOp::kDelete, rev, ""});
}

void VersionRows::update(const std::string& from, const std::string& to) {
  if (heads_.count(to))
    throw GraphError("version table: cannot update " + from + " to " + to + ", " + to +
                     " is already there");
  if (heads_.erase(from) == 0)
    throw GraphError("version table: cannot update " + from + " to " + to + ", " + from +
                     " is not there");
  heads_.insert(to);
  ops_.push_back(VersionOp{VersionOp::kUpdate, from, to});
}

}  // namespace migrate::graph::detail
