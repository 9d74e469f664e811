// render_script writes a diff as a script. (Which differ runs is the
// registry's choice: backend::diff_schemas.)
#include "schema/diff.h"

#include "util/strings.h"

namespace migrate::schema {

std::string render_script(const Diff& diff) {
  std::string out;
  for (const auto& s : diff.statements) {
    if (s.destructive)
      out += "-- destructive: " +
             (s.note.empty() ? std::string("drops data") : util::one_line(s.note)) + "\n";
    else if (!s.note.empty())
      out += "-- " + util::one_line(s.note) + "\n";
    out += s.sql + ";\n";
  }
  return out;
}

}  // namespace migrate::schema
