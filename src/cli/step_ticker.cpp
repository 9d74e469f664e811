#include "cli/step_ticker.h"

#include <fmt/format.h>

namespace migrate::cli {

namespace {

// A step shorter than this never draws: most steps take milliseconds.
constexpr auto kQuietFor = std::chrono::seconds(1);
constexpr auto kTick = std::chrono::milliseconds(200);

}  // namespace

StepTicker::StepTicker(std::ostream& err, bool tty) : err_(err), tty_(tty) {
  if (tty_) thread_ = std::thread([this] { loop(); });
}

StepTicker::~StepTicker() {
  if (!tty_) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    clear_locked();
  }
  wake_.notify_all();
  thread_.join();
}

void StepTicker::started(std::string description) {
  if (!tty_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  // One terminal row: a wrapped line would not be cleared by \r.
  constexpr std::size_t kWidth = 64;
  if (description.size() > kWidth) description = description.substr(0, kWidth - 3) + "...";
  description_ = std::move(description);
  since_ = std::chrono::steady_clock::now();
  running_ = true;
  shown_seconds_ = 0;
}

void StepTicker::finished() {
  if (!tty_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  running_ = false;
  clear_locked();
}

void StepTicker::clear_locked() {
  if (!drawn_) return;
  err_ << "\r\033[K";
  err_.flush();
  drawn_ = false;
}

void StepTicker::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, kTick);
    if (stop_ || !running_) continue;
    const auto elapsed = std::chrono::steady_clock::now() - since_;
    if (elapsed < kQuietFor) continue;
    const long long seconds = std::chrono::duration_cast<std::chrono::seconds>(elapsed).count();
    if (drawn_ && seconds == shown_seconds_) continue;
    shown_seconds_ = seconds;
    err_ << "\r\033[K" << fmt::format("{} ... {}s", description_, seconds);
    err_.flush();
    drawn_ = true;
  }
}

}  // namespace migrate::cli
