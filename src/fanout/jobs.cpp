#include "fanout/jobs.h"

#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <memory>

#include "fanout/child.h"
#include "fanout/line_buffer.h"
#include "util/clock.h"

namespace migrate::fanout {

namespace {

volatile std::sig_atomic_t g_interrupts = 0;

extern "C" void on_sigint(int) { g_interrupts = g_interrupts + 1; }

// SIGINT counted instead of ending the parent, for the scope of the run; the
// handler in place before comes back after. No SA_RESTART: poll() returns at
// once.
class InterruptCounter {
 public:
  InterruptCounter() {
    g_interrupts = 0;
    struct sigaction sa {};
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_);
  }
  ~InterruptCounter() { sigaction(SIGINT, &old_, nullptr); }
  InterruptCounter(const InterruptCounter&) = delete;
  InterruptCounter& operator=(const InterruptCounter&) = delete;

 private:
  struct sigaction old_ {};
};

// A running target: its process, its streams cut into lines, its clock.
struct Running {
  std::size_t index;
  std::unique_ptr<Child> child;
  LineBuffer out_lines, err_lines, report_lines;
  std::chrono::steady_clock::time_point started;
};

class Scheduler {
 public:
  Scheduler(const std::vector<std::string>& names, const JobOptions& o) : o_(o) {
    std::size_t width = 0;
    for (const auto& n : names) width = std::max(width, n.size());
    for (const auto& n : names) {
      Outcome out;
      out.name = n;
      out.canary = std::count(o.canaries.begin(), o.canaries.end(), n) > 0;
      outcomes_.push_back(std::move(out));
      prefixes_.push_back(n + std::string(width - n.size(), ' ') + " | ");
    }
  }

  std::vector<Outcome> run() {
    InterruptCounter interrupts;
    raise_open_files_limit();
    std::vector<std::size_t> canaries, rest;
    for (std::size_t i = 0; i < outcomes_.size(); ++i)
      (outcomes_[i].canary ? canaries : rest).push_back(i);
    drive(canaries, 1);
    drive(rest, std::max<std::size_t>(o_.jobs, 1));
    return std::move(outcomes_);
  }

 private:
  // Three pipes per running target: the soft limit on open files (often
  // 1,024) raised to the hard one, so that --jobs in the hundreds does not
  // run out of descriptors.
  static void raise_open_files_limit() {
    struct rlimit rl {};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
      rl.rlim_cur = rl.rlim_max;
      setrlimit(RLIMIT_NOFILE, &rl);
    }
  }

  // Runs `queue` with up to `limit` at once, until it is done or stopped.
  void drive(const std::vector<std::size_t>& queue, std::size_t limit) {
    std::size_t next = 0;
    for (;;) {
      if (g_interrupts > 0 && stop_reason_.empty()) stop_reason_ = "interrupted (SIGINT)";
      if (g_interrupts > 1 && !forwarded_) forward_interrupt();
      while (stop_reason_.empty() && next < queue.size() && running_.size() < limit)
        start(queue[next++]);
      if (running_.empty()) break;
      pump();
    }
    for (; next < queue.size(); ++next) outcomes_[queue[next]].why = "not started: " + stop_reason_;
  }

  static bool failed(const Outcome& o) {
    return o.state == State::kFailed || o.state == State::kInterrupted;
  }

  void start(std::size_t i) {
    auto r = std::make_unique<Running>();
    r->index = i;
    r->started = std::chrono::steady_clock::now();
    outcomes_[i].started = true;
    try {
      r->child = std::make_unique<Child>(o_.program, o_.argv_for(outcomes_[i].name));
    } catch (const std::exception& e) {
      finish_outcome(i, State::kFailed, 1, e.what(), 0);
      return;
    }
    running_.push_back(std::move(r));
  }

  // One poll over every open pipe, then whatever it says is ready read; a
  // child whose three pipes are all at their end is reaped.
  void pump() {
    std::vector<pollfd> fds;
    for (const auto& r : running_)
      for (const util::Fd* fd : {&r->child->out, &r->child->err, &r->child->report})
        if (fd->valid()) fds.push_back(pollfd{fd->get(), POLLIN, 0});
    if (!fds.empty() && poll(fds.data(), fds.size(), 200) < 0 && errno != EINTR) return;
    for (std::size_t k = 0; k < running_.size();) {
      Running& r = *running_[k];
      read_from(r, r.child->out, r.out_lines, &Scheduler::on_out);
      read_from(r, r.child->err, r.err_lines, &Scheduler::on_err);
      read_from(r, r.child->report, r.report_lines, &Scheduler::on_report);
      if (r.child->out.valid() || r.child->err.valid() || r.child->report.valid()) {
        ++k;
        continue;
      }
      reap(r);
      running_.erase(running_.begin() + static_cast<std::ptrdiff_t>(k));
    }
  }

  using LineHandler = void (Scheduler::*)(std::size_t, std::string&&);

  void read_from(Running& r, util::Fd& fd, LineBuffer& buf, LineHandler handle) {
    char chunk[8192];
    while (fd.valid()) {
      ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
      if (n > 0) {
        for (auto& line : buf.add(std::string_view(chunk, static_cast<std::size_t>(n))))
          (this->*handle)(r.index, std::move(line));
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      if (n < 0 && errno == EINTR) continue;
      for (auto& line : buf.finish()) (this->*handle)(r.index, std::move(line));
      fd.reset();
    }
  }

  void on_out(std::size_t i, std::string&& line) {
    if (o_.capture_stdout) {
      outcomes_[i].stdout_text += line + "\n";
      return;
    }
    *o_.out << prefixes_[i] << line << "\n";
    o_.out->flush();
  }

  void on_err(std::size_t i, std::string&& line) {
    o_.out->flush();
    *o_.err << prefixes_[i] << line << "\n";
    o_.err->flush();
    outcomes_[i].stderr_lines.push_back(std::move(line));
  }

  // Report lines are JSON objects; "step" counts, other keys are set.
  void on_report(std::size_t i, std::string&& line) {
    auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return;
    auto& report = outcomes_[i].report;
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "step")
        report["steps"] = report.value("steps", 0) + 1;
      else
        report[it.key()] = it.value();
    }
  }

  void reap(Running& r) {
    const int status = r.child->wait();
    const int code = exit_code_of(status);
    const double seconds = util::millis_since(r.started) / 1000.0;
    State state = code == 0 ? State::kOk : code == 3 ? State::kBehind : State::kFailed;
    if (code == 128 + SIGINT) state = State::kInterrupted;
    finish_outcome(r.index, state, code, signal_text(status), seconds);
  }

  void finish_outcome(std::size_t i, State state, int code, const std::string& why,
                      double seconds) {
    Outcome& out = outcomes_[i];
    out.state = state;
    out.exit_code = code;
    out.seconds = seconds;
    if (!why.empty()) {
      out.why = why;
      on_err(i, "migrate: error: " + why);
    }
    if (!failed(out) || !stop_reason_.empty()) return;
    if (out.canary)
      stop_reason_ = "the canary " + out.name + " failed";
    else if (!o_.keep_going)
      stop_reason_ = out.name + " failed (--keep-going runs the rest anyway)";
  }

  void forward_interrupt() {
    forwarded_ = true;
    for (const auto& r : running_) kill(r->child->pid(), SIGINT);
  }

  const JobOptions& o_;
  std::vector<Outcome> outcomes_;
  std::vector<std::string> prefixes_;
  std::vector<std::unique_ptr<Running>> running_;
  std::string stop_reason_;
  bool forwarded_ = false;
};

}  // namespace

std::vector<Outcome> run_jobs(const std::vector<std::string>& names, const JobOptions& options) {
  return Scheduler(names, options).run();
}

}  // namespace migrate::fanout
