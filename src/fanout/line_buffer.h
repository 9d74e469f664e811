// Bytes from a pipe into whole lines: the parent prints another process's
// output only a line at a time, so lines of two targets never mix.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace migrate::fanout {

class LineBuffer {
 public:
  // Appends `bytes`; returns the lines completed by them, without "\n".
  std::vector<std::string> add(std::string_view bytes);
  // At the end of the stream: the last line when it had no "\n".
  std::vector<std::string> finish();

 private:
  std::string partial_;
};

}  // namespace migrate::fanout
