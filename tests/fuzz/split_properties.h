// The properties both statement-splitter targets check (fuzz_sqlite_split,
// fuzz_pg_split), whatever the dialect:
//  - only migrate::Error is thrown, and it names the file;
//  - every statement is non-empty verbatim text of the input, in order,
//    and statements start on non-decreasing lines within the text;
//  - splitting is stable: the statements written back as the offline
//    script writes them (`sql;` each on its own line) split into the same
//    statements, so what `--sql` prints is what an online run executes
//    (unless the dialect's check_step refuses them: then `--sql` prints
//    nothing).
#pragma once

#include <string>
#include <vector>

#include "db/database.h"
#include "db/postgres/pg_dialect.h"
#include "db/sqlite/sqlite_dialect.h"
#include "fuzz_support.h"
#include "util/error.h"

namespace migrate::fuzz {

template <typename Split>
void check_splitter(const std::string& text, Split split, const db::Dialect& dialect) {
  std::vector<db::Statement> statements;
  try {
    statements = split(text, 1, "fuzz.sql");
  } catch (const Error& e) {
    const std::string what = e.what();
    if (what.rfind("fuzz.sql:", 0) != 0) fail("a split error without file:line", what);
    return;
  }
  try {
    dialect.check_step(statements, false, "fuzz.sql");
  } catch (const Error&) {
    return;
  }
  int lines = 1;
  for (char c : text) lines += c == '\n';
  std::size_t from = 0;
  int last_line = 1;
  std::string joined;
  for (const auto& st : statements) {
    if (st.sql.empty()) fail("an empty statement", text);
    std::size_t at = text.find(st.sql, from);
    if (at == std::string::npos) fail("a statement is not verbatim text, in order", st.sql);
    from = at + st.sql.size();
    if (st.line < last_line || st.line > lines) fail("a statement's line is out of order", text);
    last_line = st.line;
    joined += st.sql + ";\n";
  }
  std::vector<db::Statement> again;
  try {
    again = split(joined, 1, "again.sql");
  } catch (const Error& e) {
    fail("the statements written back do not split again", joined + "\n" + e.what());
  }
  if (again.size() != statements.size()) {
    std::string detail = text + "\n---- written back:\n" + joined + "\n---- split again:";
    for (const auto& st : again) detail += "\n[" + st.sql + "]";
    fail("the statements written back split differently", detail);
  }
  for (std::size_t i = 0; i < again.size(); ++i)
    if (again[i].sql != statements[i].sql)
      fail("a statement written back splits differently",
           statements[i].sql + "\n---- vs:\n" + again[i].sql);
}

}  // namespace migrate::fuzz
