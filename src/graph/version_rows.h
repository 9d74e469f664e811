// Internal to src/graph: the stored heads as a set, changed only through
// insert / update / delete, each recorded as a VersionOp and checked the way
// the database will check it (an update or delete must find its row, an
// insert must not).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "graph/revision_graph.h"

namespace migrate::graph::detail {

class VersionRows {
 public:
  VersionRows(std::set<std::string>& heads, std::vector<VersionOp>& ops)
      : heads_(heads), ops_(ops) {}

  void insert(const std::string& rev);
  void remove(const std::string& rev);
  void update(const std::string& from, const std::string& to);

 private:
  std::set<std::string>& heads_;
  std::vector<VersionOp>& ops_;
};

}  // namespace migrate::graph::detail
