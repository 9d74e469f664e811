// render_script writes a diff as a script. (Which differ runs is the
// registry's choice: backend::diff_schemas.)
#include "schema/diff.h"

#include "util/strings.h"

namespace migrate::schema {

std::string render_script(const Diff& diff) { return render_script(diff.statements); }

std::string render_script(const std::vector<DiffStatement>& statements) {
  std::string out;
  for (const auto& s : statements) {
    if (s.destructive)
      out += "-- destructive: " +
             (s.note.empty() ? std::string("drops data") : util::one_line(s.note)) + "\n";
    else if (!s.note.empty())
      out += "-- " + util::one_line(s.note) + "\n";
    if (!s.lint_ignore.empty())
      out += "-- migrate:lint-ignore " + util::one_line(s.lint_ignore) + "\n";
    out += s.sql + ";\n";
  }
  return out;
}

}  // namespace migrate::schema
