#include "backend/load_sources.h"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "util/error.h"

namespace migrate::backend {

namespace {

// Whether `source` touches state that another source of the same call may
// touch too and that is not thread-safe (see the header): such sources go
// on one thread, in order.
bool shares_state(const std::string& source, const SourceContext& ctx) {
  SourceKind kind = source_kind(source);
  return kind == SourceKind::kRevision || (kind == SourceKind::kSchemaFile && !ctx.dev_url.empty());
}

// Rethrows `e` with `label: ` before its message, as the same kind of error.
[[noreturn]] void rethrow_labelled(const std::exception_ptr& e, const std::string& label) {
  try {
    std::rethrow_exception(e);
  } catch (const CheckFailed& x) {
    throw CheckFailed(label + ": " + x.what());
  } catch (const UsageError& x) {
    throw UsageError(label + ": " + x.what());
  } catch (const Error& x) {
    throw Error(label + ": " + x.what(), x.exit_code());
  } catch (const std::exception& x) {
    throw Error(label + ": " + x.what());
  }
}

// Joins every thread on destruction, so that no thread outlives the call,
// whatever throws.
struct Joiner {
  std::vector<std::thread> threads;
  ~Joiner() {
    for (auto& t : threads)
      if (t.joinable()) t.join();
  }
};

}  // namespace

std::vector<schema::Schema> load_sources(const std::vector<NamedSource>& sources,
                                         const SourceContext& ctx) {
  // Lanes: lists of source indexes, each run on one thread, in order.
  std::vector<std::vector<std::size_t>> lanes;
  std::vector<std::size_t> shared;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (shares_state(sources[i].source, ctx))
      shared.push_back(i);
    else
      lanes.push_back({i});
  }
  if (!shared.empty()) lanes.push_back(shared);

  // ctx.note writes to the command's error stream: one note at a time.
  std::mutex note_mutex;
  SourceContext lane_ctx = ctx;
  if (ctx.note)
    lane_ctx.note = [&note_mutex, note = ctx.note](const std::string& text) {
      std::lock_guard<std::mutex> lock(note_mutex);
      note(text);
    };

  std::vector<schema::Schema> schemas(sources.size());
  std::vector<std::exception_ptr> errors(sources.size());
  // Once one source failed, a lane starts no further source (a source
  // already running finishes: its connections close as it returns).
  std::atomic<bool> failed{false};
  auto run_lane = [&](const std::vector<std::size_t>& lane) {
    for (std::size_t i : lane) {
      if (failed.load()) return;
      try {
        schemas[i] = load_source(sources[i].source, lane_ctx);
      } catch (...) {
        errors[i] = std::current_exception();
        failed.store(true);
      }
    }
  };
  {
    Joiner joiner;
    for (std::size_t l = 1; l < lanes.size(); ++l)
      joiner.threads.emplace_back(run_lane, std::cref(lanes[l]));
    if (!lanes.empty()) run_lane(lanes[0]);
  }
  for (std::size_t i = 0; i < sources.size(); ++i)
    if (errors[i]) rethrow_labelled(errors[i], sources[i].label);
  return schemas;
}

}  // namespace migrate::backend
