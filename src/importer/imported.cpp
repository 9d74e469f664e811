#include "importer/imported.h"

#include <fmt/format.h>

namespace migrate::importer {

namespace {

// Each line of `text` as a `-- ` comment (an empty line as `--`).
std::string commented(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    out += line.empty() ? "--\n" : "--   " + line + "\n";
    start = end + 1;
  }
  return out;
}

// One line: a problem text never breaks the directive over lines.
std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return text;
}

}  // namespace

std::string section_text(const ImportedSection& s, const ImportedRevision& rev,
                         const std::string& direction, const std::string& tool) {
  if (s.problem.empty()) return s.sql;
  std::string where = rev.origin + (s.line > 0 ? ":" + std::to_string(s.line) : "");
  std::string out = fmt::format("{} {} ({})\n", kNotConvertedDirective, one_line(s.problem), where);
  if (!s.sql.empty()) {
    out += fmt::format("-- Fix the SQL below by hand, then delete the line above.\n{}", s.sql);
    return out;
  }
  out += fmt::format(
      "-- {} could not give this {} as SQL. Write it here by hand (in SQL, reading no data\n"
      "-- it cannot read), then delete the line above and the SELECT below, which fails on\n"
      "-- purpose so that the step cannot pass for done.\n",
      tool, direction);
  if (!s.source.empty()) out += fmt::format("-- {}'s code:\n{}", tool, commented(s.source));
  out += fmt::format("SELECT migrate_not_converted('{}', '{}');", rev.id, direction);
  return out;
}

script::NewRevision to_new_revision(const ImportedRevision& rev, const std::string& tool) {
  script::NewRevision n;
  n.rev_id = rev.id;
  n.message = rev.message;
  n.down_revisions = rev.down_revisions;
  n.branch_labels = rev.branch_labels;
  n.depends_on = rev.depends_on;
  n.created = rev.created;
  n.upgrade_sql = section_text(rev.upgrade, rev, "upgrade", tool);
  n.downgrade_sql = section_text(rev.downgrade, rev, "downgrade", tool);
  if (!rev.transactional) n.header_lines.push_back("transactional: false");
  return n;
}

bool has_problem(const ImportedRevision& rev) {
  return !rev.upgrade.problem.empty() || !rev.downgrade.problem.empty();
}

}  // namespace migrate::importer
