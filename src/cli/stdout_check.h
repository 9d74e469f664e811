// Whether stdout took what a command printed. Output never stops a run
// (app.cpp ignores SIGPIPE), but a command whose product is its output
// (`--sql`, `--json`, `diff`, `history`, `graph`, ...) must not exit 0 with
// half of it on a full disk: StdoutCheck sees the first failed write to
// stdout, and finish() turns it into exit 1 for those commands. A command
// that changes a database or files (an online `upgrade`) prints progress,
// and keeps its own exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <streambuf>

namespace migrate::cli {

// Whether `cmd`'s output is what it is run for (true for every command
// but upgrade, downgrade, stamp, revision, merge, init and import, and for
// those too with --sql or --dry-run, which change nothing).
bool output_is_the_product(const CLI::App& cmd);

// Watches std::cout from construction to destruction: every write to it
// goes through a thin streambuf that records the errno of the first write
// (or flush) stdout refused. Only one at a time, on the main thread.
class StdoutCheck {
 public:
  StdoutCheck();
  ~StdoutCheck();
  StdoutCheck(const StdoutCheck&) = delete;
  StdoutCheck& operator=(const StdoutCheck&) = delete;

  // Flushes stdout and returns the exit code of the run: `code`, unless
  // the output is the product and a write failed. Then: for EPIPE (the
  // reader closed the pipe, as `| head` does) exit 1 and say nothing, as a
  // tool killed by SIGPIPE says nothing; for anything else (ENOSPC, EIO,
  // EFBIG) a message on stderr and exit 1. A usage error keeps its 2.
  int finish(int code, bool output_is_product);

 private:
  class Buf;
  std::unique_ptr<Buf> buf_;
  std::streambuf* original_;
};

}  // namespace migrate::cli
