// What one target's run came to, as a value: the scheduler (fanout/jobs.h)
// fills it in, the summary (fanout/summary.h) reads it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace migrate::fanout {

enum class State {
  kOk,           // exit 0
  kBehind,       // exit 3: a check found the database not where it should be
  kFailed,       // any other exit, or killed by a signal
  kInterrupted,  // killed by SIGINT
  kSkipped,      // never started (an earlier failure, a failed canary, SIGINT)
};

const char* state_name(State s);

struct Outcome {
  std::string name;
  bool canary = false;
  bool started = false;
  State state = State::kSkipped;
  int exit_code = -1;  // -1: not started
  std::string why;     // for kSkipped and a death by signal
  double seconds = 0;
  // What the run reported on its report pipe (cli/target_report.h):
  // "from" and "to" (revision lists), "steps" (a count).
  nlohmann::json report = nlohmann::json::object();
  std::string stdout_text;                // with capture: what it printed
  std::vector<std::string> stderr_lines;  // always kept
};

}  // namespace migrate::fanout
