#include "draw/graphviz.h"

#include "util/error.h"
#include "util/subprocess.h"

namespace migrate::draw {

namespace {

const char* kInstallHint =
    "--format svg needs Graphviz's `dot` program, which is not on PATH: install Graphviz "
    "(Debian/Ubuntu: apt-get install graphviz), or write the DOT text with --format dot and "
    "render it elsewhere";

}  // namespace

std::string svg_from_dot(const std::string& dot_text) {
  std::string dot = util::find_program("dot");
  if (dot.empty()) throw Error(kInstallHint);
  util::ProgramResult r = util::run_program({dot, "-Tsvg"}, dot_text);
  if (!r.exited || r.code != 0)
    throw Error(dot + " -Tsvg failed (" + r.status_text() + ")" +
                (r.err.empty() ? std::string() : ": " + r.err));
  return r.out;
}

}  // namespace migrate::draw
