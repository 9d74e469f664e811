// A lint finding as a value: where (file, 1-based line and column), which
// rule (its stable id), how bad (error or warning), what and the safe
// alternative. Reporters (report.h) print them; nothing else formats them.
#pragma once

#include <string>

namespace migrate::lint {

enum class Severity { warning, error };

const char* severity_name(Severity s);  // "warning", "error"

struct Finding {
  std::string file;      // as given (a revision file's path)
  std::string revision;  // its revision id; empty for a plain SQL file
  int line = 0;          // 1-based file line
  int column = 0;        // 1-based, in characters
  std::string rule;      // stable id: "delete-without-where"
  Severity severity = Severity::warning;
  std::string message;      // what was found: "DELETE without WHERE removes every row of t"
  std::string help;         // the safe alternative
  std::string source_line;  // the file line it points at (shortened), for context
};

}  // namespace migrate::lint
