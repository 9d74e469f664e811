// What `upgrade` / `downgrade` show while one step runs long: on a terminal
// (stderr), after a second a live line "Running upgrade a -> b, msg ... 3s"
// rewritten in place each second, cleared before the step's own line is
// printed. Off a terminal it does nothing and starts no thread, so piped
// output stays exactly one line per finished step.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

namespace migrate::cli {

class StepTicker {
 public:
  // `tty`: whether `err` is a terminal; otherwise every call is a no-op.
  StepTicker(std::ostream& err, bool tty);
  ~StepTicker();  // stops the thread and clears the line
  StepTicker(const StepTicker&) = delete;
  StepTicker& operator=(const StepTicker&) = delete;

  // A step began; `description` is its "Running ..." text.
  void started(std::string description);
  // The step ended: clears the live line. Call before printing its line.
  void finished();

 private:
  void loop();
  void clear_locked();

  std::ostream& err_;
  const bool tty_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::string description_;
  std::chrono::steady_clock::time_point since_;
  bool running_ = false;
  bool drawn_ = false;
  bool stop_ = false;
  long long shown_seconds_ = 0;
  std::thread thread_;
};

}  // namespace migrate::cli
