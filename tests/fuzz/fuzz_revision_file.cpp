// Fuzz target: the revision-file parser (script/revision_file.h).
// Properties: any input either parses or throws migrate::Error (never
// another exception, a crash or undefined behaviour); a file that parses
// parses again to the same fields from its own `content`; its sections'
// first lines lie inside the file (or just after it, when empty), and each section is verbatim text
// of it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "script/revision_file.h"
#include "util/error.h"

using migrate::fuzz::fail;

namespace {

int count_lines(const std::string& s) {
  int n = 1;
  for (char c : s) n += c == '\n';
  return n;
}

void check(const migrate::script::RevisionFile& f, const std::string& text) {
  // An empty last section of a file without a final newline starts on the
  // line after the last one.
  const int lines = count_lines(text) + 1;
  if (f.upgrade_line < 1 || f.upgrade_line > lines || f.downgrade_line < 1 ||
      f.downgrade_line > lines || f.downgrade_line < f.upgrade_line)
    fail("section lines outside the file", text);
  if (text.find(f.upgrade_sql) == std::string::npos ||
      text.find(f.downgrade_sql) == std::string::npos)
    fail("a section is not verbatim text of the file", text);
  if (!migrate::script::is_valid_revision_id(f.id)) fail("an invalid id was accepted", f.id);
  auto again = migrate::script::parse_revision_text(f.content, "fuzz.sql");
  if (again.id != f.id || again.down_revisions != f.down_revisions ||
      again.branch_labels != f.branch_labels || again.depends_on != f.depends_on ||
      again.message != f.message || again.upgrade_sql != f.upgrade_sql ||
      again.downgrade_sql != f.downgrade_sql || again.checksum() != f.checksum())
    fail("parsing the same content twice differs", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto f = migrate::script::parse_revision_text(text, "fuzz.sql");
    check(f, text);
  } catch (const migrate::Error& e) {
    const std::string what = e.what();
    if (what.rfind("fuzz.sql", 0) != 0) fail("an error that does not name the file", what);
  }
  return 0;
}
