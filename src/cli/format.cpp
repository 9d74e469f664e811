#include "cli/format.h"

#include <fmt/format.h>

namespace migrate::cli {

namespace {

std::string joined(const std::vector<std::string>& ids) {
  return fmt::format("{}", fmt::join(ids, ", "));
}

std::string parents_text(const script::RevisionSummary& f) {
  return f.down_revisions.empty() ? "<base>" : joined(f.down_revisions);
}

}  // namespace

RevisionFormatter::RevisionFormatter(const script::ScriptDirectory& scripts) : scripts_(scripts) {
  for (const auto& node : scripts.graph().nodes())
    for (const auto& dep : scripts.graph().resolved_dependencies(node.id)) depended_on_.insert(dep);
}

bool RevisionFormatter::is_real_head(const std::string& id) const {
  return scripts_.graph().is_head(id) && !depended_on_.count(id);
}

std::string RevisionFormatter::line(const std::string& id, const LineOptions& o) const {
  const auto& g = scripts_.graph();
  const auto& f = scripts_.summary(id);  // the header: no file read
  std::string text = id;
  if (o.parents) {
    auto deps = g.resolved_dependencies(id);
    if (!deps.empty())
      text = fmt::format("{} ({}) -> {}", parents_text(f), joined(deps), text);
    else
      text = fmt::format("{} -> {}", parents_text(f), text);
  }
  // Like Alembic, show the labels a revision inherits along its branch too.
  if (o.branch_labels) {
    auto labels = g.branch_labels_covering(id);
    if (!labels.empty()) text += " (" + joined(labels) + ")";
  }
  if (is_real_head(id)) text += " (head)";
  if (g.is_head(id) && !is_real_head(id)) text += " (effective head)";
  if (o.current && o.current->count(id)) text += " (current)";
  if (o.tree_indicators) {
    if (g.is_branch_point(id)) text += " (branchpoint)";
    if (g.is_merge_point(id)) text += " (mergepoint)";
  }
  if (o.doc && !f.message.empty()) text += ", " + f.message;
  return text;
}

std::string RevisionFormatter::verbose(const std::string& id,
                                       const std::set<std::string>* current) const {
  const auto& g = scripts_.graph();
  const auto& f = scripts_.summary(id);  // the header: no file read
  std::string s = "Rev: " + id;
  if (g.is_head(id)) s += " (head)";
  if (g.is_branch_point(id)) s += " (branchpoint)";
  if (g.is_merge_point(id)) s += " (mergepoint)";
  if (current && current->count(id)) s += " (current)";
  s += "\n";
  s += (g.is_merge_point(id) ? "Merges: " : "Parent: ") + parents_text(f) + "\n";
  auto deps = g.resolved_dependencies(id);
  if (!deps.empty()) s += "Also depends on: " + joined(deps) + "\n";
  if (g.is_branch_point(id)) s += "Branches into: " + joined(g.children(id)) + "\n";
  auto labels = g.branch_labels_covering(id);
  if (!labels.empty()) s += "Branch names: " + joined(labels) + "\n";
  s += "Path: " + f.path + "\n";
  if (!f.created.empty()) s += "Created: " + f.created + "\n";
  s += "\n    " + f.message + "\n";
  return s;
}

nlohmann::json RevisionFormatter::json(const std::string& id,
                                       const std::set<std::string>* current) const {
  const auto& g = scripts_.graph();
  const auto& f = scripts_.summary(id);  // the header: no file read
  nlohmann::json j;
  j["revision"] = id;
  j["down_revisions"] = f.down_revisions;
  j["branch_labels"] = f.branch_labels;
  j["depends_on"] = g.resolved_dependencies(id);
  j["message"] = f.message;
  j["created"] = f.created;
  j["path"] = f.path;
  j["is_head"] = g.is_head(id);
  j["is_base"] = g.is_base(id);
  j["is_branch_point"] = g.is_branch_point(id);
  j["is_merge_point"] = g.is_merge_point(id);
  if (current) j["is_current"] = current->count(id) > 0;
  return j;
}

}  // namespace migrate::cli
