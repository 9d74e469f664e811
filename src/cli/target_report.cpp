#include "cli/target_report.h"

#include "util/fd.h"

namespace migrate::cli {

bool reporting(const Context& ctx) { return ctx.options.report_fd >= 0; }

void report(const Context& ctx, const nlohmann::json& line) {
  if (!reporting(ctx)) return;
  // One write per line; a parent gone away (EPIPE) is no reason to stop.
  util::write_all(ctx.options.report_fd,
                  line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

}  // namespace migrate::cli
