#include "cli/stdout_check.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <set>
#include <string>

#include "util/error.h"

namespace migrate::cli {

bool output_is_the_product(const CLI::App& cmd) {
  // Their output is progress: what they are run for is the change they
  // make, and a lost progress line must not turn a done migration into a
  // failed one (a deploy would retry it).
  static const std::set<std::string> change_something = {
      "upgrade", "downgrade", "stamp", "revision", "merge", "init", "import"};
  if (change_something.count(cmd.get_name()) == 0) return true;
  for (const char* prints_instead : {"--sql", "--dry-run"}) {
    const CLI::Option* o = cmd.get_option_no_throw(prints_instead);
    if (o != nullptr && o->count() > 0) return true;
  }
  return false;
}

// Unbuffered: each write goes straight to std::cout's own buffer (stdio's
// stdout), so what reaches the terminal or the pipe, and when, is exactly as
// without it. After a failure it refuses every write, so std::cout goes
// bad and stops printing, as it did on its own.
class StdoutCheck::Buf : public std::streambuf {
 public:
  explicit Buf(std::streambuf* inner) : inner_(inner) {}
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof()))
      return sync() == 0 ? traits_type::not_eof(c) : traits_type::eof();
    if (error_ != 0) return traits_type::eof();
    const int saved = errno;
    errno = 0;
    const int_type r = inner_->sputc(traits_type::to_char_type(c));
    return failed(traits_type::eq_int_type(r, traits_type::eof()), saved) ? traits_type::eof() : r;
  }

  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (error_ != 0) return 0;
    const int saved = errno;
    errno = 0;
    const std::streamsize r = inner_->sputn(s, n);
    return failed(r != n, saved) ? 0 : r;
  }

  int sync() override {
    if (error_ != 0) return -1;
    const int saved = errno;
    errno = 0;
    const int r = inner_->pubsync();
    return failed(r != 0, saved) ? -1 : 0;
  }

 private:
  // Whether the write just delegated failed, recording its errno. Besides
  // what the inner buffer returns, stdio's error flag: glibc's fwrite()
  // reports success when only the flush of its full buffer failed.
  bool failed(bool reported, int saved_errno) {
    if (!reported && !ferror_unlocked(stdout)) {
      errno = saved_errno;
      return false;
    }
    error_ = errno != 0 ? errno : EIO;
    return true;
  }

  std::streambuf* inner_;
  int error_ = 0;
};

StdoutCheck::StdoutCheck()
    : buf_(std::make_unique<Buf>(std::cout.rdbuf())), original_(std::cout.rdbuf(buf_.get())) {}

StdoutCheck::~StdoutCheck() {
  std::cout.flush();
  std::cout.rdbuf(original_);
}

int StdoutCheck::finish(int code, bool output_is_product) {
  std::cout.flush();
  int err = buf_->error();
  if (err == 0 && (std::fflush(stdout) != 0 || std::ferror(stdout))) err = errno != 0 ? errno : EIO;
  if (err == 0 || !output_is_product) return code;
  if (err != EPIPE)
    std::cerr << "migrate: error: cannot write the output to stdout: " << std::strerror(err)
              << "; what was written is incomplete\n";
  return code == kExitUsage ? code : kExitFailed;
}

}  // namespace migrate::cli
