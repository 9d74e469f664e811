// SVG from DOT text through Graphviz's own `dot` program (Debian package
// graphviz), run as a child process: the layout is Graphviz's, not ours.
#pragma once

#include <string>

namespace migrate::draw {

// The SVG `dot -Tsvg` makes of `dot_text`. `dot` is looked up on PATH.
// Throws migrate::Error when it is not installed (saying how to install it
// and that --format dot needs nothing) or when it fails (with its stderr).
std::string svg_from_dot(const std::string& dot_text);

}  // namespace migrate::draw
