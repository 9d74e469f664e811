// One strict way to read YAML, for migrate.yaml and the revision headers.
// yaml-cpp accepts, silently, inputs that lose what the user wrote: a
// `---` or `...` line ends the document (every key after it is dropped), a
// quote left open runs on over the next lines and swallows their keys, a NUL
// byte cuts a value short, and invalid UTF-8 passes through to break every
// `--json` output later. Here each of those is an error naming FILE:LINE.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

namespace migrate::config {

// Throws migrate::Error "FILE:LINE: ..." at the first byte no configuration
// text may hold: a control character other than tab, LF and CR (NUL
// included), DEL, or a byte sequence that is not UTF-8. `first_line` is the
// file line of `text`'s first line.
void check_yaml_text(std::string_view text, const std::string& file, int first_line = 1);

// YAML::Load(text) after check_yaml_text(), refusing a document marker
// (`---` or `...` at the start of a line) anywhere but as the first line of
// content, and a quoted scalar (key or value) that does not close on the
// line it opens. yaml-cpp's own errors become "FILE:LINE: <what>: REASON"
// (the line clamped to the text's last line). Lines in `text` are file lines
// starting at 1.
YAML::Node load_yaml_strict(const std::string& text, const std::string& file,
                            const std::string& what);

}  // namespace migrate::config
