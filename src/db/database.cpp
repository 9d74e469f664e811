#include "db/database.h"

#include <chrono>

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

}  // namespace migrate::db
