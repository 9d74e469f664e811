// Human and JSON renderings of revisions, shared by current, heads, history,
// branches, show and status. Human lines follow Alembic's so that its users
// read them without thinking: "<base> -> 1975ea83b712 (payments) (head), msg".
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "script/script_directory.h"

namespace migrate::cli {

struct LineOptions {
  bool parents = false;                            // "a, b -> rev"
  bool branch_labels = false;                      // "rev (label)"
  bool doc = false;                                // ", message"
  bool tree_indicators = true;                     // "(branchpoint)", "(mergepoint)"
  const std::set<std::string>* current = nullptr;  // marks "(current)"
};

class RevisionFormatter {
 public:
  explicit RevisionFormatter(const script::ScriptDirectory& scripts);

  std::string line(const std::string& id, const LineOptions& opts) const;
  // Alembic's verbose entry: Rev/Parent/Branches into/Path, then the message.
  std::string verbose(const std::string& id, const std::set<std::string>* current) const;
  nlohmann::json json(const std::string& id, const std::set<std::string>* current) const;

  // A head that another revision depends on: Alembic's "effective head".
  bool is_real_head(const std::string& id) const;

 private:
  const script::ScriptDirectory& scripts_;
  std::set<std::string> depended_on_;
};

}  // namespace migrate::cli
