#include "db/database.h"

#include <fmt/format.h>

#include <chrono>

#include "util/error.h"

namespace migrate::db {

void Database::run_steps(const std::vector<PlannedStep>& steps, const StepDone& done) {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto start = std::chrono::steady_clock::now();
    run_step(steps[i].spec, steps[i].expected_heads_before);
    if (done)
      done(i, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                  .count());
  }
}

std::vector<StampRow> stamp_rows(const graph::VersionOp& op) {
  switch (op.kind) {
    case graph::VersionOp::kInsert:
      return {{op.to, "stamp"}};
    case graph::VersionOp::kUpdate:
      return {{op.from, "unstamp"}, {op.to, "stamp"}};
    case graph::VersionOp::kDelete:
      return {{op.from, "unstamp"}};
  }
  return {};
}

std::vector<std::string> Dialect::offline_guarded_sql(const Statement& st, const RowGuards& guards,
                                                      const std::string& file,
                                                      const std::string& label) const {
  if (!applied_guard(guards, file, st.line, label)) return {st.sql};
  throw Error(fmt::format("{}:{}: {}: offline --sql cannot enforce row guards on {}", file, st.line,
                          label, name()));
}

}  // namespace migrate::db
