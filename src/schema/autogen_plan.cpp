#include "schema/autogen_plan.h"

namespace migrate::schema {

AutogenPlan one_step_plan(const Diff& up) {
  AutogenPlan plan;
  if (!up.statements.empty()) plan.steps.push_back({true, up.statements, ""});
  return plan;
}

std::string expand_plan_yaml(const std::vector<ExpandOffer>& offers) {
  if (offers.empty()) return "";
  const QualifiedName& t = offers.front().table;
  std::string out =
      "# Written by `migrate revision --autogenerate`: the schema file asks for changes that\n"
      "# break the running application when done in one step. Check the expressions, then run\n"
      "#   migrate revision --expand-contract THIS_FILE\n"
      "# (docs/zero-downtime.md), and autogenerate again for the rest.\n";
  out += "table: " + (t.schema.empty() || t.schema == "public" ? t.name : t.schema + "." + t.name) +
         "\noperations:\n";
  for (const auto& o : offers) out += "  # " + o.what + "\n  - " + o.operation + "\n";
  return out;
}

}  // namespace migrate::schema
