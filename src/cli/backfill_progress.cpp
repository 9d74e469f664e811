#include "cli/backfill_progress.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace migrate::cli {

namespace {

std::string duration_text(double s) {
  if (s < 60) return fmt::format("{:.0f}s", s);
  if (s < 3600) return fmt::format("{:.0f}m{:02.0f}s", s / 60 - 0.5, std::fmod(s, 60.0));
  return fmt::format("{:.0f}h{:02.0f}m", s / 3600 - 0.5, std::fmod(s / 60, 60.0));
}

// A file the batch statistics go to, closed with the last events copy.
struct StatsFile {
  std::FILE* f = nullptr;
  ~StatsFile() {
    if (f) std::fclose(f);
  }
};

}  // namespace

std::string describe_progress(const backfill::Progress& p) {
  std::string line = fmt::format("backfill {}: {} rows", p.table, p.rows_walked);
  if (p.total_estimate && *p.total_estimate > 0)
    line += fmt::format(" of ~{} ({:.1f}%)", *p.total_estimate,
                        std::min(100.0, 100.0 * static_cast<double>(p.rows_walked) /
                                            static_cast<double>(*p.total_estimate)));
  line += fmt::format(", {} updated, {} batches, {:.0f} rows/s", p.rows_updated, p.batches, p.rate);
  if (p.done)
    line += fmt::format(", done in {}", duration_text(p.elapsed_s));
  else if (p.eta_s)
    line += fmt::format(", ETA {}", duration_text(*p.eta_s));
  return line;
}

backfill::Events backfill_events(std::ostream& err, bool tty) {
  backfill::Events ev;
  auto last = std::make_shared<std::chrono::steady_clock::time_point>();
  auto live = std::make_shared<bool>(false);  // a live line is on screen
  ev.progress = [&err, tty, last, live](const backfill::Progress& p) {
    const auto now = std::chrono::steady_clock::now();
    if (tty) {
      if (!p.done && now - *last < std::chrono::milliseconds(200)) return;
      *last = now;
      err << "\r\033[K" << describe_progress(p) << (p.done ? "\n" : "");
      *live = !p.done;
      err.flush();
      return;
    }
    if (!p.done && now - *last < std::chrono::seconds(5)) return;
    if (!p.done && last->time_since_epoch().count() == 0) {
      *last = now;  // the first line after 5 s, not at the first batch
      return;
    }
    *last = now;
    err << describe_progress(p) << "\n";
    err.flush();
  };
  ev.note = [&err, live](const std::string& line) {
    if (*live) err << "\r\033[K";
    *live = false;
    err << "migrate: " << line << "\n";
    err.flush();
  };
  if (const char* path = std::getenv("MIGRATE_BACKFILL_STATS"); path && *path) {
    auto stats = std::make_shared<StatsFile>();
    stats->f = std::fopen(path, "a");
    if (stats->f)
      ev.batch = [stats](const backfill::BatchStat& b) {
        std::fprintf(stats->f,
                     "{\"ms\": %.3f, \"rows\": %lld, \"updated\": %lld, \"size\": %lld, "
                     "\"attempts\": %d, \"begin_ms\": %.3f, \"end_ms\": %.3f, \"update_ms\": "
                     "%.3f, \"commit_ms\": %.3f, \"checkpoint_ms\": %.3f}\n",
                     b.ms, b.rows_walked, b.rows_updated, b.size, b.attempts, b.begin_ms, b.end_ms,
                     b.update_ms, b.commit_ms, b.checkpoint_ms);
      };
  }
  return ev;
}

}  // namespace migrate::cli
