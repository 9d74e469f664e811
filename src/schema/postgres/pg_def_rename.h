// Renames inside the server's canonical definitions (pg_get_constraintdef,
// pg_get_indexdef), token by token with PostgreSQL's own lexer
// (sql/postgres/scan.h): for comparing a `from` definition with its `to`
// counterpart once columns and tables are renamed, so a rename alone
// recreates nothing. Only a name that stands for a column is renamed:
// never text in a string literal or a comment, a function's name, a type
// after `::`, or part of a qualified name. Any doubt leaves the text as it
// is, and the definitions then differ: the object is recreated, which is
// always correct, only not minimal.
#pragma once

#include <map>
#include <string>

#include "schema/model.h"

namespace migrate::schema::postgres {

// Old column name -> new.
using ColumnRenames = std::map<std::string, std::string>;

// `def` with every column reference named in `renames` renamed.
std::string rename_columns(const std::string& def, const ColumnRenames& renames);

// A foreign key's definition ("FOREIGN KEY (a) REFERENCES s.t(b) ...") with
// its own columns renamed by `local`, the referenced table by `table_from`
// -> `table_to` (equal: not renamed) and the referenced columns by
// `referenced`.
std::string rename_foreign_key(const std::string& def, const ColumnRenames& local,
                               const QualifiedName& table_from, const QualifiedName& table_to,
                               const ColumnRenames& referenced);

}  // namespace migrate::schema::postgres
