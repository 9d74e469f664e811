#include "fanout/line_buffer.h"

namespace migrate::fanout {

std::vector<std::string> LineBuffer::add(std::string_view bytes) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t nl = bytes.find('\n'); nl != std::string_view::npos;
       nl = bytes.find('\n', start)) {
    partial_.append(bytes.substr(start, nl - start));
    lines.push_back(std::move(partial_));
    partial_.clear();
    start = nl + 1;
  }
  partial_.append(bytes.substr(start));
  return lines;
}

std::vector<std::string> LineBuffer::finish() {
  std::vector<std::string> lines;
  if (!partial_.empty()) lines.push_back(std::move(partial_));
  partial_.clear();
  return lines;
}

}  // namespace migrate::fanout
