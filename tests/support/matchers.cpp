#include "support/matchers.h"

namespace testsupport {

namespace {

// `text` as shown in a failure message: a header line naming the stream and
// its size, then the text itself (its middle left out when it is huge).
std::string shown_stream(const char* name, const std::string& text) {
  if (text.empty()) return std::string("--- ") + name + ": (empty)\n";
  std::string out = std::string("--- ") + name + " (" + std::to_string(text.size()) + " bytes):\n";
  if (text.size() <= kShownOutputBytes) {
    out += text;
  } else {
    // Errors come last, so the tail gets the larger share.
    const std::size_t head = kShownOutputBytes / 4;
    const std::size_t tail = kShownOutputBytes - head;
    out += text.substr(0, head);
    out += "\n[... " + std::to_string(text.size() - head - tail) + " bytes left out ...]\n";
    out += text.substr(text.size() - tail);
  }
  if (out.back() != '\n') out += '\n';
  return out;
}

}  // namespace

std::string describe_run(const RunResult& r) {
  return "`" + r.command + "` exited with " + std::to_string(r.exit_code) + "\n" +
         shown_stream("stdout", r.out) + shown_stream("stderr", r.err) + "---";
}

std::string ExitedWithMatcher::describe() const {
  return "(expected exit code " + std::to_string(code_) + ")";
}

}  // namespace testsupport
